import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DateTime } from 'luxon';
import { ApiModule } from '#cairn-app/api';
import { addDays, todayIn } from '#cairn/shared/calendar';
import { coachingFirm, testConfig } from '#cairn/shared/testing';
import {
  createTask,
  daysFromToday,
  GET_TASK,
  insertGoal,
  LONDON,
  logCompletion,
  OVERDUE,
  shiftTaskDates,
  today,
  UPCOMING,
  UPDATE_TASK,
} from './action-plan-fixtures.js';
import { TestApi } from './support/index.js';

/** Recurring tasks are planned in local dates: a zone or rule change may move "today", never the history. */

const UPDATE_CLIENT = `mutation ($input: UpdateClientInput!) { updateClient(input: $input) { id effectiveTimezone } }`;

let api: TestApi;
beforeAll(async () => {
  api = await TestApi.start(ApiModule.forRoot(testConfig()));
});
afterAll(() => api.close());

type Item = { kind: string; date: string; task: { id: string } };

/** A daily task started six days ago, met on each of those days. */
/** A daily task met on the six days up to yesterday in `zone` (London, the firm's, unless a test needs another). */
async function metForSixDays(zone?: string) {
  const cast = await coachingFirm(api);
  const goalId = await insertGoal(api, cast.firm.tenantId, cast.client.user.id);
  const task = await createTask(api, cast.coach, { goalId, title: 'Feedback to a colleague', recurrence: 'FREQ=DAILY', countTarget: 1 });
  // Started a day earlier than the first day met: `zone`'s yesterday can be London's day before yesterday.
  await shiftTaskDates(api, task.id, -7);
  for (let day = -6; day <= -1; day++) {
    await logCompletion(api, cast.client, { taskId: task.id, occurrenceOn: daysFromToday(day, zone), count: 1 });
  }
  const completions = () =>
    api.dataSource.query(`SELECT id, occurrence_on::text, count FROM task_completions WHERE task_id = $1 ORDER BY id`, [task.id]);
  const read = async () =>
    (
      await api.ok<{ actionTask: { version: number; streak: { current: number; longest: number; asOf: string } } }>(
        GET_TASK,
        { id: task.id },
        { token: cast.coach.accessToken },
      )
    ).actionTask;
  const agenda = async (query: string, vars: Record<string, unknown> = {}) =>
    (
      await api.ok<Record<string, { items: Item[] }>>(query, { clientId: cast.client.user.id, ...vars }, { token: cast.coach.accessToken })
    )[query === OVERDUE ? 'overdueTasks' : 'upcomingTasks'].items.filter((i) => i.task.id === task.id);
  return { ...cast, task, completions, read, agenda };
}

describe('recurring tasks under change (issue 11)', () => {
  it('a zone change keeps completions and streaks; overdue and upcoming neither double nor skip an occurrence', async () => {
    const { coach, client, completions, read, agenda } = await metForSixDays();
    const logged = await completions();
    expect(logged).toHaveLength(6);
    expect((await read()).streak.longest).toBe(6);

    for (const zone of ['Pacific/Kiritimati', 'Etc/GMT+12', 'America/St_Johns', 'Australia/Lord_Howe', 'America/Toronto']) {
      await api.ok(UPDATE_CLIENT, { input: { id: client.user.id, timezone: zone } }, { token: coach.accessToken });
      const localToday = todayIn(zone);
      expect(await completions()).toEqual(logged);
      // Met through London's yesterday; London's today is a miss once it is past in the new zone.
      const { streak } = await read();
      expect(streak).toMatchObject({ longest: 6, asOf: localToday, current: localToday <= today(LONDON) ? 6 : 0 });

      const upcoming = (await agenda(UPCOMING, { days: 14 })).map((i) => i.date);
      const firstUnmet = localToday <= daysFromToday(-1) ? today(LONDON) : localToday;
      const lastDay = addDays(localToday, 13);
      const expected: string[] = [];
      for (let d = firstUnmet; d <= lastDay; d = addDays(d, 1)) expected.push(d);
      expect(upcoming).toEqual(expected);

      const overdue = (await agenda(OVERDUE)).map((i) => i.date);
      expect(overdue).toEqual(localToday > today(LONDON) ? [today(LONDON)] : []);
    }
  });

  it('a rule change keeps every completion; the agenda follows the new rule only, one entry per occurrence', async () => {
    const { coach, task, completions, read, agenda } = await metForSixDays();
    const logged = await completions();
    const { version } = await read();
    await api.ok(
      UPDATE_TASK,
      { input: { id: task.id, expectedVersion: version, recurrence: 'FREQ=WEEKLY;BYDAY=MO,WE,FR' } },
      { token: coach.accessToken },
    );
    expect(await completions()).toEqual(logged);
    const upcoming = (await agenda(UPCOMING, { days: 21 })).map((i) => i.date);
    expect(new Set(upcoming).size).toBe(upcoming.length);
    expect(upcoming.length).toBeGreaterThanOrEqual(8);
    expect(upcoming.every((d) => ['Mon', 'Wed', 'Fri'].includes(DateTime.fromISO(d).toFormat('ccc')))).toBe(true);
  });

  it('a move west keeps a day logged in the old zone met, though it is now ahead of the client’s today', async () => {
    // Met up to yesterday in the zone it moves to, so its today is unmet whatever the hour (before noon UTC,
    // UTC−12's today is London's yesterday).
    const { coach, client, task, agenda } = await metForSixDays('Etc/GMT+12');
    const DASHBOARD = `query { coachDashboard(first: 50) { edges { node { client { id } nextDueOn } } } }`;
    const nextDue = async () =>
      (await api.ok<{ coachDashboard: { edges: { node: { client: { id: string }; nextDueOn: string | null } }[] } }>(DASHBOARD, {}, { token: coach.accessToken }))
        .coachDashboard.edges.find((e) => e.node.client.id === client.user.id)?.node.nextDueOn;
    await api.ok(UPDATE_CLIENT, { input: { id: client.user.id, timezone: 'Pacific/Kiritimati' } }, { token: coach.accessToken });
    const eastToday = todayIn('Pacific/Kiritimati');
    await logCompletion(api, client, { taskId: task.id, occurrenceOn: eastToday, count: 1 });
    // UTC+14 to UTC−12: the day just met is now at least a day ahead.
    await api.ok(UPDATE_CLIENT, { input: { id: client.user.id, timezone: 'Etc/GMT+12' } }, { token: coach.accessToken });
    const westToday = todayIn('Etc/GMT+12');
    expect(eastToday > westToday).toBe(true);
    const upcoming = (await agenda(UPCOMING, { days: 14 })).map((i) => i.date);
    expect(upcoming).not.toContain(eastToday);
    expect(upcoming[0]).toBe(westToday);
    expect(upcoming).toHaveLength(13);
    // Today is unmet, so it is next due; once it is met, the next is the first day after it not met already.
    expect(await nextDue()).toBe(westToday);
    await logCompletion(api, client, { taskId: task.id, occurrenceOn: westToday, count: 1 });
    const tomorrow = addDays(westToday, 1);
    const next = tomorrow === eastToday ? addDays(eastToday, 1) : tomorrow;
    expect((await agenda(UPCOMING, { days: 14 })).map((i) => i.date)[0]).toBe(next);
    expect(await nextDue()).toBe(next);
  });

  it('a rule change re-plans only the future: the streak, logging a past day and overdue keep the old rule', async () => {
    const { coach, client, task, read, agenda } = await metForSixDays();
    const { version } = await read();
    // Only the 1st of the month from now on: none of the six days met under the daily rule is one.
    const monthly = 'FREQ=MONTHLY;BYMONTHDAY=1';
    await api.ok(UPDATE_TASK, { input: { id: task.id, expectedVersion: version, recurrence: monthly } }, { token: coach.accessToken });

    // The six days met in a row stay a streak of six, and yesterday (met) is still the last past occurrence.
    const { streak } = await read();
    expect(streak).toMatchObject({ longest: 6, current: 6 });
    expect((await agenda(OVERDUE)).map((i) => i.date)).toEqual([]);
    // A past day of the old rule can still be logged (a correction of what happened then), a future day only
    // when the new rule names it.
    await logCompletion(api, client, { taskId: task.id, occurrenceOn: daysFromToday(-3), count: 1 });
    const upcoming = (await agenda(UPCOMING, { days: 40 })).map((i) => i.date);
    expect(upcoming.length).toBeGreaterThanOrEqual(1);
    expect(upcoming.every((d) => d.endsWith('-01'))).toBe(true);

    // Edited again the same day: the rule set this morning governed no past day and leaves no trace.
    const again = await read();
    await api.ok(UPDATE_TASK, { input: { id: task.id, expectedVersion: again.version, recurrence: 'FREQ=WEEKLY;BYDAY=MO' } }, { token: coach.accessToken });
    const [{ recurrence_history: history }] = await api.dataSource.query(`SELECT recurrence_history FROM action_tasks WHERE id = $1`, [task.id]);
    expect(history).toEqual([{ rule: 'FREQ=DAILY', until: daysFromToday(-1) }]);
    expect((await read()).streak.longest).toBe(6);
  });
});
