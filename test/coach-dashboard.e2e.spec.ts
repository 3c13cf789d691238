import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import pg from 'pg';
import { ApiModule } from '#cairn-app/api';
import { addDays, todayIn } from '#cairn/shared/calendar';
import {
  coachingFirm,
  createApiKey,
  createClient,
  errorCode,
  type Session,
  signUpFirm,
  testConfig,
} from '#cairn/shared/testing';
import { TestApi } from './support/index.js';

const DASHBOARD = `query ($first: Int, $after: String, $coachId: ID) {
  coachDashboard(first: $first, after: $after, coachId: $coachId) {
    edges { cursor node {
      client { id displayName effectiveTimezone }
      activeGoals { progress goal { id title status priority measures { title } children { id } } }
      averageProgress overdueTaskCount overdueTasks { id title } nextDueOn nextDueTasks { id title dueDate }
    } }
    pageInfo { hasNextPage endCursor }
  }
}`;

type Row = {
  client: { id: string; displayName: string };
  activeGoals: { progress: number | null; goal: { id: string; title: string; priority: number } }[];
  averageProgress: number | null;
  overdueTaskCount: number;
  overdueTasks: { title: string }[];
  nextDueOn: string | null;
  nextDueTasks: { title: string }[];
};
type Dashboard = { coachDashboard: { edges: { node: Row }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } };

let api: TestApi;
beforeAll(async () => {
  api = await TestApi.start(ApiModule.forRoot(testConfig()));
});
afterAll(() => api.close());

/** A client with an ACTIVE goal whose progress is `percent` (a 0→100 numeric measure), and a task due in 3 days. */
async function coachedClient(coach: Session, name: string, percent: number) {
  const client = await createClient(api, coach, { displayName: name });
  const today = todayIn(client.effectiveTimezone);
  const goal = await api.ok<{ createGoal: { id: string; version: number } }>(
    `mutation ($input: CreateGoalInput!) { createGoal(input: $input) { id version } }`,
    {
      input: {
        clientId: client.id,
        horizon: 'IMMEDIATE',
        category: 'SKILL',
        title: `Write four quarterly reports with a qualitative section (${name})`,
        priority: 2,
        targetDate: addDays(today, 120),
        why: { motivation: 'Needed for the next role', values: ['Growth'] },
        attainabilityNotes: 'Start each report a week earlier',
        challengeLevel: 'STRETCH',
      },
    },
    { token: coach.accessToken },
  );
  const measured = await api.ok<{ addGoalMeasure: { goal: { version: number }; measure: { id: string } } }>(
    `mutation ($input: AddGoalMeasureInput!) { addGoalMeasure(input: $input) { goal { version } measure { id } } }`,
    {
      input: {
        goalId: goal.createGoal.id,
        expectedVersion: goal.createGoal.version,
        kind: 'PERCENTAGE',
        title: 'Share of reports with a qualitative section',
        baseline: 0,
        target: 100,
      },
    },
    { token: coach.accessToken },
  );
  await api.ok(
    `mutation ($input: ChangeGoalStatusInput!) { changeGoalStatus(input: $input) { id } }`,
    { input: { id: goal.createGoal.id, expectedVersion: measured.addGoalMeasure.goal.version, status: 'ACTIVE' } },
    { token: coach.accessToken },
  );
  if (percent > 0) {
    await api.ok(
      `mutation ($input: RecordProgressInput!) { recordProgress(input: $input) { progressUpdate { id } } }`,
      { input: { measureId: measured.addGoalMeasure.measure.id, value: percent } },
      { token: coach.accessToken },
    );
  }
  await api.ok(
    `mutation ($input: CreateActionTaskInput!) { createActionTask(input: $input) { id } }`,
    { input: { goalId: goal.createGoal.id, title: `Draft report (${name})`, dueDate: addDays(today, 3) } },
    { token: coach.accessToken },
  );
  // A weekly habit never done: its last occurrence (yesterday) is overdue, the next is in six days.
  await api.ok(
    `mutation ($input: CreateActionTaskInput!) { createActionTask(input: $input) { id } }`,
    {
      input: {
        goalId: goal.createGoal.id,
        title: `Weekly review (${name})`,
        recurrence: 'FREQ=DAILY;INTERVAL=7',
        startDate: addDays(today, -22),
      },
    },
    { token: coach.accessToken },
  );
  return { ...client, goalId: goal.createGoal.id, today };
}

describe('coach dashboard', () => {
  it('lists the caseload with active goals, progress, overdue tasks and what is due next', async () => {
    const { coach } = await coachingFirm(api);
    const riley = await coachedClient(coach, 'Riley', 40);
    const data = await api.ok<Dashboard>(DASHBOARD, {}, { token: coach.accessToken });
    const rows = Object.fromEntries(data.coachDashboard.edges.map((e) => [e.node.client.displayName, e.node]));
    expect(Object.keys(rows).sort()).toEqual(['CLIENT person', 'Riley']);
    expect(rows['CLIENT person']).toMatchObject({ activeGoals: [], averageProgress: null, overdueTaskCount: 0, nextDueOn: null });
    expect(rows.Riley).toMatchObject({
      client: { id: riley.id },
      activeGoals: [
        {
          progress: 40,
          goal: { id: riley.goalId, priority: 2, measures: [{ title: 'Share of reports with a qualitative section' }], children: [] },
        },
      ],
      averageProgress: 40,
      overdueTaskCount: 1,
      overdueTasks: [{ title: 'Weekly review (Riley)' }],
      nextDueOn: addDays(riley.today, 3),
      nextDueTasks: [{ title: 'Draft report (Riley)' }],
    });
  });

  it('answers a page of 10 and a page of 50 clients in the same 7 statements or fewer, authentication included', async () => {
    const { coach } = await coachingFirm(api);
    for (let i = 0; i < 10; i++) await coachedClient(coach, `Client ${i}`, i * 10);
    for (let i = 10; i < 50; i++) await createClient(api, coach, { displayName: `Client ${i}` });
    const statementsFor = async (first: number) => {
      // Every statement pg sends, also those that bypass TypeORM (the credential check goes with BEGIN).
      const spy = jest.spyOn(pg.Client.prototype, 'query');
      try {
        const data = await api.ok<Dashboard>(DASHBOARD, { first }, { token: coach.accessToken });
        return { statements: spy.mock.calls.map((call) => String(call[0])), rows: data.coachDashboard.edges };
      } finally {
        spy.mockRestore();
      }
    };
    const small = await statementsFor(10);
    const large = await statementsFor(50);
    expect(small.rows).toHaveLength(10);
    expect(large.rows).toHaveLength(50);
    expect(large.rows.filter((e) => e.node.activeGoals.length === 1)).toHaveLength(10);
    expect(large.statements).toHaveLength(small.statements.length);
    // One read transaction (BEGIN, the tenant settings and the credential check in one round trip, then COMMIT)
    // holding the clients, their goals, the measures of the active trees, the open tasks and their logged counts.
    expect(small.statements.length).toBeLessThanOrEqual(7);
    expect(small.statements[0]).toMatch(/^BEGIN .*READ ONLY; SELECT set_config.*; select "u"\."role", "u"\."status"/s);
    expect(small.statements.at(-1)).toBe('COMMIT');
  });

  it('pages through the caseload with cursors', async () => {
    const { coach } = await coachingFirm(api);
    for (const name of ['A', 'B']) await createClient(api, coach, { displayName: name });
    const first = await api.ok<Dashboard>(DASHBOARD, { first: 2 }, { token: coach.accessToken });
    expect(first.coachDashboard.pageInfo.hasNextPage).toBe(true);
    const second = await api.ok<Dashboard>(
      DASHBOARD,
      { first: 2, after: first.coachDashboard.pageInfo.endCursor },
      { token: coach.accessToken },
    );
    const all = [...first.coachDashboard.edges, ...second.coachDashboard.edges].map((e) => e.node.client.displayName);
    expect(all.sort()).toEqual(['A', 'B', 'CLIENT person']);
    expect(second.coachDashboard.pageInfo.hasNextPage).toBe(false);
  });

  it('leaves out archived clients and clients of ended engagements', async () => {
    const { coach, client } = await coachingFirm(api);
    const archived = await createClient(api, coach, { displayName: 'Archived' });
    await api.ok(`mutation ($id: ID!) { archiveClient(input: { id: $id }) { id } }`, { id: archived.id }, { token: coach.accessToken });
    const ended = await createClient(api, coach, { displayName: 'Ended' });
    const engagement = await api.ok<{ client: { engagements: { id: string }[] } }>(
      `query ($id: ID!) { client(id: $id) { engagements { id } } }`,
      { id: ended.id },
      { token: coach.accessToken },
    );
    await api.ok(
      `mutation ($id: ID!) { updateEngagement(input: { id: $id, status: ENDED }) { id } }`,
      { id: engagement.client.engagements[0].id },
      { token: coach.accessToken },
    );
    const data = await api.ok<Dashboard>(DASHBOARD, {}, { token: coach.accessToken });
    expect(data.coachDashboard.edges.map((e) => e.node.client.id)).toEqual([client.user.id]);
  });

  it('coaches see only their own; admins and API keys name the coach; clients are refused', async () => {
    const { firm, coach, otherCoach, client } = await coachingFirm(api);
    await createClient(api, otherCoach, { displayName: 'Other coach’s client' });

    const own = await api.ok<Dashboard>(DASHBOARD, { coachId: coach.user.id }, { token: coach.accessToken });
    expect(own.coachDashboard.edges.map((e) => e.node.client.id)).toEqual([client.user.id]);
    expect(errorCode(await api.gql(DASHBOARD, { coachId: otherCoach.user.id }, { token: coach.accessToken }))).toBe('NOT_FOUND');
    expect(errorCode(await api.gql(DASHBOARD, {}, { token: client.accessToken }))).toBe('FORBIDDEN');

    expect(errorCode(await api.gql(DASHBOARD, {}, { token: firm.admin.accessToken }))).toBe('BAD_USER_INPUT');
    const byAdmin = await api.ok<Dashboard>(DASHBOARD, { coachId: otherCoach.user.id }, { token: firm.admin.accessToken });
    expect(byAdmin.coachDashboard.edges.map((e) => e.node.client.displayName)).toEqual(['Other coach’s client']);
    const notACoach = await api.gql(DASHBOARD, { coachId: client.user.id }, { token: firm.admin.accessToken });
    expect(errorCode(notACoach)).toBe('NOT_FOUND');

    const other = await signUpFirm(api);
    expect(errorCode(await api.gql(DASHBOARD, { coachId: coach.user.id }, { token: other.admin.accessToken }))).toBe('NOT_FOUND');

    const partner = await createApiKey(api, firm, ['CLIENTS_READ', 'GOALS_READ']);
    const viaKey = await api.ok<Dashboard>(DASHBOARD, { coachId: coach.user.id }, { apiKey: partner.secret });
    expect(viaKey.coachDashboard.edges.map((e) => e.node.client.id)).toEqual([client.user.id]);
    const narrowKey = await createApiKey(api, firm, ['CLIENTS_READ']);
    expect(errorCode(await api.gql(DASHBOARD, { coachId: coach.user.id }, { apiKey: narrowKey.secret }))).toBe('FORBIDDEN');
  });
});
