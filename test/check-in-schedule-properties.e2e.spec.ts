import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { ApiModule } from '#cairn-app/api';
import {
  AssignmentStatus,
  CheckInAssignmentService,
  CheckInLifecycleService,
  CheckInReviewService,
  CheckInSubmissionService,
  scheduledOccurrences,
} from '#cairn/check-ins';
import { ClientService } from '#cairn/clients';
import { type Principal, Role } from '#cairn/shared/auth';
import { AppError } from '#cairn/shared/graphql';
import { RequestContext } from '#cairn/shared/tenancy';
import { coachingFirm, createClient, ownTestDatabaseUrl, testConfig } from '#cairn/shared/testing';
import { freshOwnDatabase, TestApi } from './support/index.js';

/**
 * Random sequences of zone changes, cadence edits, pauses, resumes, excusals, answers and sweeps at random
 * instants, through the services on the real database with a simulated clock. After every step: one check-in
 * per slot, the future plan is exactly what the schedule says in the client's current zone, history is
 * unchanged, and a second sweep at the same instant changes nothing.
 */

const MINUTE = 60_000;
const DAY = 86_400_000;
// ±14 h, half- and quarter-hour offsets, DST in both hemispheres and Lord Howe's half-hour DST; null = firm default.
const ZONES = [
  null,
  'Pacific/Kiritimati',
  'Etc/GMT+12',
  'America/St_Johns',
  'Asia/Kathmandu',
  'Europe/London',
  'America/Toronto',
  'Australia/Lord_Howe',
] as const;
// Days just before DST transitions (US and EU spring/fall, Lord Howe both ways).
const STARTS = ['2027-03-13T06:00:00Z', '2027-03-27T06:00:00Z', '2027-10-02T06:00:00Z', '2027-10-30T06:00:00Z', '2027-11-06T06:00:00Z', '2027-04-03T06:00:00Z'];
const RULES = ['FREQ=DAILY', 'FREQ=DAILY;INTERVAL=2', 'FREQ=WEEKLY;BYDAY=MO,WE,SA,SU', 'FREQ=DAILY;BYHOUR=8,20;BYMINUTE=0'];
const TIMES = ['00:00', '01:30', '02:30', '09:00', '23:45'];
const WINDOWS = [30, 180, 600, 1440];

type Step =
  | { kind: 'zone'; zone: (typeof ZONES)[number] }
  | { kind: 'edit'; rule: string; time: string; window: number; endsInDays: number | null }
  | { kind: 'pause' }
  | { kind: 'resume' }
  | { kind: 'excuse'; pick: number }
  | { kind: 'answer'; pick: number }
  | { kind: 'sweep'; minutes: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('zone' as const), zone: fc.constantFrom(...ZONES) }),
  fc.record({
    kind: fc.constant('edit' as const),
    rule: fc.constantFrom(...RULES),
    time: fc.constantFrom(...TIMES),
    window: fc.constantFrom(...WINDOWS),
    endsInDays: fc.option(fc.integer({ min: 2, max: 20 }), { freq: 4 }),
  }),
  fc.record({ kind: fc.constant('pause' as const) }),
  fc.record({ kind: fc.constant('resume' as const) }),
  fc.record({ kind: fc.constant('excuse' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('answer' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('sweep' as const), minutes: fc.integer({ min: 1, max: 36 * 60 }) }),
);

type AssignCheckInInput = Parameters<CheckInAssignmentService['assign']>[1];
type UpdateCheckInAssignmentInput = Parameters<CheckInAssignmentService['update']>[1];

type Row = { id: string; slot: string; status: string; opens_at: Date; closes_at: Date; template_version_id: string };
type AssignmentRow = {
  status: AssignmentStatus;
  recurrence: string;
  starts_at: string;
  ends_on: string | null;
  window_minutes: number;
  version: number;
  zone: string;
};

const DATABASE_URL = ownTestDatabaseUrl('check_in_properties');
beforeAll(() => freshOwnDatabase(DATABASE_URL), 60_000);

let api: TestApi;
beforeAll(async () => {
  api = await TestApi.start(ApiModule.forRoot(testConfig({ DATABASE_URL })));
});
afterAll(() => api.close());

const service = <T>(type: new (...args: never[]) => T): T => api.app.get(type, { strict: false });

describe('check-in schedules under random change (property)', () => {
  it('keep one check-in per slot, the plan exact, history intact and the sweep idempotent', async () => {
    const cast = await coachingFirm(api);
    const tenantId = cast.firm.tenantId;
    const admin: Principal = { kind: 'user', tenantId, userId: cast.firm.admin.user.id, role: Role.ADMIN, scopes: null };
    const { createCheckInTemplate } = await api.ok<{ createCheckInTemplate: { id: string } }>(
      `mutation ($input: CreateCheckInTemplateInput!) { createCheckInTemplate(input: $input) { id } }`,
      { input: { name: 'Pulse', prompts: [{ key: 'energy', label: 'Energy?', type: 'SCALE' }] } },
      { token: cast.coach.accessToken },
    );
    const asTenant = <T>(fn: () => Promise<T>) => RequestContext.runAs({ tenantId }, fn);
    const assignments = service(CheckInAssignmentService);
    const lifecycle = service(CheckInLifecycleService);
    const review = service(CheckInReviewService);
    const submissions = service(CheckInSubmissionService);
    const clients = service(ClientService);

    const rowsOf = (assignmentId: string): Promise<Row[]> =>
      api.dataSource.query(
        `SELECT id, slot, status, opens_at, closes_at, template_version_id FROM check_ins WHERE assignment_id = $1 ORDER BY opens_at, id`,
        [assignmentId],
      );
    const assignmentOf = async (assignmentId: string): Promise<AssignmentRow> =>
      (
        await api.dataSource.query(
          `SELECT a.status, a.recurrence, a.starts_at, to_char(a.ends_on, 'YYYY-MM-DD') AS ends_on, a.window_minutes, a.version,
                  COALESCE(u.timezone, t.default_timezone) AS zone
             FROM checkin_assignments a JOIN users u ON u.id = a.client_id JOIN tenants t ON t.id = a.tenant_id
            WHERE a.id = $1`,
          [assignmentId],
        )
      )[0];

    /** Swallows what a random step may rightly be refused for (a schedule that never fires, an answered check-in…). */
    const refusable = async (fn: () => Promise<unknown>) => {
      try {
        await fn();
        return true;
      } catch (error) {
        if (error instanceof AppError && ['BAD_USER_INPUT', 'CONFLICT'].includes(String(error.extensions.code))) return false;
        throw error;
      }
    };

    function checkPlan(assignment: AssignmentRow, rows: Row[], now: Date) {
      expect(new Set(rows.map((r) => r.slot)).size).toBe(rows.length);
      const unopened = rows.filter((r) => r.status === 'PENDING' && r.opens_at > now);
      if (assignment.status !== AssignmentStatus.ACTIVE) {
        expect(unopened).toEqual([]);
        return;
      }
      const window = assignment.window_minutes * MINUTE;
      const schedule = {
        rule: assignment.recurrence,
        startsAt: assignment.starts_at,
        endsOn: assignment.ends_on,
        windowMinutes: assignment.window_minutes,
        zone: assignment.zone,
      };
      const bySlot = new Map(rows.map((r) => [r.slot, r]));
      // No silent gap: every occurrence of the next 13 days (always materialized) has its check-in, and one not
      // yet open sits exactly where the schedule puts it.
      for (const o of scheduledOccurrences(schedule, new Date(now.getTime() + 1), new Date(now.getTime() + 13 * DAY))) {
        const row = bySlot.get(o.local);
        expect({ slot: o.local, planned: row !== undefined }).toEqual({ slot: o.local, planned: true });
        if (row!.status === 'PENDING' && row!.opens_at > now) expect(row!.opens_at).toEqual(o.instant);
      }
      // Nothing stray: every check-in not yet open is an occurrence of the current schedule in the current zone.
      const planned = new Map(
        scheduledOccurrences(schedule, now, new Date(now.getTime() + 17 * DAY)).map((o) => [o.local, o.instant.getTime()]),
      );
      for (const row of unopened) {
        expect({ slot: row.slot, at: row.opens_at.getTime() }).toEqual({ slot: row.slot, at: planned.get(row.slot) });
        expect(row.closes_at.getTime() - row.opens_at.getTime()).toBe(window);
      }
    }

    /** Answered and excused check-ins never change, missed ones only by a late answer or an excuse; open ones keep their time and slot. */
    function checkHistory(before: Row[], after: Row[], then: Date) {
      const now = new Map(after.map((r) => [r.id, r]));
      for (const row of before) {
        if (row.status === 'MISSED') expect(now.get(row.id)).toEqual({ ...row, status: expect.stringMatching(/^(MISSED|SUBMITTED|EXCUSED)$/) });
        else if (row.status !== 'PENDING') expect(now.get(row.id)).toEqual(row);
        else if (row.opens_at <= then) {
          expect(now.get(row.id)).toMatchObject({ slot: row.slot, opens_at: row.opens_at, closes_at: row.closes_at });
        }
      }
    }

    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...STARTS),
        fc.integer({ min: 0, max: 23 * 60 }),
        fc.constantFrom(...RULES),
        fc.array(step, { minLength: 3, maxLength: 9 }),
        async (start, offsetMinutes, rule, steps) => {
          let now = new Date(Date.parse(start) + offsetMinutes * MINUTE);
          const client = await createClient(api, cast.coach);
          const { id } = await asTenant(() =>
            assignments.assign(
              admin,
              {
                clientId: client.id,
                templateId: createCheckInTemplate.id,
                recurrence: rule,
                startsAt: `${DateTime.fromJSDate(now, { zone: 'Europe/London' }).toISODate()}T09:00`,
                windowMinutes: 180,
                allowDuplicate: false,
              } as AssignCheckInInput,
              now,
            ),
          );
          checkPlan(await assignmentOf(id), await rowsOf(id), now);

          for (const s of steps) {
            const before = await rowsOf(id);
            const current = await assignmentOf(id);
            const clientPrincipal: Principal = { kind: 'user', tenantId, userId: client.id, role: Role.CLIENT, scopes: null };
            switch (s.kind) {
              case 'zone':
                await asTenant(() => clients.update(admin, { id: client.id, timezone: s.zone }, now));
                break;
              case 'edit': {
                const endsOn = s.endsInDays === null ? null : DateTime.fromJSDate(now, { zone: current.zone }).plus({ days: s.endsInDays }).toISODate();
                const input = {
                  id,
                  expectedVersion: current.version,
                  recurrence: s.rule,
                  startsAt: `${current.starts_at.slice(0, 10)}T${s.time}`,
                  windowMinutes: s.window,
                  endsOn,
                  useCurrentTemplateVersion: false,
                } as UpdateCheckInAssignmentInput;
                const done = await refusable(() => asTenant(() => assignments.update(admin, input, now)));
                if (!done) expect(await rowsOf(id)).toEqual(before);
                break;
              }
              case 'pause':
              case 'resume':
                await refusable(() =>
                  asTenant(() =>
                    assignments.setStatus(admin, id, current.version, s.kind === 'pause' ? AssignmentStatus.PAUSED : AssignmentStatus.ACTIVE, now),
                  ),
                );
                break;
              case 'excuse': {
                const candidates = before.filter((r) => r.status === 'PENDING' || r.status === 'MISSED');
                if (candidates.length) await asTenant(() => review.excuse(admin, candidates[s.pick % candidates.length].id, 'Holiday', now));
                break;
              }
              case 'answer': {
                const candidates = before.filter((r) => (r.status === 'PENDING' || r.status === 'MISSED') && r.opens_at <= now);
                if (candidates.length) {
                  const checkInId = candidates[s.pick % candidates.length].id;
                  await asTenant(() =>
                    submissions.submit(clientPrincipal, { checkInId, answers: [{ key: 'energy', scale: 5 }], idempotencyKey: `answer-${checkInId}` }, now),
                  );
                }
                break;
              }
              case 'sweep': {
                now = new Date(now.getTime() + s.minutes * MINUTE);
                await lifecycle.sweepTenant(tenantId, now);
                const swept = await rowsOf(id);
                expect(await lifecycle.sweepTenant(tenantId, now)).toEqual({ materialized: 0, missed: 0, announced: 0 });
                expect(await rowsOf(id)).toEqual(swept);
                break;
              }
            }
            const after = await rowsOf(id);
            checkHistory(before, after, now);
            checkPlan(await assignmentOf(id), after, now);
          }
          // Runs go back in time: end this one so later runs' sweeps leave it alone.
          const { version } = await assignmentOf(id);
          await asTenant(() => assignments.setStatus(admin, id, version, AssignmentStatus.ENDED, now));
        },
      ),
      { numRuns: 15 },
    );
  }, 240_000);
});
