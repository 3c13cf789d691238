import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ApiModule } from '#cairn-app/api';
import { daysBetween, todayIn } from '#cairn/shared/calendar';
import { addUser, coachingFirm, createApiKey, errorCode, type Session, testConfig } from '#cairn/shared/testing';
import { createTask, daysFromToday, logCompletion, shiftTaskDates } from './action-plan-fixtures.js';
import { countStatements, TestApi } from './support/index.js';

const PACE = `state explanation met requiredRate actualRate basis forecastDate remaining daysLeft dataPoints`;
const CREATE = `mutation ($input: CreateGoalInput!) { createGoal(input: $input) { id version } }`;
const ADD = `mutation ($input: AddGoalMeasureInput!) { addGoalMeasure(input: $input) { goal { id version } measure { id } } }`;
const RECORD = `mutation ($input: RecordProgressInput!) { recordProgress(input: $input) { measure { id } } }`;
const GOAL = `query ($id: ID!) { goal(id: $id) { id
  pace { state explanation forecastDate parts partsBehind }
  measures { id kind pace { ${PACE} } }
  tasks { id pace { ${PACE} } } } }`;
const GOALS = `query ($clientId: ID) { goals(clientId: $clientId, first: 20) { edges { node { id pace { state } measures { pace { state } } } } } }`;
const FULL_PAGE = `query ($clientId: ID) { goals(clientId: $clientId, first: 20) { edges { node { id
  pace { state } measures { pace { state } } tasks { pace { state } } } } } }`;
const TASK = `query ($id: ID!) { actionTask(id: $id) { id pace { ${PACE} } } }`;

type Pace = Record<string, unknown> & { state: string; explanation: string; forecastDate: string | null };
type GoalView = {
  id: string;
  pace: (Pace & { parts: number; partsBehind: number }) | null;
  measures: { id: string; kind: string; pace: Pace | null }[];
  tasks: { id: string; pace: Pace | null }[];
};

let api: TestApi;
beforeAll(async () => {
  api = await TestApi.start(ApiModule.forRoot(testConfig()));
});
afterAll(() => api.close());

// In the fixtures' firm default zone: the client's days.
const inDays = (n: number) => daysFromToday(n);
const view = async (token: string, id: string) => (await api.ok<{ goal: GoalView }>(GOAL, { id }, { token })).goal;
const record = (token: string, measureId: string, value: number, occurredOn?: string) =>
  api.ok(RECORD, { input: { measureId, value, ...(occurredOn ? { occurredOn } : {}) } }, { token });

/**
 * A 100-day goal, 50 days in: started 50 days ago, due in 50; a NUMERIC measure 0 → 100 calls (added when the
 * goal started) at 30, 40 and 50 twenty, ten and zero days ago — exactly on pace — and a MILESTONE.
 */
async function goalOnPace() {
  const cast = await coachingFirm(api);
  return { ...cast, ...(await pacedGoal(cast.coach, cast.client.user.id)) };
}

async function pacedGoal(coach: Session, clientId: string) {
  const token = coach.accessToken;
  const goal = (
    await api.ok<{ createGoal: { id: string; version: number } }>(
      CREATE,
      { input: { clientId, horizon: 'IMMEDIATE', category: 'SKILL', title: 'Call 100 prospects this quarter', targetDate: inDays(50) } },
      { token },
    )
  ).createGoal;
  const add = async (input: Record<string, unknown>) => {
    const data = await api.ok<{ addGoalMeasure: { goal: { version: number }; measure: { id: string } } }>(
      ADD,
      { input: { goalId: goal.id, expectedVersion: goal.version, ...input } },
      { token },
    );
    goal.version = data.addGoalMeasure.goal.version;
    return data.addGoalMeasure.measure.id;
  };
  const calls = await add({ kind: 'NUMERIC', title: 'Prospects called', baseline: 0, target: 100, direction: 'INCREASE', unit: 'calls' });
  const milestone = await add({ kind: 'MILESTONE', title: 'Pipeline review with the boss' });
  // Time passes: the goal and its measure started 50 days ago (the API refuses past start dates, as it should).
  await api.dataSource.query(`UPDATE goals SET start_date = $2 WHERE id = $1`, [goal.id, inDays(-50)]);
  await api.dataSource.query(`UPDATE goal_measures SET created_at = created_at - interval '50 days' WHERE goal_id = $1`, [goal.id]);
  await record(token, calls, 30, inDays(-20));
  await record(token, calls, 40, inDays(-10));
  await record(token, calls, 50);
  const habit = await createTask(api, coach, { goalId: goal.id, title: 'Ten cold calls', recurrence: 'FREQ=DAILY' });
  return { goalId: goal.id, calls, milestone, habitId: habit.id };
}

describe('pace through GraphQL', () => {
  it('a measure on its line is ON_TRACK with the forecast on the target date; a slip makes it and its goal BEHIND', async () => {
    const { coach, client, goalId, calls, milestone } = await goalOnPace();
    const before = await view(client.accessToken, goalId);
    const numeric = before.measures.find((m) => m.id === calls)!.pace!;
    expect(numeric).toMatchObject({
      state: 'ON_TRACK',
      met: false,
      basis: 'RECENT_TREND',
      dataPoints: 3,
      forecastDate: inDays(50),
      remaining: 50,
      daysLeft: 50,
    });
    expect(numeric.requiredRate).toBeCloseTo(1);
    expect(numeric.actualRate).toBeCloseTo(1);
    expect(numeric.explanation).toContain('1 calls/day');
    expect(before.measures.find((m) => m.id === milestone)!.pace).toBeNull();
    // The habit added today has no occurrence behind it yet: ON_TRACK, and no finish to forecast.
    expect(before.pace).toMatchObject({ state: 'ON_TRACK', forecastDate: inDays(50), parts: 2, partsBehind: 0 });

    // A correction later today: 45, not 50. The trend slows to 0.81 a day against 1.1 needed.
    await record(coach.accessToken, calls, 45);
    const after = await view(client.accessToken, goalId);
    const slipped = after.measures.find((m) => m.id === calls)!.pace!;
    expect(slipped).toMatchObject({ state: 'BEHIND', remaining: 55, forecastDate: inDays(68) });
    expect(slipped.requiredRate).toBeCloseTo(1.1);
    expect(slipped.actualRate).toBeCloseTo(0.8125);
    expect(after.pace).toMatchObject({ state: 'BEHIND', partsBehind: 1, forecastDate: inDays(68) });
    expect(after.pace!.explanation).toMatch(/^Measure “Prospects called”: Behind pace/);

    // Reached: AHEAD and met, whatever the date.
    await record(coach.accessToken, calls, 100);
    expect((await view(client.accessToken, goalId)).measures.find((m) => m.id === calls)!.pace).toMatchObject({
      state: 'AHEAD',
      met: true,
      remaining: 0,
    });
  });

  it('a lower-is-better measure is paced towards its lower target', async () => {
    const { coach, goalId } = await goalOnPace();
    const goal = (await api.ok<{ goal: { version: number } }>(`query ($id: ID!) { goal(id: $id) { version } }`, { id: goalId }, { token: coach.accessToken })).goal;
    const { addGoalMeasure } = await api.ok<{ addGoalMeasure: { measure: { id: string } } }>(
      ADD,
      { input: { goalId, expectedVersion: goal.version, kind: 'PERCENTAGE', title: 'Deals lost to price', baseline: 60, target: 20, direction: 'DECREASE' } },
      { token: coach.accessToken },
    );
    await api.dataSource.query(`UPDATE goal_measures SET created_at = created_at - interval '50 days' WHERE id = $1`, [addGoalMeasure.measure.id]);
    for (const [ago, value] of [[-20, 48], [-10, 44], [0, 40]]) await record(coach.accessToken, addGoalMeasure.measure.id, value, ago ? inDays(ago) : undefined);
    const pace = (await view(coach.accessToken, goalId)).measures.find((m) => m.id === addGoalMeasure.measure.id)!.pace!;
    // 0.4 points a day down, as needed (20 points in 50 days): on the line.
    expect(pace).toMatchObject({ state: 'ON_TRACK', remaining: 20, forecastDate: inDays(50) });
    expect(pace.actualRate).toBeCloseTo(0.4);
  });

  it('a recurring task is judged on its recent occurrences, and the goal takes the worst part', async () => {
    const { coach, client, goalId, habitId } = await goalOnPace();
    await api.dataSource.query(`UPDATE action_tasks SET count_target = 2 WHERE id = $1`, [habitId]);
    const habit = { id: habitId };
    await shiftTaskDates(api, habitId, -10);
    const oneOff = await createTask(api, coach, { goalId, title: 'Update the CRM', dueDate: inDays(3) });
    // 3 of the last 8 occurrences met (a count of 2); one more logged short (1 of 2): 7 of 16, under half.
    for (const ago of [1, 2, 3]) await logCompletion(api, client, { taskId: habit.id, occurrenceOn: inDays(-ago), count: 2 });
    for (const ago of [4]) await logCompletion(api, client, { taskId: habit.id, occurrenceOn: inDays(-ago), count: 1 });

    const task = (await api.ok<{ actionTask: { pace: Pace } }>(TASK, { id: habit.id }, { token: client.accessToken })).actionTask;
    expect(task.pace).toMatchObject({ state: 'AT_RISK', basis: 'RECENT_OCCURRENCES', dataPoints: 8, forecastDate: null, remaining: 9 });
    expect(task.pace.explanation).toBe('7 of 16 logged over the last 8 occurrences, 9 short.');
    const goal = await view(client.accessToken, goalId);
    expect(goal.tasks.find((t) => t.id === oneOff.id)!.pace).toBeNull();
    expect(goal.pace).toMatchObject({ state: 'AT_RISK', parts: 2, partsBehind: 1 });
    expect(goal.pace!.explanation).toMatch(/^Task “Ten cold calls”: 7 of 16 logged/);

    // Catching up on four more days makes it 15 of 16: late but over half, BEHIND; the goal follows.
    for (const ago of [5, 6, 7, 8]) await logCompletion(api, client, { taskId: habit.id, occurrenceOn: inDays(-ago), count: 2 });
    expect((await view(client.accessToken, goalId)).pace).toMatchObject({ state: 'BEHIND' });
  });

  it('a goal measured by milestones only is judged on its progress against the straight line', async () => {
    const { coach, goalId, calls, milestone, habitId } = await goalOnPace();
    await api.dataSource.query(`UPDATE action_tasks SET status = 'CANCELLED' WHERE id = $1`, [habitId]);
    await api.gql(`mutation ($input: RemoveGoalMeasureInput!) { removeGoalMeasure(input: $input) { id } }`, {
      input: { measureId: calls, expectedVersion: (await api.ok<{ goal: { version: number } }>(`query ($id: ID!) { goal(id: $id) { version } }`, { id: goalId }, { token: coach.accessToken })).goal.version },
    }, { token: coach.accessToken });
    // Half the time gone, nothing done: AT_RISK.
    expect((await view(coach.accessToken, goalId)).pace).toMatchObject({ state: 'AT_RISK', parts: 0 });
    await record(coach.accessToken, milestone, 1);
    expect((await view(coach.accessToken, goalId)).pace).toMatchObject({ state: 'AHEAD', parts: 0 });
  });

  it('counts the days in the client’s own zone', async () => {
    const { coach, client, goalId, calls } = await goalOnPace();
    // A zone whose today is not London's right now: UTC+14 is a day ahead from 10:00 UTC, UTC−11 a day behind until 11:00.
    const zone = todayIn('Pacific/Kiritimati') !== inDays(0) ? 'Pacific/Kiritimati' : 'Pacific/Pago_Pago';
    expect(todayIn(zone)).not.toBe(inDays(0));
    await api.dataSource.query(`UPDATE users SET timezone = $2 WHERE id = $1`, [client.user.id, zone]);
    const pace = (await view(coach.accessToken, goalId)).measures.find((m) => m.id === calls)!.pace!;
    expect(pace.daysLeft).toBe(daysBetween(todayIn(zone), inDays(50)));
  });

  it('a page of goals reads every pace in the same number of statements for one goal or three', async () => {
    const one = await goalOnPace();
    const three = await goalOnPace();
    for (let i = 0; i < 2; i++) await pacedGoal(three.coach, three.client.user.id);
    const read = (cast: { coach: Session; client: Session }) => () =>
      api.ok<{ goals: { edges: { node: { pace: { state: string } } }[] } }>(FULL_PAGE, { clientId: cast.client.user.id }, { token: cast.coach.accessToken });
    await read(one)(); // warm-up
    const forOne = await countStatements(api, read(one));
    const forThree = await countStatements(api, read(three));
    expect(forOne).toBeGreaterThan(3);
    expect(forThree).toBe(forOne);
    const page = await read(three)();
    expect(page.goals.edges.map((e) => e.node.pace.state)).toEqual(['ON_TRACK', 'ON_TRACK', 'ON_TRACK']);
  });
});

describe('who sees a pace', () => {
  it('only through a goal or task the caller may reach: other firms, other clients and uncoached coaches get NOT_FOUND', async () => {
    const { firm, client, otherCoach, goalId, habitId } = await goalOnPace();
    const habit = { id: habitId };
    const otherClient = await addUser(api, firm, 'CLIENT');
    const other = await coachingFirm(api);
    const outsiders: Session[] = [otherCoach, otherClient, other.firm.admin, other.coach, other.client];
    for (const session of outsiders) {
      const goal = await api.gql(GOAL, { id: goalId }, { token: session.accessToken });
      expect(errorCode(goal)).toBe('NOT_FOUND');
      expect(JSON.stringify(goal.data ?? null)).not.toContain('Behind');
      expect(errorCode(await api.gql(TASK, { id: habit.id }, { token: session.accessToken }))).toBe('NOT_FOUND');
    }
    // Listing another client's goals shows nothing of them.
    const listed = await api.gql(GOALS, { clientId: client.user.id }, { token: otherClient.accessToken });
    expect(JSON.stringify(listed.data ?? {})).not.toContain(goalId);
    // The client, their coach and the admin read it.
    for (const session of [client, firm.admin]) expect((await view(session.accessToken, goalId)).pace?.state).toBe('ON_TRACK');
  });

  it('an API key needs GOALS_READ; a key of another firm cannot see it; a bad id is refused', async () => {
    const { firm, goalId } = await goalOnPace();
    const reader = await createApiKey(api, firm, ['GOALS_READ']);
    const stranger = await createApiKey(api, firm, ['USERS_READ']);
    const other = await coachingFirm(api);
    const otherReader = await createApiKey(api, other.firm, ['GOALS_READ']);
    expect((await api.ok<{ goal: GoalView }>(GOAL, { id: goalId }, { apiKey: reader.secret })).goal.pace?.state).toBe('ON_TRACK');
    expect(errorCode(await api.gql(GOAL, { id: goalId }, { apiKey: stranger.secret }))).toBe('FORBIDDEN');
    expect(errorCode(await api.gql(GOAL, { id: goalId }, { apiKey: otherReader.secret }))).toBe('NOT_FOUND');
    expect(errorCode(await api.gql(GOAL, { id: 'not-a-goal' }, { apiKey: reader.secret }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await api.gql(TASK, { id: 'not-a-task' }, { apiKey: reader.secret }))).toBe('BAD_USER_INPUT');
  });
});
