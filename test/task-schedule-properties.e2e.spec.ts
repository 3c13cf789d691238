import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { ApiModule } from '#cairn-app/api';
import { addDays, occurrenceDates, previousOccurrenceDate, todayIn } from '#cairn/shared/calendar';
import { coachingFirm, createClient, errorCode, testConfig } from '#cairn/shared/testing';
import { createTask, insertGoal, LOG, OVERDUE, shiftTaskDates, UPCOMING, UPDATE_TASK } from './action-plan-fixtures.js';
import { TestApi } from './support/index.js';

/**
 * Random sequences of zone changes, rule edits and completions on a recurring task, through GraphQL. After
 * every step: no completion changed or vanished, upcoming lists each unmet occurrence of the next 14 days of
 * the client's today exactly once, and overdue is at most the latest past occurrence, when it is unmet.
 */

const ZONES = [null, 'Pacific/Kiritimati', 'Etc/GMT+12', 'America/St_Johns', 'Asia/Kathmandu', 'Europe/London', 'America/Toronto', 'Australia/Lord_Howe'];
const RULES = ['FREQ=DAILY', 'FREQ=DAILY;INTERVAL=2', 'FREQ=WEEKLY;BYDAY=MO,WE,FR', 'FREQ=WEEKLY;BYDAY=SA,SU', 'FREQ=MONTHLY;BYMONTHDAY=1,15,-1'];

type Step = { kind: 'zone'; zone: string | null } | { kind: 'rule'; rule: string } | { kind: 'log'; daysAgo: number; count: number };
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('zone' as const), zone: fc.constantFrom(...ZONES) }),
  fc.record({ kind: fc.constant('rule' as const), rule: fc.constantFrom(...RULES) }),
  fc.record({ kind: fc.constant('log' as const), daysAgo: fc.integer({ min: 0, max: 6 }), count: fc.integer({ min: 1, max: 3 }) }),
);

let api: TestApi;
beforeAll(async () => {
  api = await TestApi.start(ApiModule.forRoot(testConfig()));
});
afterAll(() => api.close());

describe('recurring tasks under random change (property)', () => {
  it('keep completions, list every unmet occurrence once and overdue only the latest past one', async () => {
    const { firm, coach } = await coachingFirm(api);
    const token = { token: coach.accessToken };

    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...RULES), fc.array(step, { minLength: 2, maxLength: 8 }), async (rule, steps) => {
        // A client of its own per run: shrinking replays many runs, and their tasks must not crowd one client's
        // lists past their limit (nor share a zone).
        const client = { user: await createClient(api, coach) };
        const goalId = await insertGoal(api, firm.tenantId, client.user.id);
        const task = await createTask(api, coach, { goalId, title: 'Practice', recurrence: rule, countTarget: 2 });
        await shiftTaskDates(api, task.id, -10);
        let current = { rule, startDate: addDays(task.startDate, -10) };
        // The rules the task followed before the current one, each through the last local date it governed.
        const past: Array<{ rule: string; until: string }> = [];
        const completions = () =>
          api.dataSource.query(`SELECT id, occurrence_on::text AS on, count FROM task_completions WHERE task_id = $1 ORDER BY id`, [task.id]);

        for (const s of steps) {
          const before: Array<{ id: string; on: string; count: number }> = await completions();
          if (s.kind === 'zone') {
            await api.ok(`mutation ($input: UpdateClientInput!) { updateClient(input: $input) { id } }`, { input: { id: client.user.id, timezone: s.zone } }, token);
          } else if (s.kind === 'rule') {
            // Logging moves the version too (TODO → IN_PROGRESS).
            const [{ version }] = await api.dataSource.query(`SELECT version FROM action_tasks WHERE id = $1`, [task.id]);
            const yesterday = addDays(todayIn(await zoneOf(client.user.id)), -1);
            const { updateActionTask } = await api.ok<{ updateActionTask: { recurrence: string } }>(
              UPDATE_TASK,
              { input: { id: task.id, expectedVersion: version, recurrence: s.rule } },
              token,
            );
            // An edit re-plans only the future: the replaced rule keeps the days before today.
            const governedPastDay = yesterday >= current.startDate && (past.length === 0 || past[past.length - 1].until < yesterday);
            if (updateActionTask.recurrence !== current.rule && governedPastDay) past.push({ rule: current.rule, until: yesterday });
            current = { ...current, rule: updateActionTask.recurrence };
          } else {
            const zone = await zoneOf(client.user.id);
            const result = await api.gql(LOG, { input: { taskId: task.id, occurrenceOn: addDays(todayIn(zone), -s.daysAgo), count: s.count } }, token);
            // A date that is not an occurrence of the rule is refused, and writes nothing.
            if (result.errors) expect(errorCode(result)).toBe('BAD_USER_INPUT');
          }
          const after: Array<{ id: string; on: string; count: number }> = await completions();
          // Every earlier completion is still there, unchanged (ids are random: compare as a set).
          expect(after).toEqual(expect.arrayContaining(before));

          const zone = await zoneOf(client.user.id);
          const today = todayIn(zone);
          const logged = (date: string) => after.filter((c) => c.on === date).reduce((n, c) => n + c.count, 0);
          const items = async (query: string, key: string, vars: Record<string, unknown> = {}) =>
            (await api.ok<Record<string, { items: Array<{ date: string; task: { id: string } }> }>>(query, { clientId: client.user.id, limit: 500, ...vars }, token))[
              key
            ].items
              .filter((i) => i.task.id === task.id)
              .map((i) => i.date);
          const upcoming = await items(UPCOMING, 'upcomingTasks', { days: 14 });
          const overdue = await items(OVERDUE, 'overdueTasks');
          // A client's midnight between our reading of today and the server's: nothing to compare this step.
          if (todayIn(zone) !== today) continue;
          const expected = occurrencesIn(current, past, today, addDays(today, 13)).filter((d) => logged(d) < 2);
          expect(upcoming).toEqual(expected);
          const last = lastPastOccurrence(current, past, addDays(today, -1));
          expect(overdue).toEqual(last !== null && logged(last) < 2 ? [last] : []);
        }
      }),
      { numRuns: 12 },
    );
  }, 240_000);
});

async function zoneOf(userId: string): Promise<string> {
  const [row] = await api.dataSource.query(
    `SELECT COALESCE(u.timezone, t.default_timezone) AS zone FROM users u JOIN tenants t ON t.id = u.tenant_id WHERE u.id = $1`,
    [userId],
  );
  return row.zone;
}

type Current = { rule: string; startDate: string };
type Past = Array<{ rule: string; until: string }>;

/** Which rule governed which days: each past rule through its last day, then the current one. */
function spansOf(current: Current, past: Past): Array<{ rule: string; from: string; until: string | null }> {
  const spans: Array<{ rule: string; from: string; until: string | null }> = [];
  let from = current.startDate;
  for (const p of past) {
    spans.push({ rule: p.rule, from, until: p.until });
    from = addDays(p.until, 1);
  }
  spans.push({ rule: current.rule, from, until: null });
  return spans;
}

/** Occurrences in [from, to], each day under the rule that governed it. */
function occurrencesIn(current: Current, past: Past, from: string, to: string): string[] {
  return spansOf(current, past).flatMap((span) => {
    const low = span.from > from ? span.from : from;
    const high = span.until !== null && span.until < to ? span.until : to;
    return high < low ? [] : occurrenceDates(span.rule, current.startDate, low, high);
  });
}

/** The latest occurrence on or before `until`, each day under the rule that governed it. */
function lastPastOccurrence(current: Current, past: Past, until: string): string | null {
  for (const span of spansOf(current, past).reverse()) {
    const high = span.until !== null && span.until < until ? span.until : until;
    if (high < span.from) continue;
    const last = previousOccurrenceDate(span.rule, current.startDate, high);
    if (last !== null && last >= span.from) return last;
  }
  return null;
}
