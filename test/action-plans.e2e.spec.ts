import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ApiModule } from '#cairn-app/api';
import {
  coachingFirm,
  createApiKey,
  createClient,
  errorCode,
  signUpFirm,
  testConfig,
} from '#cairn/shared/testing';
import {
  CREATE_TASK,
  createTask,
  daysFromToday,
  expectCode,
  GET_TASK,
  insertGoal,
  LOG,
  logCompletion,
  rowCount,
  shiftTaskDates,
  type Task,
  today,
  UPDATE_TASK,
} from './action-plan-fixtures.js';
import { TestApi } from './support/index.js';

let api: TestApi;
beforeAll(async () => {
  api = await TestApi.start(ApiModule.forRoot(testConfig()));
});
afterAll(() => api.close());

/** A firm whose client has one goal; the coach of that client acts unless a test says otherwise. */
async function planFixture() {
  const cast = await coachingFirm(api);
  const goalId = await insertGoal(api, cast.firm.tenantId, cast.client.user.id);
  return { ...cast, goalId };
}

type Fixture = Awaited<ReturnType<typeof planFixture>>;

describe('the seeds’ action plans', () => {
  it('one-off with lead time, weekly meeting, daily feedback to three people, three conferences in twelve months', async () => {
    const { coach, client, goalId } = await planFixture();
    const q1 = await createTask(api, coach, {
      goalId,
      title: 'Q1 report',
      notes: 'Survey enough clients first',
      startDate: daysFromToday(3),
      dueDate: daysFromToday(10),
    });
    expect(q1).toMatchObject({
      title: 'Q1 report',
      status: 'TODO',
      startDate: daysFromToday(3),
      dueDate: daysFromToday(10),
      recurrence: null,
      countTarget: 1,
      clientId: client.user.id,
      goalId,
      version: 1,
    });
    const weekly = await createTask(api, coach, {
      goalId,
      title: 'Meet the boss',
      recurrence: 'rrule:freq=weekly;byday=mo',
    });
    expect(weekly).toMatchObject({ recurrence: 'FREQ=WEEKLY;BYDAY=MO', startDate: today(), dueDate: null });
    const feedback = await createTask(api, client, {
      goalId,
      title: 'On-the-spot feedback',
      recurrence: 'FREQ=DAILY',
      countTarget: 3,
    });
    expect(feedback.countTarget).toBe(3);
    const conferences = await createTask(api, coach, {
      goalId,
      title: 'Attend professional conferences',
      dueDate: daysFromToday(365),
      countTarget: 3,
    });

    const plan = await api.ok<{ actionTask: { goal: { id: string; tasks: { id: string }[] } } }>(
      `query ($id: ID!) { actionTask(id: $id) { goal { id tasks { id } } } }`,
      { id: q1.id },
      { token: coach.accessToken },
    );
    expect(plan.actionTask.goal.id).toBe(goalId);
    // Ordered by start date, then due date.
    expect(plan.actionTask.goal.tasks.map((t) => t.id)).toEqual([
      conferences.id,
      weekly.id,
      feedback.id,
      q1.id,
    ]);
    const open = await api.ok<{ actionTask: { goal: { tasks: { id: string }[] } } }>(
      `query ($id: ID!) { actionTask(id: $id) { goal { tasks(statuses: [DONE]) { id } } } }`,
      { id: q1.id },
      { token: coach.accessToken },
    );
    expect(open.actionTask.goal.tasks).toEqual([]);

    const occurrences = await api.ok<{
      actionTask: { occurrences: { date: string; loggedCount: number; met: boolean }[] };
    }>(
      `query ($id: ID!, $from: LocalDate, $to: LocalDate) { actionTask(id: $id) { occurrences(from: $from, to: $to) { date loggedCount met } } }`,
      { id: feedback.id, from: today(), to: daysFromToday(2) },
      { token: client.accessToken },
    );
    expect(occurrences.actionTask.occurrences).toEqual(
      [0, 1, 2].map((d) => ({ date: daysFromToday(d), loggedCount: 0, met: false })),
    );
    const tooWide = await api.gql(
      `query ($id: ID!, $to: LocalDate) { actionTask(id: $id) { occurrences(to: $to) { date } } }`,
      { id: feedback.id, to: daysFromToday(200) },
      { token: client.accessToken },
    );
    expectCode(tooWide, 'BAD_USER_INPUT', 'to');
  });
});

describe('creating and editing tasks: bad input writes nothing', () => {
  it('rejects every kind of bad input', async () => {
    const { firm, coach, goalId } = await planFixture();
    const base = { goalId, title: 'Start the Q1 report', dueDate: daysFromToday(7) };
    const cases: Array<[Record<string, unknown>, string, RegExp?]> = [
      [{ ...base, startDate: daysFromToday(8) }, 'dueDate', /on or after startDate/],
      [{ ...base, dueDate: daysFromToday(-1) }, 'dueDate', /in the past/],
      [{ ...base, dueDate: daysFromToday(4000) }, 'dueDate', /ten years/],
      [{ ...base, startDate: daysFromToday(-400) }, 'startDate', /one year back/],
      [{ goalId, title: 'No date' }, 'dueDate', /one-off task needs a dueDate/],
      [{ ...base, recurrence: 'every monday' }, 'recurrence', /NAME=VALUE/],
      [{ ...base, recurrence: 'FREQ=HOURLY' }, 'recurrence', /HOURLY is not supported/],
      [{ ...base, recurrence: 'FREQ=MINUTELY;INTERVAL=5' }, 'recurrence', /MINUTELY/],
      [{ ...base, recurrence: 'FREQ=DAILY;BYHOUR=9' }, 'recurrence', /BYHOUR/],
      [{ ...base, recurrence: 'FREQ=DAILY;COUNT=5000' }, 'recurrence', /COUNT/],
      [{ ...base, recurrence: 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30' }, 'recurrence', /no occurrence/],
      [{ ...base, recurrence: 'x'.repeat(501) }, 'recurrence'],
      [{ ...base, countTarget: 0 }, 'countTarget'],
      [{ ...base, countTarget: 101 }, 'countTarget'],
      [{ ...base, title: '' }, 'title'],
      [{ ...base, title: 'x'.repeat(201) }, 'title'],
      [{ ...base, notes: 'x'.repeat(2001) }, 'notes'],
      [{ ...base, goalId: 'not-a-uuid' }, 'goalId'],
      [{ ...base, startDate: '2026-02-30' }, 'startDate'],
      [
        { ...base, dependsOnIds: Array.from({ length: 21 }, () => '00000000-0000-4000-8000-000000000000') },
        'dependsOnIds',
      ],
    ];
    for (const [input, field, message] of cases) {
      const result = await api.gql(CREATE_TASK, { input }, { token: coach.accessToken });
      expectCode(result, 'BAD_USER_INPUT', field);
      if (message) expect(result.errors?.[0]?.message).toMatch(message);
    }
    // A recurring task may leave the due date out; the due date ends the series.
    await createTask(api, coach, {
      goalId,
      title: 'Weekly',
      recurrence: 'FREQ=WEEKLY',
      dueDate: daysFromToday(30),
    });
    expect(await rowCount(api, 'action_tasks', firm.tenantId)).toBe(1);
  });

  it('updates with expectedVersion; stale or concurrent edits are CONFLICT; failed edits change nothing', async () => {
    const { coach, client, goalId } = await planFixture();
    // countTarget 2, which the edit below omits: it must stay, not fall back to the create input's default 1.
    const task = await createTask(api, coach, { goalId, title: 'Draft', dueDate: daysFromToday(5), countTarget: 2 });
    const updated = await api.ok<{ updateActionTask: Task }>(
      UPDATE_TASK,
      {
        input: {
          id: task.id,
          expectedVersion: 1,
          title: 'Draft the report',
          recurrence: 'FREQ=WEEKLY;BYDAY=FR',
          dueDate: null,
        },
      },
      { token: client.accessToken },
    );
    expect(updated.updateActionTask).toMatchObject({
      title: 'Draft the report',
      recurrence: 'FREQ=WEEKLY;BYDAY=FR',
      dueDate: null,
      countTarget: 2,
      version: 2,
    });

    expectCode(
      await api.gql(
        UPDATE_TASK,
        { input: { id: task.id, expectedVersion: 1, title: 'Stale' } },
        { token: coach.accessToken },
      ),
      'CONFLICT',
    );
    // Bad input in one field: nothing of the edit lands, not even the valid title.
    expectCode(
      await api.gql(
        UPDATE_TASK,
        { input: { id: task.id, expectedVersion: 2, title: 'Half', recurrence: 'FREQ=SECONDLY' } },
        { token: coach.accessToken },
      ),
      'BAD_USER_INPUT',
      'recurrence',
    );
    expectCode(
      await api.gql(
        UPDATE_TASK,
        { input: { id: task.id, expectedVersion: 2, recurrence: null } },
        { token: coach.accessToken },
      ),
      'BAD_USER_INPUT',
      'dueDate',
    );

    const racers = await Promise.all(
      ['One', 'Two', 'Three'].map((title) =>
        api.gql(
          UPDATE_TASK,
          { input: { id: task.id, expectedVersion: 2, title } },
          { token: coach.accessToken },
        ),
      ),
    );
    expect(racers.filter((r) => !r.errors).length).toBe(1);
    expect(racers.filter((r) => errorCode(r) === 'CONFLICT').length).toBe(2);
    const after = await api.ok<{ actionTask: Task }>(GET_TASK, { id: task.id }, { token: coach.accessToken });
    expect(after.actionTask.version).toBe(3);
    expect(['One', 'Two', 'Three']).toContain(after.actionTask.title);
  });

  it('an old task keeps its past dates editable, but a changed due date may not be in the past', async () => {
    const { coach, goalId } = await planFixture();
    const task = await createTask(api, coach, {
      goalId,
      title: 'Old',
      startDate: today(),
      dueDate: daysFromToday(2),
    });
    await shiftTaskDates(api, task.id, -10);
    const renamed = await api.ok<{ updateActionTask: Task }>(
      UPDATE_TASK,
      { input: { id: task.id, expectedVersion: 1, title: 'Old but renamed' } },
      { token: coach.accessToken },
    );
    expect(renamed.updateActionTask.dueDate).toBe(daysFromToday(-8));
    expectCode(
      await api.gql(
        UPDATE_TASK,
        { input: { id: task.id, expectedVersion: 2, dueDate: daysFromToday(-1) } },
        { token: coach.accessToken },
      ),
      'BAD_USER_INPUT',
      'dueDate',
    );
  });
});

describe('completion log and streaks', () => {
  it('counts per occurrence, current and longest streaks; today is pending until met', async () => {
    const { firm, coach, client, goalId } = await planFixture();
    const task = await createTask(api, coach, {
      goalId,
      title: 'Feedback to three people',
      recurrence: 'FREQ=DAILY',
      countTarget: 3,
    });
    await shiftTaskDates(api, task.id, -6);
    // Days −6 … −1: met, met, short, met, met, (−1 in two entries).
    const logs: Array<[number, number]> = [
      [-6, 3],
      [-5, 3],
      [-4, 2],
      [-3, 3],
      [-2, 3],
      [-1, 1],
      [-1, 2],
    ];
    for (const [day, count] of logs) {
      await logCompletion(api, client, {
        taskId: task.id,
        occurrenceOn: daysFromToday(day),
        count,
        note: `day ${day}`,
      });
    }
    let read = await api.ok<{ actionTask: Record<string, unknown> }>(
      GET_TASK,
      { id: task.id },
      { token: coach.accessToken },
    );
    expect(read.actionTask).toMatchObject({
      status: 'IN_PROGRESS',
      loggedCount: 0,
      streak: { current: 3, longest: 3, asOf: today(), todayPending: true },
    });

    const logged = await logCompletion(api, client, { taskId: task.id, occurrenceOn: today(), count: 3 });
    expect(logged.logTaskCompletion.completion).toMatchObject({
      occurrenceOn: today(),
      count: 3,
      note: null,
      loggedByUserId: client.user.id,
      loggedByApiKeyId: null,
    });
    read = await api.ok(GET_TASK, { id: task.id }, { token: coach.accessToken });
    expect(read.actionTask).toMatchObject({
      loggedCount: 3,
      streak: { current: 4, longest: 4, todayPending: false },
    });

    const history = await api.ok<{
      taskCompletions: { edges: { node: { occurrenceOn: string; count: number } }[] };
    }>(
      `query ($taskId: ID!) { taskCompletions(taskId: $taskId, first: 100) { edges { node { occurrenceOn count } } } }`,
      { taskId: task.id },
      { token: client.accessToken },
    );
    expect(history.taskCompletions.edges.map((e) => e.node.count)).toEqual([3, 3, 2, 3, 3, 1, 2, 3]);
    const recent = await api.ok<{
      actionTask: { recentCompletions: { count: number; note: string | null }[] };
    }>(
      `query ($id: ID!) { actionTask(id: $id) { recentCompletions(limit: 2) { count note } } }`,
      { id: task.id },
      { token: coach.accessToken },
    );
    expect(recent.actionTask.recentCompletions).toEqual([
      { count: 3, note: null },
      { count: 2, note: 'day -1' },
    ]);
    expect(await rowCount(api, 'task_completions', firm.tenantId)).toBe(8);
  });

  it('a missed past occurrence resets the current streak but not the longest', async () => {
    const { coach, client, goalId } = await planFixture();
    const task = await createTask(api, coach, { goalId, title: 'Daily', recurrence: 'FREQ=DAILY' });
    await shiftTaskDates(api, task.id, -4);
    for (const day of [-4, -3, -2])
      await logCompletion(api, client, { taskId: task.id, occurrenceOn: daysFromToday(day) });
    const read = await api.ok<{ actionTask: Record<string, unknown> }>(
      GET_TASK,
      { id: task.id },
      { token: client.accessToken },
    );
    expect(read.actionTask).toMatchObject({ streak: { current: 0, longest: 3, todayPending: true } });
  });

  it('a one-off task with a count target becomes DONE when the target is reached; then logging is CONFLICT', async () => {
    const { coach, client, goalId } = await planFixture();
    const task = await createTask(api, coach, {
      goalId,
      title: 'Three conferences',
      dueDate: daysFromToday(365),
      countTarget: 3,
    });
    const first = await logCompletion(api, client, { taskId: task.id, count: 1, note: 'SaaStr' });
    expect(first.logTaskCompletion.task).toMatchObject({
      status: 'IN_PROGRESS',
      loggedCount: 1,
      completedAt: null,
      version: 2,
    });
    const second = await logCompletion(api, client, { taskId: task.id, count: 2 });
    expect(second.logTaskCompletion.task).toMatchObject({ status: 'DONE', loggedCount: 3, version: 3 });
    expect(second.logTaskCompletion.task.completedAt).not.toBeNull();
    expectCode(await api.gql(LOG, { input: { taskId: task.id } }, { token: client.accessToken }), 'CONFLICT');
    const streak = await api.ok<{ actionTask: { streak: unknown } }>(
      GET_TASK,
      { id: task.id },
      { token: client.accessToken },
    );
    expect(streak.actionTask.streak).toBeNull();
  });

  it('rejects bad completions without writing anything', async () => {
    const { firm, coach, client, goalId } = await planFixture();
    // A weekly task on a weekday that is not today, so "today" is not an occurrence.
    const weekdays = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'];
    const tomorrowWeekday = weekdays[new Date(`${daysFromToday(1)}T12:00:00Z`).getUTCDay()];
    const weekly = await createTask(api, coach, {
      goalId,
      title: 'Weekly',
      recurrence: `FREQ=WEEKLY;BYDAY=${tomorrowWeekday}`,
    });
    await shiftTaskDates(api, weekly.id, -20);
    const oneOff = await createTask(api, coach, { goalId, title: 'Once', dueDate: daysFromToday(3) });
    const cancelled = await createTask(api, coach, { goalId, title: 'Dropped', dueDate: daysFromToday(3) });
    await api.ok(
      UPDATE_TASK,
      { input: { id: cancelled.id, expectedVersion: 1, status: 'CANCELLED' } },
      { token: coach.accessToken },
    );

    const cases: Array<[Record<string, unknown>, string, string?]> = [
      [{ taskId: weekly.id }, 'BAD_USER_INPUT', 'occurrenceOn'],
      [{ taskId: weekly.id, occurrenceOn: today() }, 'BAD_USER_INPUT', 'occurrenceOn'], // not a rule date
      [{ taskId: weekly.id, occurrenceOn: daysFromToday(1) }, 'BAD_USER_INPUT', 'occurrenceOn'], // future
      [{ taskId: weekly.id, occurrenceOn: daysFromToday(-27) }, 'BAD_USER_INPUT', 'occurrenceOn'], // before the start
      [{ taskId: weekly.id, occurrenceOn: daysFromToday(-6), count: 0 }, 'BAD_USER_INPUT', 'count'],
      [{ taskId: weekly.id, occurrenceOn: daysFromToday(-6), count: 101 }, 'BAD_USER_INPUT', 'count'],
      [
        { taskId: weekly.id, occurrenceOn: daysFromToday(-6), note: 'x'.repeat(501) },
        'BAD_USER_INPUT',
        'note',
      ],
      [{ taskId: oneOff.id, occurrenceOn: today() }, 'BAD_USER_INPUT', 'occurrenceOn'],
      [{ taskId: cancelled.id }, 'CONFLICT'],
      [{ taskId: '00000000-0000-4000-8000-000000000000' }, 'NOT_FOUND'],
    ];
    for (const [input, code, field] of cases) {
      expectCode(await api.gql(LOG, { input }, { token: client.accessToken }), code, field);
    }
    expect(await rowCount(api, 'task_completions', firm.tenantId)).toBe(0);
    const ok = await logCompletion(api, client, {
      taskId: weekly.id,
      occurrenceOn: daysFromToday(-6),
      count: 1,
    });
    expect(ok.logTaskCompletion.task.status).toBe('IN_PROGRESS');
  });
});

describe('dependencies', () => {
  async function chain(f: Fixture) {
    const pull = await createTask(api, f.coach, {
      goalId: f.goalId,
      title: 'Pull the data',
      dueDate: daysFromToday(3),
    });
    const survey = await createTask(api, f.coach, {
      goalId: f.goalId,
      title: 'Survey clients',
      dueDate: daysFromToday(5),
      dependsOnIds: [pull.id],
    });
    const write = await createTask(api, f.coach, {
      goalId: f.goalId,
      title: 'Write the report',
      dueDate: daysFromToday(7),
      dependsOnIds: [survey.id],
    });
    return { pull, survey, write };
  }

  it('a task cannot be DONE while a dependency is open; DONE or CANCELLED releases it', async () => {
    const f = await planFixture();
    const { pull, survey } = await chain(f);
    const blocked = await api.gql(
      UPDATE_TASK,
      { input: { id: survey.id, expectedVersion: 1, status: 'DONE', title: 'Renamed' } },
      { token: f.client.accessToken },
    );
    expectCode(blocked, 'CONFLICT');
    expect(blocked.errors?.[0]?.message).toContain('"Pull the data" (TODO)');
    expect(blocked.errors?.[0]?.extensions?.blockingTaskIds).toEqual([pull.id]);
    const unchanged = await api.ok<{ actionTask: Task & { blockedBy: { id: string }[] } }>(
      GET_TASK,
      { id: survey.id },
      { token: f.coach.accessToken },
    );
    expect(unchanged.actionTask).toMatchObject({
      status: 'TODO',
      title: 'Survey clients',
      version: 1,
      blockedBy: [{ id: pull.id }],
    });

    await api.ok(
      UPDATE_TASK,
      { input: { id: pull.id, expectedVersion: 1, status: 'CANCELLED' } },
      { token: f.coach.accessToken },
    );
    const done = await api.ok<{ updateActionTask: Task & { blockedBy: unknown[] } }>(
      UPDATE_TASK,
      { input: { id: survey.id, expectedVersion: 1, status: 'DONE' } },
      { token: f.client.accessToken },
    );
    expect(done.updateActionTask).toMatchObject({ status: 'DONE', blockedBy: [] });
    expect(done.updateActionTask.completedAt).not.toBeNull();
    const reopened = await api.ok<{ updateActionTask: Task }>(
      UPDATE_TASK,
      { input: { id: survey.id, expectedVersion: 2, status: 'IN_PROGRESS' } },
      { token: f.client.accessToken },
    );
    expect(reopened.updateActionTask.completedAt).toBeNull();
  });

  it('reaching a one-off target with an open dependency logs the work and leaves the task IN_PROGRESS', async () => {
    const f = await planFixture();
    const { pull, survey } = await chain(f);
    const logged = await logCompletion(api, f.client, { taskId: survey.id });
    expect(logged.logTaskCompletion.task).toMatchObject({
      status: 'IN_PROGRESS',
      loggedCount: 1,
      blockedBy: [{ id: pull.id }],
    });
  });

  it('no cycles, no self-dependency, same client only; unreachable ids are NOT_FOUND; nothing half-written', async () => {
    const f = await planFixture();
    const { pull, survey, write } = await chain(f);
    const cycle = await api.gql(
      UPDATE_TASK,
      { input: { id: pull.id, expectedVersion: 1, dependsOnIds: [write.id], title: 'X' } },
      { token: f.coach.accessToken },
    );
    expectCode(cycle, 'BAD_USER_INPUT', 'dependsOnIds');
    expect(cycle.errors?.[0]?.message).toMatch(/cycle/);
    expectCode(
      await api.gql(
        UPDATE_TASK,
        { input: { id: pull.id, expectedVersion: 1, dependsOnIds: [pull.id] } },
        { token: f.coach.accessToken },
      ),
      'BAD_USER_INPUT',
      'dependsOnIds',
    );

    // Another client of the same coach: visible, but not the same client.
    const other = await createClient(api, f.coach);
    const otherGoal = await insertGoal(api, f.firm.tenantId, other.id);
    const otherTask = await createTask(api, f.coach, {
      goalId: otherGoal,
      title: 'Theirs',
      dueDate: daysFromToday(3),
    });
    expectCode(
      await api.gql(
        UPDATE_TASK,
        { input: { id: pull.id, expectedVersion: 1, dependsOnIds: [otherTask.id] } },
        { token: f.coach.accessToken },
      ),
      'BAD_USER_INPUT',
      'dependsOnIds',
    );
    // The client cannot see that other client: for them the task does not exist.
    expectCode(
      await api.gql(
        UPDATE_TASK,
        { input: { id: pull.id, expectedVersion: 1, dependsOnIds: [otherTask.id] } },
        { token: f.client.accessToken },
      ),
      'NOT_FOUND',
    );
    const foreign = await planFixture();
    const foreignTask = await createTask(api, foreign.coach, {
      goalId: foreign.goalId,
      title: 'Elsewhere',
      dueDate: daysFromToday(3),
    });
    expectCode(
      await api.gql(
        UPDATE_TASK,
        { input: { id: pull.id, expectedVersion: 1, dependsOnIds: [foreignTask.id] } },
        { token: f.coach.accessToken },
      ),
      'NOT_FOUND',
    );
    const tasksBefore = await rowCount(api, 'action_tasks', f.firm.tenantId);
    expectCode(
      await api.gql(
        CREATE_TASK,
        {
          input: {
            goalId: f.goalId,
            title: 'New',
            dueDate: daysFromToday(3),
            dependsOnIds: [foreignTask.id],
          },
        },
        { token: f.coach.accessToken },
      ),
      'NOT_FOUND',
    );
    expect(await rowCount(api, 'action_tasks', f.firm.tenantId)).toBe(tasksBefore);

    const [{ n }] = await api.dataSource.query(
      `SELECT count(*)::int AS n FROM task_dependencies WHERE tenant_id = $1`,
      [f.firm.tenantId],
    );
    expect(n).toBe(2);
    const read = await api.ok<{ actionTask: Task & { dependencies: { id: string }[] } }>(
      GET_TASK,
      { id: pull.id },
      { token: f.coach.accessToken },
    );
    expect(read.actionTask).toMatchObject({ title: 'Pull the data', version: 1, dependencies: [] });

    // Replacing the set works, and an empty list clears it.
    const replaced = await api.ok<{ updateActionTask: { dependencies: { id: string }[] } }>(
      UPDATE_TASK,
      { input: { id: write.id, expectedVersion: 1, dependsOnIds: [survey.id, pull.id] } },
      { token: f.coach.accessToken },
    );
    expect(replaced.updateActionTask.dependencies.map((d) => d.id).sort()).toEqual(
      [survey.id, pull.id].sort(),
    );
    const cleared = await api.ok<{ updateActionTask: { dependencies: unknown[] } }>(
      UPDATE_TASK,
      { input: { id: write.id, expectedVersion: 2, dependsOnIds: [] } },
      { token: f.coach.accessToken },
    );
    expect(cleared.updateActionTask.dependencies).toEqual([]);
  });

  it('two concurrent edits cannot close a cycle between them', async () => {
    const f = await planFixture();
    const a = await createTask(api, f.coach, { goalId: f.goalId, title: 'A', dueDate: daysFromToday(3) });
    const otherGoal = await insertGoal(api, f.firm.tenantId, f.client.user.id, 'Another goal');
    const b = await createTask(api, f.coach, { goalId: otherGoal, title: 'B', dueDate: daysFromToday(3) });
    const results = await Promise.all([
      api.gql(
        UPDATE_TASK,
        { input: { id: a.id, expectedVersion: 1, dependsOnIds: [b.id] } },
        { token: f.coach.accessToken },
      ),
      api.gql(
        UPDATE_TASK,
        { input: { id: b.id, expectedVersion: 1, dependsOnIds: [a.id] } },
        { token: f.coach.accessToken },
      ),
    ]);
    expect(results.filter((r) => !r.errors).length).toBe(1);
    expect(results.map((r) => errorCode(r)).filter(Boolean)).toEqual(['BAD_USER_INPUT']);
  });
});

describe('who may do what', () => {
  it('coaches their caseload, clients their own tasks, outsiders NOT_FOUND', async () => {
    const f = await planFixture();
    const task = await createTask(api, f.client, {
      goalId: f.goalId,
      title: 'Mine',
      dueDate: daysFromToday(3),
    });
    expect(
      (await api.ok<{ actionTask: Task }>(GET_TASK, { id: task.id }, { token: f.coach.accessToken }))
        .actionTask.id,
    ).toBe(task.id);
    expect(
      (await api.ok<{ actionTask: Task }>(GET_TASK, { id: task.id }, { token: f.firm.admin.accessToken }))
        .actionTask.id,
    ).toBe(task.id);

    const secondClient = await createClient(api, f.otherCoach);
    const theirGoal = await insertGoal(api, f.firm.tenantId, secondClient.id);
    const other = await signUpFirm(api);
    const outsiders = [f.otherCoach, other.admin];
    for (const who of outsiders) {
      expectCode(await api.gql(GET_TASK, { id: task.id }, { token: who.accessToken }), 'NOT_FOUND');
      expectCode(
        await api.gql(
          CREATE_TASK,
          { input: { goalId: f.goalId, title: 'X', dueDate: daysFromToday(3) } },
          { token: who.accessToken },
        ),
        'NOT_FOUND',
      );
      expectCode(
        await api.gql(
          UPDATE_TASK,
          { input: { id: task.id, expectedVersion: 1, title: 'X' } },
          { token: who.accessToken },
        ),
        'NOT_FOUND',
      );
      expectCode(await api.gql(LOG, { input: { taskId: task.id } }, { token: who.accessToken }), 'NOT_FOUND');
      expectCode(
        await api.gql(
          `query ($id: ID!) { taskCompletions(taskId: $id) { edges { cursor } } }`,
          { id: task.id },
          { token: who.accessToken },
        ),
        'NOT_FOUND',
      );
    }
    // A client cannot reach another client's goal.
    expectCode(
      await api.gql(
        CREATE_TASK,
        { input: { goalId: theirGoal, title: 'X', dueDate: daysFromToday(3) } },
        { token: f.client.accessToken },
      ),
      'NOT_FOUND',
    );
    expect(await rowCount(api, 'action_tasks', f.firm.tenantId)).toBe(1);
    expect(await rowCount(api, 'task_completions', f.firm.tenantId)).toBe(0);
  });

  it('API keys need GOALS_READ to read and GOALS_WRITE to write; their logs name the key', async () => {
    const f = await planFixture();
    const task = await createTask(api, f.coach, {
      goalId: f.goalId,
      title: 'Task',
      dueDate: daysFromToday(3),
    });
    const reader = await createApiKey(api, f.firm, ['GOALS_READ']);
    const writer = await createApiKey(api, f.firm, ['GOALS_READ', 'GOALS_WRITE']);
    const none = await createApiKey(api, f.firm, ['CLIENTS_READ']);
    expect(
      (await api.ok<{ actionTask: Task }>(GET_TASK, { id: task.id }, { apiKey: reader.secret })).actionTask
        .id,
    ).toBe(task.id);
    expectCode(await api.gql(GET_TASK, { id: task.id }, { apiKey: none.secret }), 'FORBIDDEN');
    expectCode(await api.gql(LOG, { input: { taskId: task.id } }, { apiKey: reader.secret }), 'FORBIDDEN');
    expectCode(
      await api.gql(
        CREATE_TASK,
        { input: { goalId: f.goalId, title: 'K', dueDate: daysFromToday(3) } },
        { apiKey: reader.secret },
      ),
      'FORBIDDEN',
    );
    const created = await api.ok<{ createActionTask: Task }>(
      CREATE_TASK,
      { input: { goalId: f.goalId, title: 'From the partner app', dueDate: daysFromToday(3) } },
      { apiKey: writer.secret },
    );
    const logged = await api.ok<{ logTaskCompletion: { completion: Record<string, unknown> } }>(
      LOG,
      { input: { taskId: created.createActionTask.id } },
      { apiKey: writer.secret },
    );
    expect(logged.logTaskCompletion.completion).toMatchObject({
      loggedByUserId: null,
      loggedByApiKeyId: writer.id,
    });
    expectCode(await api.gql(`{ overdueTasks { totalCount } }`, {}, { apiKey: none.secret }), 'FORBIDDEN');
    expect(await api.ok(`{ overdueTasks { totalCount } }`, {}, { apiKey: reader.secret })).toEqual({
      overdueTasks: { totalCount: 0 },
    });
  });

  it('archived clients stay readable; writes are CONFLICT', async () => {
    const f = await planFixture();
    const task = await createTask(api, f.coach, {
      goalId: f.goalId,
      title: 'Before archiving',
      dueDate: daysFromToday(3),
    });
    await api.ok(
      `mutation ($input: ArchiveClientInput!) { archiveClient(input: $input) { id } }`,
      { input: { id: f.client.user.id } },
      { token: f.coach.accessToken },
    );
    expect(
      (await api.ok<{ actionTask: Task }>(GET_TASK, { id: task.id }, { token: f.coach.accessToken }))
        .actionTask.title,
    ).toBe('Before archiving');
    expectCode(
      await api.gql(
        CREATE_TASK,
        { input: { goalId: f.goalId, title: 'X', dueDate: daysFromToday(3) } },
        { token: f.coach.accessToken },
      ),
      'CONFLICT',
    );
    expectCode(
      await api.gql(
        UPDATE_TASK,
        { input: { id: task.id, expectedVersion: 1, title: 'X' } },
        { token: f.coach.accessToken },
      ),
      'CONFLICT',
    );
    expectCode(
      await api.gql(LOG, { input: { taskId: task.id } }, { token: f.coach.accessToken }),
      'CONFLICT',
    );
    expect(await rowCount(api, 'task_completions', f.firm.tenantId)).toBe(0);
  });
});

describe('time zones', () => {
  it('"today" is the client’s: a date that is today in Pago Pago is already past in Kiritimati', async () => {
    const { firm, coach } = await planFixture();
    const east = await createClient(api, coach, { timezone: 'Pacific/Kiritimati' });
    const west = await createClient(api, coach, { timezone: 'Pacific/Pago_Pago' });
    const pagoToday = today('Pacific/Pago_Pago');
    const eastGoal = await insertGoal(api, firm.tenantId, east.id);
    const westGoal = await insertGoal(api, firm.tenantId, west.id);
    expectCode(
      await api.gql(
        CREATE_TASK,
        { input: { goalId: eastGoal, title: 'Due', dueDate: pagoToday } },
        { token: coach.accessToken },
      ),
      'BAD_USER_INPUT',
      'dueDate',
    );
    const ok = await createTask(api, coach, { goalId: westGoal, title: 'Due', dueDate: pagoToday });
    expect(ok.startDate).toBe(pagoToday);
  });
});
