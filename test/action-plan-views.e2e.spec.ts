import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ApiModule } from '#cairn-app/api';
import { TaskSummaryService } from '#cairn/action-plans';
import type { ClientRef } from '#cairn/clients';
import { TenantDatabase } from '#cairn/shared/database';
import { RequestContext } from '#cairn/shared/tenancy';
import { coachingFirm, createClient, testConfig } from '#cairn/shared/testing';
import {
  createTask,
  daysFromToday,
  expectCode,
  insertGoal,
  logCompletion,
  OVERDUE,
  shiftTaskDates,
  today,
  UPCOMING,
  UPDATE_TASK,
} from './action-plan-fixtures.js';
import { countStatements, TestApi } from './support/index.js';

let api: TestApi;
beforeAll(async () => {
  api = await TestApi.start(ApiModule.forRoot(testConfig()));
});
afterAll(() => api.close());

interface Item {
  kind: string;
  date: string;
  clientId: string;
  loggedCount: number;
  daysOverdue: number | null;
  task: { id: string; title: string };
}
type Agenda = { totalCount: number; items: Item[] };

const overdue = async (token: string, vars: Record<string, unknown> = {}) =>
  (await api.ok<{ overdueTasks: Agenda }>(OVERDUE, vars, { token })).overdueTasks;
const upcoming = async (token: string, vars: Record<string, unknown> = {}) =>
  (await api.ok<{ upcomingTasks: Agenda }>(UPCOMING, vars, { token })).upcomingTasks;
const brief = (agenda: Agenda) => agenda.items.map((i) => [i.task.title, i.kind, i.date]);

const WEEKDAYS = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'];
const weekdayOf = (date: string) => WEEKDAYS[new Date(`${date}T12:00:00Z`).getUTCDay()];

describe('overdue', () => {
  it('one-off: due before the client’s today and open; recurring: the last past occurrence short of its target', async () => {
    const { firm, coach, client } = await coachingFirm(api);
    const goalId = await insertGoal(api, firm.tenantId, client.user.id);
    const late = await createTask(api, coach, { goalId, title: 'Late report', dueDate: daysFromToday(2) });
    await shiftTaskDates(api, late.id, -5);
    const finished = await createTask(api, coach, { goalId, title: 'Finished', dueDate: daysFromToday(2) });
    await api.ok(
      UPDATE_TASK,
      { input: { id: finished.id, expectedVersion: 1, status: 'DONE' } },
      { token: coach.accessToken },
    );
    await shiftTaskDates(api, finished.id, -5);
    await createTask(api, coach, { goalId, title: 'Due today', dueDate: today() });

    const kept = await createTask(api, coach, {
      goalId,
      title: 'Kept habit',
      recurrence: 'FREQ=DAILY',
      countTarget: 2,
    });
    await shiftTaskDates(api, kept.id, -3);
    await logCompletion(api, client, { taskId: kept.id, occurrenceOn: daysFromToday(-1), count: 2 });
    const short = await createTask(api, coach, {
      goalId,
      title: 'Short habit',
      recurrence: 'FREQ=DAILY',
      countTarget: 3,
    });
    await shiftTaskDates(api, short.id, -3);
    await logCompletion(api, client, { taskId: short.id, occurrenceOn: daysFromToday(-1), count: 1 });
    // Weekly on the weekday of three days ago: its last occurrence was then, and nothing was logged.
    const weekly = await createTask(api, coach, {
      goalId,
      title: 'Weekly meeting',
      recurrence: `FREQ=WEEKLY;BYDAY=${weekdayOf(daysFromToday(-3))}`,
    });
    await shiftTaskDates(api, weekly.id, -10);
    // A habit that starts today has no past occurrence yet.
    await createTask(api, coach, { goalId, title: 'New habit', recurrence: 'FREQ=DAILY' });

    const view = await overdue(coach.accessToken);
    expect(view.totalCount).toBe(3);
    expect(view.items).toEqual([
      {
        kind: 'DUE',
        date: daysFromToday(-3),
        clientId: client.user.id,
        loggedCount: 0,
        daysOverdue: 3,
        task: { id: late.id, title: 'Late report' },
      },
      {
        kind: 'OCCURRENCE',
        date: daysFromToday(-3),
        clientId: client.user.id,
        loggedCount: 0,
        daysOverdue: 3,
        task: { id: weekly.id, title: 'Weekly meeting' },
      },
      {
        kind: 'OCCURRENCE',
        date: daysFromToday(-1),
        clientId: client.user.id,
        loggedCount: 1,
        daysOverdue: 1,
        task: { id: short.id, title: 'Short habit' },
      },
    ]);
    expect((await overdue(coach.accessToken, { limit: 1 })).items).toHaveLength(1);
    expect((await overdue(coach.accessToken, { limit: 1 })).totalCount).toBe(3);

    // Catching up on yesterday clears the habit; cancelling clears the one-off.
    await logCompletion(api, client, { taskId: short.id, occurrenceOn: daysFromToday(-1), count: 2 });
    await api.ok(
      UPDATE_TASK,
      { input: { id: late.id, expectedVersion: 1, status: 'CANCELLED' } },
      { token: client.accessToken },
    );
    expect(brief(await overdue(client.accessToken))).toEqual([
      ['Weekly meeting', 'OCCURRENCE', daysFromToday(-3)],
    ]);
  });

  it('bad arguments', async () => {
    const { coach } = await coachingFirm(api);
    for (const vars of [{ limit: 0 }, { limit: 501 }, { clientId: 'nope' }]) {
      expectCode(await api.gql(OVERDUE, vars, { token: coach.accessToken }), 'BAD_USER_INPUT');
    }
    for (const vars of [{ days: 0 }, { days: 91 }]) {
      expectCode(await api.gql(UPCOMING, vars, { token: coach.accessToken }), 'BAD_USER_INPUT', 'days');
    }
  });
});

describe('upcoming', () => {
  it('lead time and due dates of one-off tasks, open occurrences of recurring ones, in the next N days', async () => {
    const { firm, coach, client } = await coachingFirm(api);
    const goalId = await insertGoal(api, firm.tenantId, client.user.id);
    await createTask(api, coach, {
      goalId,
      title: 'Q1 report',
      startDate: daysFromToday(3),
      dueDate: daysFromToday(10),
    });
    await createTask(api, coach, {
      goalId,
      title: 'Course',
      startDate: daysFromToday(-30),
      dueDate: daysFromToday(40),
    });
    const habit = await createTask(api, coach, {
      goalId,
      title: 'Feedback',
      recurrence: 'FREQ=DAILY',
      countTarget: 3,
    });

    expect(
      brief(await upcoming(client.accessToken, { days: 14 })).filter(([title]) => title !== 'Feedback'),
    ).toEqual([
      ['Q1 report', 'START', daysFromToday(3)],
      ['Q1 report', 'DUE', daysFromToday(10)],
    ]);
    expect(brief(await upcoming(client.accessToken, { days: 3 }))).toEqual([
      ['Feedback', 'OCCURRENCE', today()],
      ['Feedback', 'OCCURRENCE', daysFromToday(1)],
      ['Feedback', 'OCCURRENCE', daysFromToday(2)],
    ]);
    const defaults = await upcoming(client.accessToken);
    expect(defaults.totalCount).toBe(14 + 2);
    expect(brief(await upcoming(client.accessToken, { days: 90 }))).toContainEqual([
      'Course',
      'DUE',
      daysFromToday(40),
    ]);

    await logCompletion(api, client, { taskId: habit.id, occurrenceOn: today(), count: 2 });
    const partly = await upcoming(client.accessToken, { days: 1 });
    expect(partly.items).toEqual([
      expect.objectContaining({ kind: 'OCCURRENCE', date: today(), loggedCount: 2 }),
    ]);
    await logCompletion(api, client, { taskId: habit.id, occurrenceOn: today(), count: 1 });
    expect(brief(await upcoming(client.accessToken, { days: 2 }))).toEqual([
      ['Feedback', 'OCCURRENCE', daysFromToday(1)],
    ]);
  });
});

describe('whose tasks the views cover', () => {
  it('coach: caseload; admin: firm or a coach’s caseload; client: own; archived clients only by id', async () => {
    const { firm, coach, otherCoach, client } = await coachingFirm(api);
    const second = await createClient(api, otherCoach);
    const archived = await createClient(api, coach);
    for (const [clientId, title] of [
      [client.user.id, 'Mine'],
      [second.id, 'Theirs'],
      [archived.id, 'Archived'],
    ]) {
      const goalId = await insertGoal(api, firm.tenantId, clientId);
      await createTask(api, firm.admin, { goalId, title, dueDate: daysFromToday(1) });
    }
    await api.ok(
      `mutation ($input: ArchiveClientInput!) { archiveClient(input: $input) { id } }`,
      { input: { id: archived.id } },
      { token: coach.accessToken },
    );
    // Each task shows up as START (today, the default lead time) and DUE (tomorrow); count the DUE entries.
    const titles = (agenda: Agenda) =>
      agenda.items
        .filter((i) => i.kind === 'DUE')
        .map((i) => i.task.title)
        .sort();

    expect(titles(await upcoming(coach.accessToken))).toEqual(['Mine']);
    expect(titles(await upcoming(otherCoach.accessToken))).toEqual(['Theirs']);
    expect(titles(await upcoming(client.accessToken))).toEqual(['Mine']);
    expect(titles(await upcoming(firm.admin.accessToken))).toEqual(['Mine', 'Theirs']);
    expect(titles(await upcoming(firm.admin.accessToken, { coachId: otherCoach.user.id }))).toEqual([
      'Theirs',
    ]);
    // A coach's coachId only narrows their own reach.
    expect(titles(await upcoming(coach.accessToken, { coachId: otherCoach.user.id }))).toEqual([]);
    expect(titles(await upcoming(coach.accessToken, { clientId: archived.id }))).toEqual(['Archived']);

    expectCode(await api.gql(UPCOMING, { clientId: second.id }, { token: coach.accessToken }), 'NOT_FOUND');
    expectCode(await api.gql(OVERDUE, { clientId: second.id }, { token: client.accessToken }), 'NOT_FOUND');
    const other = await coachingFirm(api);
    expectCode(
      await api.gql(OVERDUE, { clientId: client.user.id }, { token: other.firm.admin.accessToken }),
      'NOT_FOUND',
    );
    expect((await upcoming(other.firm.admin.accessToken)).totalCount).toBe(0);
  });
});

describe('bounded SQL', () => {
  const NESTED = `query { upcomingTasks(days: 30) { items { task {
    id loggedCount streak { current } dependencies { id } blockedBy { id } occurrences { date } recentCompletions { id }
    goal { id tasks { id } }
  } } } }`;

  it('a page of tasks and their nested fields costs the same number of statements for 2 or 8 tasks', async () => {
    const setUp = async (perClient: number) => {
      const cast = await coachingFirm(api);
      const extra = await createClient(api, cast.coach);
      for (const clientId of [cast.client.user.id, extra.id]) {
        const goalId = await insertGoal(api, cast.firm.tenantId, clientId);
        let previous: string | undefined;
        for (let i = 0; i < perClient; i += 1) {
          const task = await createTask(api, cast.coach, {
            goalId,
            title: `Task ${i}`,
            ...(i % 2 ? { recurrence: 'FREQ=WEEKLY' } : { dueDate: daysFromToday(5 + i) }),
            ...(previous ? { dependsOnIds: [previous] } : {}),
          });
          previous = task.id;
        }
      }
      return cast;
    };
    const small = await setUp(1);
    const large = await setUp(4);
    await api.ok(NESTED, {}, { token: small.coach.accessToken }); // warm-up
    const forSmall = await countStatements(api, () => api.ok(NESTED, {}, { token: small.coach.accessToken }));
    const forLarge = await countStatements(api, () => api.ok(NESTED, {}, { token: large.coach.accessToken }));
    expect(forSmall).toBeGreaterThan(5);
    expect(forLarge).toBe(forSmall);
  });

  it('summariesForClients: same statements for one client or many, and the dashboard’s numbers', async () => {
    const { firm, coach, client } = await coachingFirm(api);
    const others = [
      await createClient(api, coach),
      await createClient(api, coach, { timezone: 'Asia/Tokyo' }),
    ];
    const goal = await insertGoal(api, firm.tenantId, client.user.id);
    const late = await createTask(api, coach, { goalId: goal, title: 'Late', dueDate: daysFromToday(1) });
    await shiftTaskDates(api, late.id, -3);
    const habit = await createTask(api, coach, { goalId: goal, title: 'Habit', recurrence: 'FREQ=DAILY' });
    await shiftTaskDates(api, habit.id, -2);
    const soon = await createTask(api, coach, { goalId: goal, title: 'Soon', dueDate: daysFromToday(4) });
    for (const other of others) {
      const otherGoal = await insertGoal(api, firm.tenantId, other.id);
      await createTask(api, coach, { goalId: otherGoal, title: 'Other', dueDate: daysFromToday(9) });
    }

    const summaries = api.app.get(TaskSummaryService);
    const tenantDb = api.app.get(TenantDatabase);
    const refs: ClientRef[] = [
      { id: client.user.id, displayName: 'C', timezone: 'Europe/London', archived: false },
      { id: others[0].id, displayName: 'D', timezone: 'Europe/London', archived: false },
      { id: others[1].id, displayName: 'E', timezone: 'Asia/Tokyo', archived: false },
    ];
    const run = (clients: ClientRef[]) =>
      RequestContext.runAs({ tenantId: firm.tenantId }, () =>
        tenantDb.transaction((tx) => summaries.summariesForClients(tx, clients, { kind: 'firm' })),
      );

    const oneClient = await countStatements(api, () => run(refs.slice(0, 1)));
    const allClients = await countStatements(api, () => run(refs));
    expect(oneClient).toBeGreaterThan(0);
    expect(allClients).toBe(oneClient);

    const result = await run(refs);
    const mine = result.get(client.user.id)!;
    // Yesterday's habit occurrence was missed and today's is due: both overdue and next due.
    expect(mine.overdueCount).toBe(2);
    expect(mine.overdueTasks.map((t) => t.title)).toEqual(['Late', 'Habit']);
    expect(mine.nextDueOn).toBe(today());
    expect(mine.nextDueTasks.map((t) => t.title)).toEqual(['Habit']);
    await logCompletion(api, client, { taskId: habit.id, occurrenceOn: today() });
    const after = (await run(refs)).get(client.user.id)!;
    expect(after).toMatchObject({ nextDueOn: daysFromToday(1) });
    expect(after.nextDueTasks.map((t) => t.id)).toEqual([habit.id]);
    expect(result.get(others[1].id)).toMatchObject({ overdueCount: 0, nextDueOn: daysFromToday(9) });
    expect(soon.id).toBeDefined();
  });
});
