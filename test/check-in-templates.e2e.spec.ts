import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ApiModule } from '#cairn-app/api';
import { coachingFirm, createApiKey, errorCode, signUpFirm, testConfig } from '#cairn/shared/testing';
import { TestApi } from './support/index.js';

const TEMPLATE = `id name description currentVersion archivedAt
  current { id version prompts { key label type required scaleMin scaleMax minLabel maxLabel maxLength numberMin numberMax unit recordsProgress options allowMultiple } }
  versions { version prompts { key label } }`;
const CREATE = `mutation ($input: CreateCheckInTemplateInput!) { createCheckInTemplate(input: $input) { ${TEMPLATE} } }`;
const UPDATE = `mutation ($input: UpdateCheckInTemplateInput!) { updateCheckInTemplate(input: $input) { ${TEMPLATE} } }`;
const GET = `query ($id: ID!) { checkInTemplate(id: $id) { ${TEMPLATE} } }`;
const LIST = `query ($includeArchived: Boolean) { checkInTemplates(includeArchived: $includeArchived) { edges { node { id name } } } }`;
const VERSION = `query ($id: ID!) { checkInTemplateVersion(id: $id) { version prompts { key label } } }`;

const WEEKLY = {
  name: 'Friday check-in',
  description: 'How did the week go?',
  prompts: [
    { key: 'energy', label: 'How energised were you this week?', type: 'SCALE', minLabel: 'Drained', maxLabel: 'On fire' },
    { key: 'report_started', label: 'Did you start the report a week early?', type: 'YES_NO' },
    { key: 'clients_surveyed', label: 'How many clients did you survey?', type: 'NUMBER', numberMin: 0, unit: 'clients', recordsProgress: true },
    { key: 'focus', label: 'Main focus', type: 'CHOICE', options: ['Reports', 'Prospecting', 'Team'] },
    { key: 'notes', label: 'Anything to discuss?', type: 'TEXT', required: false, maxLength: 500 },
  ],
};

type Template = {
  id: string;
  currentVersion: number;
  archivedAt: string | null;
  current: { id: string; version: number; prompts: Record<string, unknown>[] };
  versions: { version: number; prompts: { key: string; label: string }[] }[];
};

let api: TestApi;
beforeAll(async () => {
  api = await TestApi.start(ApiModule.forRoot(testConfig()));
});
afterAll(() => api.close());

const countTemplates = async (tenantId: string) =>
  (await api.dataSource.query(`SELECT count(*)::int AS n FROM checkin_template_versions WHERE tenant_id = $1`, [tenantId]))[0].n;

describe('check-in templates', () => {
  it('a coach creates a typed template; defaults are filled in', async () => {
    const { coach } = await coachingFirm(api);
    const { createCheckInTemplate: t } = await api.ok<{ createCheckInTemplate: Template }>(CREATE, { input: WEEKLY }, { token: coach.accessToken });
    expect(t.currentVersion).toBe(1);
    expect(t.current.prompts).toEqual([
      expect.objectContaining({ key: 'energy', type: 'SCALE', scaleMin: 1, scaleMax: 10, minLabel: 'Drained', required: true }),
      expect.objectContaining({ key: 'report_started', type: 'YES_NO', options: null }),
      expect.objectContaining({ key: 'clients_surveyed', type: 'NUMBER', numberMin: 0, numberMax: null, unit: 'clients', recordsProgress: true }),
      expect.objectContaining({ key: 'focus', type: 'CHOICE', options: ['Reports', 'Prospecting', 'Team'], allowMultiple: false }),
      expect.objectContaining({ key: 'notes', type: 'TEXT', required: false, maxLength: 500 }),
    ]);
  });

  it('editing the prompts makes a new version and leaves the old one as it was', async () => {
    const { coach } = await coachingFirm(api);
    const created = (await api.ok<{ createCheckInTemplate: Template }>(CREATE, { input: WEEKLY }, { token: coach.accessToken })).createCheckInTemplate;
    const renamed = await api.ok<{ updateCheckInTemplate: Template }>(
      UPDATE,
      { input: { id: created.id, expectedVersion: 1, name: 'Friday accountability' } },
      { token: coach.accessToken },
    );
    expect(renamed.updateCheckInTemplate.currentVersion).toBe(1);

    const edited = await api.ok<{ updateCheckInTemplate: Template }>(
      UPDATE,
      { input: { id: created.id, expectedVersion: 1, prompts: [{ key: 'energy', label: 'Energy, 1–5', type: 'SCALE', scaleMax: 5 }] } },
      { token: coach.accessToken },
    );
    expect(edited.updateCheckInTemplate.currentVersion).toBe(2);
    expect(edited.updateCheckInTemplate.versions.map((v) => [v.version, v.prompts.length])).toEqual([[2, 1], [1, 5]]);
    const first = await api.ok<{ checkInTemplateVersion: { version: number; prompts: { label: string }[] } }>(
      VERSION,
      { id: created.current.id },
      { token: coach.accessToken },
    );
    expect(first.checkInTemplateVersion.prompts[0].label).toBe('How energised were you this week?');

    const stale = await api.gql(UPDATE, { input: { id: created.id, expectedVersion: 1, prompts: WEEKLY.prompts } }, { token: coach.accessToken });
    expect(errorCode(stale)).toBe('CONFLICT');
  });

  it('the database refuses to rewrite a version, even for the application role', async () => {
    const { coach, firm } = await coachingFirm(api);
    const t = (await api.ok<{ createCheckInTemplate: Template }>(CREATE, { input: WEEKLY }, { token: coach.accessToken })).createCheckInTemplate;
    const runner = api.dataSource.createQueryRunner();
    await runner.startTransaction();
    try {
      await runner.query(`SELECT set_config('role', 'cairn_app', true), set_config('app.tenant_id', $1, true)`, [firm.tenantId]);
      await expect(runner.query(`UPDATE checkin_template_versions SET prompts = '[]' WHERE id = $1`, [t.current.id])).rejects.toThrow(
        /permission denied/,
      );
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  });

  it('rejects bad prompts, naming the prompt and field, and writes nothing', async () => {
    const { coach, firm } = await coachingFirm(api);
    const before = await countTemplates(firm.tenantId);
    const bad: Array<[Record<string, unknown>[], string]> = [
      [[], 'prompts'],
      [[{ key: 'a', label: 'A', type: 'YES_NO' }, { key: 'a', label: 'B', type: 'YES_NO' }], 'prompts[1].key'],
      [[{ key: 'a', label: 'A', type: 'SCALE', scaleMin: 3, scaleMax: 11 }], 'prompts[0].scaleMax'],
      [[{ key: 'a', label: 'A', type: 'CHOICE', options: ['only one'] }], 'prompts[0].options'],
      [[{ key: 'a', label: 'A', type: 'TEXT', options: ['x', 'y'] }], 'prompts[0].options'],
      [[{ key: 'a', label: 'A', type: 'NUMBER', numberMin: 10, numberMax: 1 }], 'prompts[0].numberMax'],
      [[{ key: 'Not A Key', label: 'A', type: 'YES_NO' }], 'key'],
      [[{ key: 'a', label: 'x'.repeat(301), type: 'YES_NO' }], 'label'],
    ];
    for (const [prompts, field] of bad) {
      const result = await api.gql(CREATE, { input: { name: 'Bad', prompts } }, { token: coach.accessToken });
      expect({ field, code: errorCode(result) }).toEqual({ field, code: 'BAD_USER_INPUT' });
      expect(JSON.stringify(result.errors?.[0].extensions?.fields)).toContain(field);
    }
    const unknownType = await api.gql(CREATE, { input: { name: 'Bad', prompts: [{ key: 'a', label: 'A', type: 'ESSAY' }] } }, { token: coach.accessToken });
    expect(errorCode(unknownType)).toBe('BAD_USER_INPUT');
    const tooLong = await api.gql(CREATE, { input: { ...WEEKLY, name: 'x'.repeat(121) } }, { token: coach.accessToken });
    expect(errorCode(tooLong)).toBe('BAD_USER_INPUT');
    expect(await countTemplates(firm.tenantId)).toBe(before);
  });

  it('coaches change only their own templates; admins any; clients and other firms see none', async () => {
    const { firm, coach, otherCoach, client } = await coachingFirm(api);
    const t = (await api.ok<{ createCheckInTemplate: Template }>(CREATE, { input: WEEKLY }, { token: coach.accessToken })).createCheckInTemplate;
    const byOther = await api.gql(UPDATE, { input: { id: t.id, expectedVersion: 1, name: 'Mine now' } }, { token: otherCoach.accessToken });
    expect(errorCode(byOther)).toBe('FORBIDDEN');
    await api.ok(UPDATE, { input: { id: t.id, expectedVersion: 1, name: 'Edited by admin' } }, { token: firm.admin.accessToken });
    // The library is shared: the other coach may read and use it.
    await api.ok(GET, { id: t.id }, { token: otherCoach.accessToken });
    expect(errorCode(await api.gql(GET, { id: t.id }, { token: client.accessToken }))).toBe('FORBIDDEN');
    expect(errorCode(await api.gql(CREATE, { input: WEEKLY }, { token: client.accessToken }))).toBe('FORBIDDEN');

    const other = await signUpFirm(api);
    expect(errorCode(await api.gql(GET, { id: t.id }, { token: other.admin.accessToken }))).toBe('NOT_FOUND');
    const foreignEdit = await api.gql(UPDATE, { input: { id: t.id, expectedVersion: 1, name: 'x' } }, { token: other.admin.accessToken });
    expect(errorCode(foreignEdit)).toBe('NOT_FOUND');

    const reader = await createApiKey(api, firm, ['CHECKINS_READ']);
    const listed = await api.ok<{ checkInTemplates: { edges: { node: { id: string } }[] } }>(LIST, {}, { apiKey: reader.secret });
    expect(listed.checkInTemplates.edges.map((e) => e.node.id)).toEqual([t.id]);
    expect(errorCode(await api.gql(CREATE, { input: WEEKLY }, { apiKey: reader.secret }))).toBe('FORBIDDEN');
  });

  it('archived templates leave the default list and cannot be edited until restored', async () => {
    const { coach } = await coachingFirm(api);
    const t = (await api.ok<{ createCheckInTemplate: Template }>(CREATE, { input: WEEKLY }, { token: coach.accessToken })).createCheckInTemplate;
    await api.ok(`mutation ($id: ID!) { archiveCheckInTemplate(id: $id) { archivedAt } }`, { id: t.id }, { token: coach.accessToken });
    const ids = async (includeArchived: boolean) =>
      (await api.ok<{ checkInTemplates: { edges: { node: { id: string } }[] } }>(LIST, { includeArchived }, { token: coach.accessToken }))
        .checkInTemplates.edges.map((e) => e.node.id);
    expect(await ids(false)).toEqual([]);
    expect(await ids(true)).toEqual([t.id]);
    const frozen = await api.gql(UPDATE, { input: { id: t.id, expectedVersion: 1, name: 'x' } }, { token: coach.accessToken });
    expect(errorCode(frozen)).toBe('CONFLICT');
    await api.ok(`mutation ($id: ID!) { restoreCheckInTemplate(id: $id) { archivedAt } }`, { id: t.id }, { token: coach.accessToken });
    expect(await ids(false)).toEqual([t.id]);
  });
});
