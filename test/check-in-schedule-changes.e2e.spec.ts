import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DateTime } from 'luxon';
import { ApiModule } from '#cairn-app/api';
import { CheckInLifecycleService } from '#cairn/check-ins';
import {
  addUser,
  coachingFirm,
  createApiKey,
  errorCode,
  ownTestDatabaseUrl,
  type Session,
  testConfig,
} from '#cairn/shared/testing';
import { freshOwnDatabase, TestApi } from './support/index.js';

const LONDON = 'Europe/London'; // the fixture firm's default zone
const TORONTO = 'America/Toronto';
const DAY = 86_400_000;

const CREATE_TEMPLATE = `mutation ($input: CreateCheckInTemplateInput!) { createCheckInTemplate(input: $input) { id } }`;
const ASSIGN = `mutation ($input: AssignCheckInInput!) { assignCheckIn(input: $input) { id version } }`;
const UPDATE = `mutation ($input: UpdateCheckInAssignmentInput!) { updateCheckInAssignment(input: $input) {
  id version recurrence startsAt endsOn windowMinutes } }`;
const UPDATE_CLIENT = `mutation ($input: UpdateClientInput!) { updateClient(input: $input) { id effectiveTimezone } }`;
const UPDATE_ME = `mutation ($input: UpdateProfileInput!) { updateMyProfile(input: $input) { id timezone } }`;
const UPDATE_FIRM = `mutation ($input: UpdateFirmInput!) { updateFirm(input: $input) { id defaultTimezone } }`;
const SUBMIT = `mutation ($input: SubmitCheckInInput!) { submitCheckIn(input: $input) { id } }`;

// Sweeps here run at simulated instants; in the shared database other suites' workers would sweep our rows too.
const DATABASE_URL = ownTestDatabaseUrl('check_in_schedules');
beforeAll(() => freshOwnDatabase(DATABASE_URL), 60_000);

let api: TestApi;
let lifecycle: CheckInLifecycleService;
beforeAll(async () => {
  api = await TestApi.start(ApiModule.forRoot(testConfig({ DATABASE_URL })));
  lifecycle = api.app.get(CheckInLifecycleService, { strict: false });
});
afterAll(() => api.close());

type Row = { id: string; slot: string; status: string; opens_at: Date; closes_at: Date; template_version_id: string };

const rowsOf = (assignmentId: string): Promise<Row[]> =>
  api.dataSource.query(`SELECT * FROM check_ins WHERE assignment_id = $1 ORDER BY opens_at, id`, [assignmentId]);

const localDay = (days: number, zone = LONDON) => DateTime.now().setZone(zone).plus({ days }).toISODate() as string;
const wallClock = (instant: Date, zone: string) => DateTime.fromJSDate(instant, { zone }).toFormat("yyyy-MM-dd'T'HH:mm");

async function template(coach: Session, name = 'Morning pulse') {
  const data = await api.ok<{ createCheckInTemplate: { id: string } }>(
    CREATE_TEMPLATE,
    { input: { name, prompts: [{ key: 'energy', label: 'Energy?', type: 'SCALE' }] } },
    { token: coach.accessToken },
  );
  return data.createCheckInTemplate.id;
}

/** The client: a daily 09:00 check-in in Europe/London (the firm default), from tomorrow. */
async function dailyAtNine(input: Record<string, unknown> = {}) {
  const cast = await coachingFirm(api);
  const templateId = await template(cast.coach);
  const { assignCheckIn } = await api.ok<{ assignCheckIn: { id: string; version: number } }>(
    ASSIGN,
    {
      input: {
        clientId: cast.client.user.id,
        templateId,
        recurrence: 'FREQ=DAILY',
        startsAt: `${localDay(1)}T09:00`,
        windowMinutes: 120,
        ...input,
      },
    },
    { token: cast.coach.accessToken },
  );
  return { ...cast, templateId, assignmentId: assignCheckIn.id, version: assignCheckIn.version };
}

/** After a sweep three days on: the next 14 days hold exactly one check-in a day, at 09:00 in `zone`. */
async function expectFortnightAtNine(tenantId: string, assignmentId: string, zone: string) {
  const later = new Date(Date.now() + 3 * DAY);
  await lifecycle.sweepTenant(tenantId, later);
  const ahead = (await rowsOf(assignmentId)).filter((r) => r.opens_at >= later && r.opens_at < new Date(later.getTime() + 14 * DAY));
  expect(ahead).toHaveLength(14);
  expect(ahead.every((r) => wallClock(r.opens_at, zone).endsWith('T09:00') && r.slot === wallClock(r.opens_at, zone))).toBe(true);
  expect(new Set(ahead.map((r) => r.slot.slice(0, 10))).size).toBe(14);
  // And a second sweep at the same instant finds nothing left to do.
  expect(await lifecycle.sweepTenant(tenantId, later)).toEqual({ materialized: 0, missed: 0, announced: 0 });
}

describe('a client’s zone changes (issue 11)', () => {
  it('updateClient to America/Toronto: the sweep leaves 14 check-ins in 14 days, at 09:00 Toronto, same ids', async () => {
    const { firm, coach, client, assignmentId } = await dailyAtNine();
    const before = await rowsOf(assignmentId);
    const { updateClient } = await api.ok<{ updateClient: { effectiveTimezone: string } }>(
      UPDATE_CLIENT,
      { input: { id: client.user.id, timezone: TORONTO } },
      { token: coach.accessToken },
    );
    expect(updateClient.effectiveTimezone).toBe(TORONTO);

    const after = await rowsOf(assignmentId);
    // Moved in place: the same check-ins (ids, slots), each at 09:00 Toronto now.
    expect(after.map((r) => [r.id, r.slot])).toEqual(before.map((r) => [r.id, r.slot]));
    expect(after.every((r) => wallClock(r.opens_at, TORONTO) === r.slot)).toBe(true);
    await expectFortnightAtNine(firm.tenantId, assignmentId, TORONTO);
  });

  it('updateMyProfile by the client re-plans the same way', async () => {
    const { firm, client, assignmentId } = await dailyAtNine();
    await api.ok(UPDATE_ME, { input: { timezone: TORONTO } }, { token: client.accessToken });
    await expectFortnightAtNine(firm.tenantId, assignmentId, TORONTO);
  });

  it('the firm’s default zone: updateFirm re-plans clients without a zone of their own, and only the admin may', async () => {
    const { firm, coach, client, assignmentId } = await dailyAtNine();
    const other = await dailyAtNine();
    // A second client of the firm with a zone of their own keeps it.
    const pinned = await addUser(api, firm, 'CLIENT');
    await api.ok(UPDATE_ME, { input: { timezone: 'Asia/Kathmandu' } }, { token: pinned.accessToken });
    const { assignCheckIn } = await api.ok<{ assignCheckIn: { id: string } }>(
      `mutation ($input: AssignCheckInInput!) { assignCheckIn(input: $input) { id } }`,
      {
        input: {
          clientId: pinned.user.id,
          templateId: await template(firm.admin, 'Kathmandu pulse'),
          recurrence: 'FREQ=DAILY',
          startsAt: `${localDay(1)}T09:00`,
          windowMinutes: 60,
        },
      },
      { token: firm.admin.accessToken },
    );
    const pinnedBefore = await rowsOf(assignCheckIn.id);

    const asCoach = await api.gql(UPDATE_FIRM, { input: { defaultTimezone: TORONTO } }, { token: coach.accessToken });
    expect(errorCode(asCoach)).toBe('FORBIDDEN');
    const asClient = await api.gql(UPDATE_FIRM, { input: { defaultTimezone: TORONTO } }, { token: client.accessToken });
    expect(errorCode(asClient)).toBe('FORBIDDEN');
    const key = await createApiKey(api, firm, ['CHECKINS_WRITE', 'CLIENTS_WRITE']);
    expect(errorCode(await api.gql(UPDATE_FIRM, { input: { defaultTimezone: TORONTO } }, { apiKey: key.secret }))).toBe('FORBIDDEN');
    const bad = await api.gql(UPDATE_FIRM, { input: { defaultTimezone: 'Mars/Olympus' } }, { token: firm.admin.accessToken });
    expect(errorCode(bad)).toBe('BAD_USER_INPUT');
    expect(JSON.stringify(bad.errors?.[0].extensions?.fields)).toContain('defaultTimezone');
    // Nothing moved on any refusal.
    expect((await rowsOf(assignmentId)).every((r) => wallClock(r.opens_at, LONDON) === r.slot)).toBe(true);

    const { updateFirm } = await api.ok<{ updateFirm: { defaultTimezone: string } }>(
      UPDATE_FIRM,
      { input: { defaultTimezone: TORONTO } },
      { token: firm.admin.accessToken },
    );
    expect(updateFirm.defaultTimezone).toBe(TORONTO);
    expect((await rowsOf(assignmentId)).every((r) => wallClock(r.opens_at, TORONTO) === r.slot)).toBe(true);
    expect(await rowsOf(assignCheckIn.id)).toEqual(pinnedBefore);
    // Another firm's schedule does not follow this firm's default.
    expect((await rowsOf(other.assignmentId)).every((r) => wallClock(r.opens_at, LONDON) === r.slot)).toBe(true);
    await expectFortnightAtNine(firm.tenantId, assignmentId, TORONTO);
  });

  it('answered, missed, excused and open check-ins stay as they were; the open one stays answerable', async () => {
    // Opens 00:00 London and stays open all day: today's is open now, yesterday's closed.
    const { firm, coach, client, assignmentId } = await dailyAtNine({ startsAt: `${localDay(-3)}T00:00`, windowMinutes: 1440 });
    const rows = await rowsOf(assignmentId);
    const open = rows.find((r) => r.opens_at <= new Date() && r.closes_at > new Date()) as Row;
    const planned = rows.filter((r) => r.opens_at > new Date());
    // Excuse the first future one, then let the worker see it from an hour on.
    await api.ok(
      `mutation ($input: ExcuseCheckInInput!) { excuseCheckIn(input: $input) { id } }`,
      { input: { checkInId: planned[0].id, reason: 'Holiday' } },
      { token: coach.accessToken },
    );
    const history = await rowsOf(assignmentId).then((all) => all.filter((r) => r.id === planned[0].id || r.id === open.id));

    await api.ok(UPDATE_CLIENT, { input: { id: client.user.id, timezone: 'Pacific/Kiritimati' } }, { token: coach.accessToken });
    const after = await rowsOf(assignmentId);
    for (const kept of history) expect(after.find((r) => r.id === kept.id)).toEqual(kept);
    expect(new Set(after.map((r) => r.slot)).size).toBe(after.length);
    const answered = await api.gql(
      SUBMIT,
      { input: { checkInId: open.id, answers: [{ key: 'energy', scale: 6 }], idempotencyKey: 'open-after-zone-change' } },
      { token: client.accessToken },
    );
    expect(answered.errors).toBeUndefined();

    await api.ok(UPDATE_CLIENT, { input: { id: client.user.id, timezone: 'Etc/GMT+12' } }, { token: coach.accessToken });
    const answeredRow = (await rowsOf(assignmentId)).find((r) => r.id === open.id) as Row;
    expect(answeredRow).toMatchObject({ status: 'SUBMITTED', opens_at: open.opens_at, slot: open.slot });
    await lifecycle.sweepTenant(firm.tenantId, new Date());
    const final = await rowsOf(assignmentId);
    expect(new Set(final.map((r) => r.slot)).size).toBe(final.length);
    expect(final.find((r) => r.id === planned[0].id)?.status).toBe('EXCUSED');
  });

  it('concurrent zone changes of a client and of the firm leave the plan in the zone that won', async () => {
    // From the day after tomorrow (London): "tomorrow 09:00" in Lord Howe (UTC+11) has already opened after
    // 22:00 UTC, and an open check-in rightly keeps its time, which this test is not about.
    const { firm, coach, client, assignmentId } = await dailyAtNine({ startsAt: `${localDay(2)}T09:00` });
    const plannedIn = async (zone: string) => (await rowsOf(assignmentId)).every((r) => wallClock(r.opens_at, zone) === r.slot);
    const effectiveZone = async () =>
      (
        await api.dataSource.query(
          `SELECT COALESCE(u.timezone, t.default_timezone) AS zone FROM users u JOIN tenants t ON t.id = u.tenant_id WHERE u.id = $1`,
          [client.user.id],
        )
      )[0].zone as string;

    await Promise.all(
      ['America/St_Johns', 'Australia/Lord_Howe'].map((defaultTimezone) =>
        api.ok(UPDATE_FIRM, { input: { defaultTimezone } }, { token: firm.admin.accessToken }),
      ),
    );
    expect(['America/St_Johns', 'Australia/Lord_Howe']).toContain(await effectiveZone());
    expect(await plannedIn(await effectiveZone())).toBe(true);

    const results = await Promise.all(
      [TORONTO, 'Asia/Kathmandu'].map((timezone) =>
        api.gql(UPDATE_CLIENT, { input: { id: client.user.id, timezone } }, { token: coach.accessToken }),
      ),
    );
    // The loser of the profile's version is a CONFLICT and changes nothing.
    expect(results.filter((r) => r.errors).every((r) => errorCode(r) === 'CONFLICT')).toBe(true);
    expect([TORONTO, 'Asia/Kathmandu']).toContain(await effectiveZone());
    expect(await plannedIn(await effectiveZone())).toBe(true);
    expect(await lifecycle.sweepTenant(firm.tenantId, new Date())).toEqual({ materialized: 0, missed: 0, announced: 0 });
  });

  it('a zone changed behind the API’s back is re-planned by the next sweep', async () => {
    const { firm, client, assignmentId } = await dailyAtNine();
    await api.dataSource.query(`UPDATE users SET timezone = $2 WHERE id = $1`, [client.user.id, TORONTO]);
    // Still planned in London until the sweep notices; the worker finds the firm has work.
    expect((await rowsOf(assignmentId)).every((r) => wallClock(r.opens_at, LONDON) === r.slot)).toBe(true);
    expect(await lifecycle.tenantsWithWork(new Date())).toContain(firm.tenantId);
    await lifecycle.sweepTenant(firm.tenantId, new Date());
    expect(await lifecycle.tenantsWithWork(new Date())).not.toContain(firm.tenantId);
    expect((await rowsOf(assignmentId)).every((r) => wallClock(r.opens_at, TORONTO) === r.slot)).toBe(true);
    await expectFortnightAtNine(firm.tenantId, assignmentId, TORONTO);
  });
});

describe('updateCheckInAssignment', () => {
  it('moves the time of day in place, keeping ids; a cadence change withdraws what left the plan', async () => {
    const { coach, assignmentId, version } = await dailyAtNine();
    const before = await rowsOf(assignmentId);
    const { updateCheckInAssignment: moved } = await api.ok<{ updateCheckInAssignment: { version: number; startsAt: string } }>(
      UPDATE,
      { input: { id: assignmentId, expectedVersion: version, startsAt: `${localDay(1)}T18:30` } },
      { token: coach.accessToken },
    );
    // What the edit omits stays: the 120-minute window, not the assign input's default of a day.
    expect(moved).toMatchObject({ version: version + 1, startsAt: `${localDay(1)}T18:30`, windowMinutes: 120 });
    const evening = await rowsOf(assignmentId);
    expect(evening.map((r) => r.id)).toEqual(before.map((r) => r.id));
    expect(evening.every((r) => r.slot.endsWith('T18:30') && wallClock(r.opens_at, LONDON) === r.slot)).toBe(true);

    const weekday = DateTime.fromISO(localDay(1)).toFormat('ccc').slice(0, 2).toUpperCase();
    await api.ok(
      UPDATE,
      { input: { id: assignmentId, expectedVersion: version + 1, recurrence: `FREQ=WEEKLY;BYDAY=${weekday}` } },
      { token: coach.accessToken },
    );
    const weekly = await rowsOf(assignmentId);
    expect(weekly.length).toBeGreaterThanOrEqual(2);
    expect(weekly.length).toBeLessThanOrEqual(3);
    expect(weekly.every((r) => before.some((b) => b.id === r.id))).toBe(true);
    expect(weekly.every((r) => DateTime.fromISO(r.slot).toFormat('ccc').slice(0, 2).toUpperCase() === weekday)).toBe(true);

    // The same request again carries a stale version: CONFLICT, nothing changes.
    const again = await api.gql(
      UPDATE,
      { input: { id: assignmentId, expectedVersion: version + 1, recurrence: 'FREQ=DAILY' } },
      { token: coach.accessToken },
    );
    expect(errorCode(again)).toBe('CONFLICT');
    expect(await rowsOf(assignmentId)).toEqual(weekly);
  });

  it('two concurrent edits of one version: exactly one wins', async () => {
    const { coach, assignmentId, version } = await dailyAtNine();
    const results = await Promise.all(
      ['T07:00', 'T20:00'].map((time) =>
        api.gql(UPDATE, { input: { id: assignmentId, expectedVersion: version, startsAt: `${localDay(1)}${time}` } }, { token: coach.accessToken }),
      ),
    );
    expect(results.map((r) => errorCode(r) ?? 'OK').sort()).toEqual(['CONFLICT', 'OK']);
    const rows = await rowsOf(assignmentId);
    expect(new Set(rows.map((r) => r.slot.slice(10))).size).toBe(1);
  });

  it('refuses bad input field by field, the wrong role, scope and tenant, writing nothing', async () => {
    const { firm, coach, otherCoach, client, assignmentId, version } = await dailyAtNine();
    const stranger = await coachingFirm(api);
    const before = await rowsOf(assignmentId);
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ recurrence: 'FREQ=FORTNIGHTLY' }, 'recurrence'],
      [{ recurrence: 'FREQ=DAILY;BYHOUR=9,10', windowMinutes: 120 }, 'windowMinutes'],
      [{ windowMinutes: 5 }, 'windowMinutes'],
      [{ startsAt: 'tomorrow at nine' }, 'startsAt'],
      [{ endsOn: localDay(-5) }, 'recurrence'],
    ];
    for (const [input, field] of cases) {
      const result = await api.gql(UPDATE, { input: { id: assignmentId, expectedVersion: version, ...input } }, { token: coach.accessToken });
      expect({ field, code: errorCode(result) }).toEqual({ field, code: 'BAD_USER_INPUT' });
      expect(JSON.stringify(result.errors?.[0].extensions?.fields)).toContain(field);
    }
    const edit = { input: { id: assignmentId, expectedVersion: version, startsAt: `${localDay(1)}T10:00` } };
    expect(errorCode(await api.gql(UPDATE, edit, { token: client.accessToken }))).toBe('FORBIDDEN');
    expect(errorCode(await api.gql(UPDATE, edit, { token: otherCoach.accessToken }))).toBe('NOT_FOUND');
    expect(errorCode(await api.gql(UPDATE, edit, { token: stranger.coach.accessToken }))).toBe('NOT_FOUND');
    expect(errorCode(await api.gql(UPDATE, edit, { token: stranger.firm.admin.accessToken }))).toBe('NOT_FOUND');
    const readOnly = await createApiKey(api, firm, ['CHECKINS_READ']);
    expect(errorCode(await api.gql(UPDATE, edit, { apiKey: readOnly.secret }))).toBe('FORBIDDEN');
    expect(await rowsOf(assignmentId)).toEqual(before);
    // The partner's key with the assigning scope may.
    const writer = await createApiKey(api, firm, ['CHECKINS_WRITE']);
    expect((await api.gql(UPDATE, edit, { apiKey: writer.secret })).errors).toBeUndefined();
  });

  it('useCurrentTemplateVersion moves check-ins not yet open to the template’s current version', async () => {
    const { coach, templateId, assignmentId, version } = await dailyAtNine();
    const [first] = await rowsOf(assignmentId);
    await api.ok(
      `mutation ($input: UpdateCheckInTemplateInput!) { updateCheckInTemplate(input: $input) { currentVersion } }`,
      { input: { id: templateId, expectedVersion: 1, prompts: [{ key: 'mood', label: 'Mood?', type: 'YES_NO' }] } },
      { token: coach.accessToken },
    );
    await api.ok(UPDATE, { input: { id: assignmentId, expectedVersion: version, windowMinutes: 90 } }, { token: coach.accessToken });
    expect((await rowsOf(assignmentId)).every((r) => r.template_version_id === first.template_version_id)).toBe(true);
    await api.ok(
      UPDATE,
      { input: { id: assignmentId, expectedVersion: version + 1, useCurrentTemplateVersion: true } },
      { token: coach.accessToken },
    );
    const rows = await rowsOf(assignmentId);
    expect(rows.map((r) => r.id)).toContain(first.id);
    expect(rows.every((r) => r.template_version_id !== first.template_version_id)).toBe(true);
    expect(rows.every((r) => r.closes_at.getTime() - r.opens_at.getTime() === 90 * 60_000)).toBe(true);
  });
});

describe('assigning a template twice', () => {
  it('is a CONFLICT while one is active or paused, unless allowDuplicate; after it ended it is fine', async () => {
    const { coach, client, templateId, assignmentId, version } = await dailyAtNine();
    const input = { clientId: client.user.id, templateId, recurrence: 'FREQ=WEEKLY', startsAt: `${localDay(2)}T10:00` };
    expect(errorCode(await api.gql(ASSIGN, { input }, { token: coach.accessToken }))).toBe('CONFLICT');
    await api.ok(`mutation ($id: ID!, $v: Int!) { pauseCheckInAssignment(id: $id, expectedVersion: $v) { id } }`, {
      id: assignmentId,
      v: version,
    }, { token: coach.accessToken });
    expect(errorCode(await api.gql(ASSIGN, { input }, { token: coach.accessToken }))).toBe('CONFLICT');
    const allowed = await api.gql(ASSIGN, { input: { ...input, allowDuplicate: true } }, { token: coach.accessToken });
    expect(allowed.errors).toBeUndefined();
    await api.ok(`mutation ($id: ID!, $v: Int!) { endCheckInAssignment(id: $id, expectedVersion: $v) { id } }`, {
      id: assignmentId,
      v: version + 1,
    }, { token: coach.accessToken });
    // The allowed duplicate is still live, so a plain assign still conflicts.
    expect(errorCode(await api.gql(ASSIGN, { input }, { token: coach.accessToken }))).toBe('CONFLICT');
  });

  it('two concurrent assigns of one template: exactly one wins', async () => {
    const { coach, client } = await coachingFirm(api);
    const templateId = await template(coach);
    const input = { clientId: client.user.id, templateId, recurrence: 'FREQ=DAILY', startsAt: `${localDay(1)}T09:00` };
    const results = await Promise.all([0, 1, 2].map(() => api.gql(ASSIGN, { input }, { token: coach.accessToken })));
    expect(results.map((r) => errorCode(r) ?? 'OK').sort()).toEqual(['CONFLICT', 'CONFLICT', 'OK']);
    const [{ n }] = await api.dataSource.query(`SELECT count(*)::int AS n FROM checkin_assignments WHERE client_id = $1`, [
      client.user.id,
    ]);
    expect(n).toBe(1);
  });
});
