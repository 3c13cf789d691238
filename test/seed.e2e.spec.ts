import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { ApiModule } from '#cairn-app/api';
import { errorCode, testConfig, uniqueSlug } from '#cairn/shared/testing';
import { DEMO, type DemoFirm, type GraphqlCall, seedDemoFirm } from '#cairn/demo';
import { TestApi } from './support/index.js';

let api: TestApi;
let demo: DemoFirm;
const settings = { ...DEMO, firmSlug: uniqueSlug('demo') };

const call: GraphqlCall = async (query, variables = {}, token) => {
  const result = await api.gql(query, variables, { token });
  if (result.errors?.length) {
    throw Object.assign(new Error(result.errors[0].message), { code: errorCode(result) });
  }
  return result.data as never;
};

beforeAll(async () => {
  api = await TestApi.start(ApiModule.forRoot(testConfig()));
  demo = await seedDemoFirm(call, settings);
});
afterAll(() => api.close());

it('creates the seeds’ story: a CSO goal tree with measures, progress and SMART checks', async () => {
  expect(demo.created).toBe(true);
  const { goal } = await api.ok<{
    goal: {
      title: string;
      status: string;
      smart: { criterion: string; met: boolean }[];
      children: { title: string; status: string; careerStep: { title: string } | null; children: { title: string; progress: number | null }[] }[];
    };
  }>(
    `query ($id: ID!) { goal(id: $id) { title status smart { criterion met }
       children { title status careerStep { title } children { title progress } } } }`,
    { id: demo.goals?.longTerm },
    { token: demo.clientToken },
  );
  expect(goal.title).toBe('Become Chief Sales Officer at Northwind Traders');
  expect(goal.status).toBe('ACTIVE');
  const unmet = goal.smart.filter((c) => !c.met).map((c) => c.criterion);
  expect(unmet.filter((c) => ['SPECIFIC', 'MEASURABLE', 'ATTAINABLE', 'RELEVANT', 'TIME_BOUND'].includes(c))).toEqual([]);
  const [midTerm] = goal.children;
  expect(midTerm).toMatchObject({ status: 'ACTIVE', careerStep: { title: 'Sales Manager' } });
  const immediate = Object.fromEntries(midTerm.children.map((c) => [c.title, c.progress]));
  expect(Object.keys(immediate).sort()).toEqual([
    'Attend three industry conferences in the next twelve months',
    'Deliver my first Toastmasters speech',
    'Write quarterly sales reports with a qualitative section backed by client surveys',
  ]);
  // 1 of 4 reports (25%) and 6 of 3→10 clients (3/7 ≈ 42.9%); one of three conferences.
  expect(immediate['Write quarterly sales reports with a qualitative section backed by client surveys']).toBeGreaterThan(25);
  expect(immediate['Attend three industry conferences in the next twelve months']).toBeCloseTo(33.3, 0);
  expect(immediate['Deliver my first Toastmasters speech']).toBe(0);
});

it('has a prioritized development list, a career path fifteen years to the top, and an action plan', async () => {
  const data = await api.ok<{
    prioritizedDevelopmentItems: { title: string; rank: number }[];
    careerPath: { standing: { currentStep: { title: string }; estimatedYearsToTop: number } };
    upcomingTasks: { items: { task: { title: string } }[] };
  }>(
    `query ($clientId: ID!) {
       prioritizedDevelopmentItems(clientId: $clientId) { title rank }
       careerPath(clientId: $clientId) { standing { currentStep { title } estimatedYearsToTop } }
       upcomingTasks(clientId: $clientId, days: 30) { items { task { title } } }
     }`,
    { clientId: demo.clientId },
    { token: demo.coachToken },
  );
  expect(data.prioritizedDevelopmentItems[0]).toEqual({ title: 'Starting reports too close to the deadline', rank: 1 });
  expect(data.careerPath.standing).toEqual({ currentStep: { title: 'Sales Representative' }, estimatedYearsToTop: 15 });
  const upcoming = data.upcomingTasks.items.map((i) => i.task.title);
  expect(upcoming).toEqual(expect.arrayContaining(['Give feedback to three people', 'Join the local Toastmasters club']));
});

it('shows the coach both clients on the dashboard', async () => {
  const data = await api.ok<{ coachDashboard: { edges: { node: { client: { displayName: string }; activeGoals: unknown[] } }[] } }>(
    `{ coachDashboard { edges { node { client { displayName } activeGoals { progress } overdueTaskCount nextDueOn } } } }`,
    {},
    { token: demo.coachToken },
  );
  const rows = Object.fromEntries(data.coachDashboard.edges.map((e) => [e.node.client.displayName, e.node.activeGoals.length]));
  expect(rows).toEqual({ 'Sam Rivera': 5, 'Jordan Lee': 0 });
});

it('shows Sam’s supporter following the goal he shared, with her encouragement in his feed', async () => {
  const data = await api.ok<{
    supporters: { displayName: string; relationship: string; sharedGoalIds: string[] }[];
    notifications: { edges: { node: { kind: string; title: string } }[] };
  }>(
    `query ($clientId: ID!) { supporters(clientId: $clientId) { displayName relationship sharedGoalIds }
       notifications(first: 20) { edges { node { kind title } } } }`,
    { clientId: demo.clientId },
    { token: demo.clientToken },
  );
  expect(data.supporters).toEqual([{ displayName: 'Dana Park', relationship: 'BOSS', sharedGoalIds: [demo.goals?.midTerm] }]);
  expect(data.notifications.edges.map((e) => e.node)).toContainEqual({
    kind: 'SUPPORTER_ENCOURAGEMENT',
    title: 'Dana Park sent you encouragement',
  });
});

it('running it again changes nothing and says so', async () => {
  const again = await seedDemoFirm(call, settings);
  expect(again.created).toBe(false);
  expect(again.clientId).toBe(demo.clientId);
  const [row] = await api.dataSource.query(
    `SELECT count(*)::int AS n FROM goals g JOIN tenants t ON t.id = g.tenant_id WHERE t.slug = $1`,
    [settings.firmSlug],
  );
  expect(row.n).toBe(7);
});

it('answers the queries the README suggests against the demo firm', async () => {
  const data = await api.ok<{
    careerPath: { standing: { nextStep: { title: string } } };
    goals: {
      edges: {
        node: { title: string; smart: unknown[]; measures: { currentValue: number | null }[]; authenticity: { authentic: boolean } };
      }[];
    };
    upcomingTasks: { items: unknown[] };
    client: { traits: { kind: string; name: string }[] };
  }>(
    `query ($clientId: ID!) {
      careerPath(clientId: $clientId) { standing { currentStep { title } nextStep { title } estimatedYearsToTop } }
      prioritizedDevelopmentItems(clientId: $clientId) { rank title category source priorityScore }
      goals(clientId: $clientId, first: 20) { edges { node { title horizon status progress
        smart { criterion met hint } measures { title kind currentValue progress }
        authenticity { authentic summary } } } }
      upcomingTasks(clientId: $clientId, days: 30) { items { kind date task { title countTarget } } }
      client(id: $clientId) { traits { kind name } }
    }`,
    { clientId: demo.clientId },
    { token: demo.coachToken },
  );
  expect(data.careerPath.standing.nextStep.title).toBe('Sales Manager');
  // Sam's private marathon goal is his own: the coach's list leaves it out, Sam's has it.
  expect(data.goals.edges).toHaveLength(5);
  const own = await api.ok<{ goals: { edges: { node: { title: string; audiences: string[] } }[] } }>(
    `{ goals(first: 20) { edges { node { title audiences } } } }`,
    {},
    { token: demo.clientToken },
  );
  expect(own.goals.edges.map((e) => e.node)).toContainEqual({ title: 'Run the Berlin marathon in under four hours', audiences: [] });
  expect(data.goals.edges.every((e) => e.node.smart.length === 7)).toBe(true);
  expect(data.upcomingTasks.items.length).toBeGreaterThan(0);
  expect(data.client.traits).toHaveLength(6);
  const cso = data.goals.edges.find((e) => e.node.title.startsWith('Become Chief Sales Officer'));
  expect(cso?.node.authenticity.authentic).toBe(true);
});
