import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DateTime } from 'luxon';
import { ApiModule } from '#cairn-app/api';
import { CheckInAssignment, CheckInAssignmentService } from '#cairn/check-ins';
import { TenantDatabase } from '#cairn/shared/database';
import { RequestContext } from '#cairn/shared/tenancy';
import {
  coachingFirm,
  createClient,
  errorCode,
  type Session,
  signUpFirm,
  testConfig,
} from '#cairn/shared/testing';
import { TestApi } from './support/index.js';

const ZONE = 'Europe/London'; // the fixture firm's default zone
const localAt = (days: number, time: string) => `${DateTime.now().setZone(ZONE).plus({ days }).toISODate()}T${time}`;

const CREATE_TEMPLATE = `mutation ($input: CreateCheckInTemplateInput!) { createCheckInTemplate(input: $input) { id } }`;
const ASSIGN = `mutation ($input: AssignCheckInInput!) { assignCheckIn(input: $input) {
  id status recurrence startsAt windowMinutes version goalIds measureBindings { promptKey measureId } } }`;
const CHECK_INS = `query ($clientId: ID, $status: CheckInStatus, $openNow: Boolean) {
  checkIns(first: 100, clientId: $clientId, status: $status, openNow: $openNow) {
    edges { node { id clientId assignmentId opensAt closesAt status prompts { key label type } } } } }`;
const SET = (verb: string) =>
  `mutation ($id: ID!, $v: Int!) { ${verb}CheckInAssignment(id: $id, expectedVersion: $v) { id status version } }`;

type CheckInNode = { id: string; opensAt: string; closesAt: string; status: string; prompts: { key: string; label: string }[] };

let api: TestApi;
beforeAll(async () => {
  api = await TestApi.start(ApiModule.forRoot(testConfig()));
});
afterAll(() => api.close());

async function template(coach: Session) {
  const data = await api.ok<{ createCheckInTemplate: { id: string } }>(
    CREATE_TEMPLATE,
    {
      input: {
        name: 'Daily pulse',
        prompts: [
          { key: 'energy', label: 'Energy today?', type: 'SCALE' },
          { key: 'calls', label: 'Client calls made', type: 'NUMBER', numberMin: 0, recordsProgress: true },
        ],
      },
    },
    { token: coach.accessToken },
  );
  return data.createCheckInTemplate.id;
}

async function checkIns(session: Session, vars: Record<string, unknown> = {}) {
  const data = await api.ok<{ checkIns: { edges: { node: CheckInNode }[] } }>(CHECK_INS, vars, { token: session.accessToken });
  return data.checkIns.edges.map((e) => e.node);
}

const countRows = async (table: string, tenantId: string) =>
  (await api.dataSource.query(`SELECT count(*)::int AS n FROM ${table} WHERE tenant_id = $1`, [tenantId]))[0].n;

describe('check-in assignments', () => {
  it('a recurring assignment materializes its check-ins at once, in the client’s zone, with the template’s prompts', async () => {
    const { coach, client } = await coachingFirm(api);
    const templateId = await template(coach);
    const startsAt = localAt(1, '16:00');
    const { assignCheckIn } = await api.ok<{ assignCheckIn: { id: string; status: string } }>(
      ASSIGN,
      { input: { clientId: client.user.id, templateId, recurrence: 'FREQ=DAILY;COUNT=3', startsAt, windowMinutes: 120 } },
      { token: coach.accessToken },
    );
    expect(assignCheckIn.status).toBe('ACTIVE');
    const mine = await checkIns(client);
    expect(mine).toHaveLength(3);
    const first = DateTime.fromISO(startsAt, { zone: ZONE });
    expect(mine.map((c) => c.opensAt).sort()).toEqual([0, 1, 2].map((d) => first.plus({ days: d }).toUTC().toISO()));
    expect(mine.every((c) => Date.parse(c.closesAt) - Date.parse(c.opensAt) === 120 * 60_000 && c.status === 'PENDING')).toBe(true);
    expect(mine[0].prompts.map((p) => p.key)).toEqual(['energy', 'calls']);
    // Not open yet: nothing is due now.
    expect(await checkIns(client, { openNow: true })).toEqual([]);
  });

  it('materializing again creates no duplicates', async () => {
    const { firm, coach, client } = await coachingFirm(api);
    const templateId = await template(coach);
    const { assignCheckIn } = await api.ok<{ assignCheckIn: { id: string } }>(
      ASSIGN,
      { input: { clientId: client.user.id, templateId, recurrence: 'FREQ=WEEKLY', startsAt: localAt(1, '09:00') } },
      { token: coach.accessToken },
    );
    const before = await countRows('check_ins', firm.tenantId);
    expect(before).toBeGreaterThan(0);
    const service = api.app.get(CheckInAssignmentService);
    const tenantDb = api.app.get(TenantDatabase);
    const added = await RequestContext.runAs({ tenantId: firm.tenantId }, () =>
      tenantDb.transaction(async (tx) => {
        const assignment = (await tx.repo(CheckInAssignment).findOne({ id: assignCheckIn.id })) as CheckInAssignment;
        return [await (await service.plan(tx, assignment, ZONE)).created, (await service.plan(tx, assignment, ZONE)).created];
      }),
    );
    expect(added).toEqual([0, 0]);
    expect(await countRows('check_ins', firm.tenantId)).toBe(before);
  });

  it('editing the template later does not change check-ins already sent', async () => {
    const { coach, client } = await coachingFirm(api);
    const templateId = await template(coach);
    await api.ok(
      ASSIGN,
      { input: { clientId: client.user.id, templateId, startsAt: localAt(2, '10:00') } },
      { token: coach.accessToken },
    );
    await api.ok(
      `mutation ($input: UpdateCheckInTemplateInput!) { updateCheckInTemplate(input: $input) { currentVersion } }`,
      { input: { id: templateId, expectedVersion: 1, prompts: [{ key: 'mood', label: 'Mood?', type: 'YES_NO' }] } },
      { token: coach.accessToken },
    );
    const [oneOff] = await checkIns(client);
    expect(oneOff.prompts.map((p) => p.key)).toEqual(['energy', 'calls']);
  });

  it('rejects malformed, silent, too-frequent and overlapping schedules, writing nothing', async () => {
    const { firm, coach, client } = await coachingFirm(api);
    const templateId = await template(coach);
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ recurrence: 'FREQ=FORTNIGHTLY', startsAt: localAt(1, '09:00') }, 'recurrence'],
      [{ recurrence: 'FREQ=WEEKLY', startsAt: localAt(1, '09:00'), endsOn: localAt(-1, '').slice(0, 10) }, 'recurrence'],
      [{ recurrence: 'FREQ=MINUTELY', startsAt: localAt(1, '09:00') }, 'recurrence'],
      [{ recurrence: 'FREQ=DAILY;BYHOUR=9;BYMINUTE=0;BYSECOND=0,30', startsAt: localAt(1, '09:00') }, 'recurrence'],
      [{ recurrence: 'FREQ=DAILY', startsAt: localAt(1, '09:00'), windowMinutes: 3 * 24 * 60 }, 'windowMinutes'],
      [{ recurrence: 'FREQ=DAILY', startsAt: localAt(1, '09:00'), windowMinutes: 5 }, 'windowMinutes'],
      [{ startsAt: localAt(-1, '09:00') }, 'startsAt'],
      [{ startsAt: 'tomorrow at nine' }, 'startsAt'],
      [{ startsAt: localAt(1, '09:00'), measureBindings: [{ promptKey: 'energy', measureId: client.user.id }] }, 'promptKey'],
    ];
    for (const [input, field] of cases) {
      const result = await api.gql(ASSIGN, { input: { clientId: client.user.id, templateId, ...input } }, { token: coach.accessToken });
      expect({ field, code: errorCode(result) }).toEqual({ field, code: 'BAD_USER_INPUT' });
      expect(JSON.stringify(result.errors?.[0].extensions?.fields)).toContain(field);
    }
    const unknownMeasure = await api.gql(
      ASSIGN,
      { input: { clientId: client.user.id, templateId, startsAt: localAt(1, '09:00'), measureBindings: [{ promptKey: 'calls', measureId: client.user.id }] } },
      { token: coach.accessToken },
    );
    expect(errorCode(unknownMeasure)).toBe('NOT_FOUND');
    expect(await countRows('checkin_assignments', firm.tenantId)).toBe(0);
    expect(await countRows('check_ins', firm.tenantId)).toBe(0);
  });

  it('only the client’s coaches (and admins) assign; clients see only their own check-ins', async () => {
    const { firm, coach, otherCoach, client } = await coachingFirm(api);
    const templateId = await template(coach);
    const input = { clientId: client.user.id, templateId, startsAt: localAt(1, '09:00') };
    expect(errorCode(await api.gql(ASSIGN, { input }, { token: otherCoach.accessToken }))).toBe('NOT_FOUND');
    expect(errorCode(await api.gql(ASSIGN, { input }, { token: client.accessToken }))).toBe('FORBIDDEN');
    const other = await signUpFirm(api);
    expect(errorCode(await api.gql(ASSIGN, { input }, { token: other.admin.accessToken }))).toBe('NOT_FOUND');
    await api.ok(ASSIGN, { input }, { token: firm.admin.accessToken });

    const second = await createClient(api, otherCoach);
    const otherTemplate = await template(otherCoach);
    await api.ok(ASSIGN, { input: { clientId: second.id, templateId: otherTemplate, startsAt: localAt(1, '09:00') } }, { token: otherCoach.accessToken });

    expect((await checkIns(client)).length).toBe(1);
    expect(errorCode(await api.gql(CHECK_INS, { clientId: second.id }, { token: client.accessToken }))).toBe('NOT_FOUND');
    expect((await checkIns(coach)).length).toBe(1);
    expect((await checkIns(otherCoach)).length).toBe(1);
    expect((await checkIns(firm.admin)).length).toBe(2);
    expect((await checkIns(other.admin)).length).toBe(0);
  });

  it('pausing withdraws check-ins not yet open, resuming brings them back, ending is final', async () => {
    const { coach, client } = await coachingFirm(api);
    const templateId = await template(coach);
    const { assignCheckIn } = await api.ok<{ assignCheckIn: { id: string; version: number } }>(
      ASSIGN,
      { input: { clientId: client.user.id, templateId, recurrence: 'FREQ=DAILY;COUNT=4', startsAt: localAt(1, '08:00') } },
      { token: coach.accessToken },
    );
    const paused = await api.ok<{ pauseCheckInAssignment: { status: string; version: number } }>(
      SET('pause'),
      { id: assignCheckIn.id, v: 1 },
      { token: coach.accessToken },
    );
    expect(paused.pauseCheckInAssignment).toEqual({ id: assignCheckIn.id, status: 'PAUSED', version: 2 });
    expect(await checkIns(client)).toEqual([]);
    expect(errorCode(await api.gql(SET('resume'), { id: assignCheckIn.id, v: 1 }, { token: coach.accessToken }))).toBe('CONFLICT');
    await api.ok(SET('resume'), { id: assignCheckIn.id, v: 2 }, { token: coach.accessToken });
    expect(await checkIns(client)).toHaveLength(4);
    await api.ok(SET('end'), { id: assignCheckIn.id, v: 3 }, { token: coach.accessToken });
    expect(await checkIns(client)).toEqual([]);
    expect(errorCode(await api.gql(SET('resume'), { id: assignCheckIn.id, v: 4 }, { token: coach.accessToken }))).toBe('CONFLICT');
    expect(errorCode(await api.gql(SET('pause'), { id: assignCheckIn.id, v: 4 }, { token: client.accessToken }))).toBe('FORBIDDEN');
  });
});
