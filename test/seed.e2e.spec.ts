import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { ApiModule } from '#cairn-app/api';
import { appQueue, errorCode, testConfig, uniqueSlug } from '#cairn/shared/testing';
import { DEMO, DEMO_CLIENTS, DEMO_WEBHOOK_URL, type DemoFirm, type GraphqlCall, seedDemoFirm } from '#cairn/demo';
import { DEFAULT_NUDGE_POLICY, inQuietHours, NudgePlanner } from '#cairn/nudges';
import { ReportPlanner } from '#cairn/reports';
import { zoneClock } from '#cairn/shared/calendar';
import { periodOf, QueueName } from '#cairn/shared/queue';
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

/** Rows of every kind the demo makes, for the "running it again changes nothing" check. */
const DEMO_TABLES = [
  'users',
  'goals',
  'checkin_templates',
  'checkin_assignments',
  'check_ins',
  'checkin_submissions',
  'checkin_feedback',
  'notifications',
  'webhook_endpoints',
  'report_policies',
];
let tenantId: string;
let countsAfterFirstRun: Record<string, number>;
const demoCounts = async () => {
  const counts: Record<string, number> = {};
  for (const table of DEMO_TABLES) {
    const [row] = await api.dataSource.query(`SELECT count(*)::int AS n FROM ${table} WHERE tenant_id = $1`, [tenantId]);
    counts[table] = row.n;
  }
  return counts;
};

beforeAll(async () => {
  api = await TestApi.start(ApiModule.forRoot(testConfig()));
  demo = await seedDemoFirm(call, settings);
  [{ id: tenantId }] = await api.dataSource.query(`SELECT id FROM tenants WHERE slug = $1`, [settings.firmSlug]);
  countsAfterFirstRun = await demoCounts();
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

it('shows the coach every client on the dashboard', async () => {
  const data = await api.ok<{ coachDashboard: { edges: { node: { client: { displayName: string }; activeGoals: unknown[] } }[] } }>(
    `{ coachDashboard { edges { node { client { displayName } activeGoals { progress } overdueTaskCount nextDueOn } } } }`,
    {},
    { token: demo.coachToken },
  );
  const rows = Object.fromEntries(data.coachDashboard.edges.map((e) => [e.node.client.displayName, e.node.activeGoals.length]));
  expect(rows).toEqual({ 'Sam Rivera': 5, 'Jordan Lee': 0, 'Priya Nair': 0, 'Mateo Silva': 0 });
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
  expect(await demoCounts()).toEqual(countsAfterFirstRun);
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

it('has check-in templates, a daily pulse for every client, and Sam’s answers with his coach’s feedback in his feed', async () => {
  const data = await api.ok<{
    checkInTemplates: { edges: { node: { name: string; current: { prompts: { type: string }[] } } }[] };
    checkIns: { edges: { node: { status: string; feedback: { body: string }[] } }[] };
  }>(
    `query ($clientId: ID!) {
       checkInTemplates(first: 20) { edges { node { name current { prompts { type } } } } }
       checkIns(clientId: $clientId, status: SUBMITTED, first: 20) { edges { node { status feedback { body } } } }
     }`,
    { clientId: demo.clientId },
    { token: demo.coachToken },
  );
  const templates = Object.fromEntries(
    data.checkInTemplates.edges.map((e) => [e.node.name, e.node.current.prompts.map((p) => p.type).sort()]),
  );
  expect(templates).toEqual({
    'Daily pulse': ['SCALE', 'TEXT'],
    'Weekly reflection': ['CHOICE', 'NUMBER', 'SCALE', 'TEXT', 'YES_NO'],
  });
  expect(data.checkIns.edges).toHaveLength(2);
  expect(data.checkIns.edges.every((e) => e.node.feedback.length === 1)).toBe(true);
  // Every client has today's pulse open now in their own zone.
  for (const { id } of Object.values(demo.clients ?? {})) {
    const [row] = await api.dataSource.query(
      `SELECT count(*)::int AS n FROM check_ins WHERE client_id = $1 AND opens_at <= now() AND closes_at > now()`,
      [id],
    );
    expect(row.n).toBeGreaterThanOrEqual(1);
  }
  const feed = await api.ok<{ notifications: { edges: { node: { kind: string } }[] } }>(
    `{ notifications(first: 50) { edges { node { kind } } } }`,
    {},
    { token: demo.clientToken },
  );
  expect(feed.notifications.edges.filter((e) => e.node.kind === 'CHECKIN_FEEDBACK_ADDED')).toHaveLength(2);
  const coachFeed = await api.ok<{ notifications: { edges: { node: { kind: string } }[] } }>(
    `{ notifications(first: 50) { edges { node { kind } } } }`,
    {},
    { token: demo.coachToken },
  );
  expect(coachFeed.notifications.edges.filter((e) => e.node.kind === 'CHECKIN_SUBMITTED')).toHaveLength(2);
});

it('has a webhook endpoint, disabled, that says why and how to use it', async () => {
  const { webhookEndpoints } = await api.ok<{
    webhookEndpoints: { edges: { node: { id: string; url: string; enabled: boolean; description: string } }[] };
  }>(`{ webhookEndpoints(first: 10) { edges { node { id url enabled description } } } }`, {}, { token: demo.adminToken });
  expect(webhookEndpoints.edges.map((e) => e.node)).toEqual([
    { id: demo.webhookEndpointId, url: DEMO_WEBHOOK_URL, enabled: false, description: expect.stringMatching(/disabled.*enabled: true/s) },
  ]);
});

it('spreads the clients over zones so that, at every quarter-hour of a winter and a summer day, one with an unanswered check-in is awake', () => {
  const zones = DEMO_CLIENTS.map((c) => c.timezone);
  for (const date of ['2026-01-15', '2026-07-15', '2026-03-10', '2026-11-02']) {
    for (let quarter = 0; quarter < 96; quarter++) {
      const now = new Date(Date.parse(`${date}T00:00:00Z`) + quarter * 15 * 60_000);
      const clock = zoneClock(now);
      const awake = zones.filter(
        (zone) => !inQuietHours(clock(zone).time, DEFAULT_NUDGE_POLICY.quietHoursStart, DEFAULT_NUDGE_POLICY.quietHoursEnd),
      );
      expect({ at: now.toISOString(), awake: awake.length > 0 }).toEqual({ at: now.toISOString(), awake: true });
    }
  }
});

it('queued a nudge run and a report run; run now, they nudge an awake client and make the coach’s report', async () => {
  const nudges = appQueue(QueueName.NUDGES, testConfig().REDIS_URL);
  const reports = appQueue(QueueName.REPORTS, testConfig().REDIS_URL);
  try {
    const queued = async (queue: typeof nudges, name: string) =>
      (await queue.getJobs(['waiting', 'prioritized', 'delayed'])).filter((j) => j.name === name && j.data.tenantId === tenantId);
    const [nudgeJob] = await queued(nudges, 'nudges.plan-tenant');
    const [reportJob] = await queued(reports, 'reports.plan-tenant');
    expect(nudgeJob?.id).toBe(`nudges.plan-tenant/${tenantId}/${nudgeJob?.data.period}`);
    expect(reportJob?.id).toBe(`reports.plan-tenant/${tenantId}/${reportJob?.data.period}`);
    // No worker in this suite: the planners run here what the worker would (NUDGES_PAUSED only stops the worker).
    await nudgeJob.remove();
    await reportJob.remove();
  } finally {
    await nudges.close();
    await reports.close();
  }
  const now = new Date();
  const nudged = await api.app.get(NudgePlanner, { strict: false }).planTenant(tenantId, periodOf(now, 15 * 60_000), now);
  expect(nudged.sent).toBeGreaterThanOrEqual(1);
  const reported = await api.app.get(ReportPlanner, { strict: false }).planTenant(tenantId, now);
  expect(reported).toMatchObject({ coaches: 1, created: 1 });
  const { coachReports } = await api.ok<{ coachReports: { edges: { node: { clients: { displayName: string }[] } }[] } }>(
    `{ coachReports(first: 5) { edges { node { clients { displayName } } } } }`,
    {},
    { token: demo.coachToken },
  );
  expect(coachReports.edges).toHaveLength(1);
  expect(coachReports.edges[0].node.clients).toHaveLength(4);
  // The README's Demo data queries for check-ins, reports and nudges, as written.
  const answered = await api.ok<{ checkIns: { edges: { node: { submissions: unknown[]; feedback: unknown[] } }[] } }>(
    `query ($clientId: ID!) { checkIns(clientId: $clientId, status: SUBMITTED, first: 5) { edges { node { slot
      submissions { answers { key scale yesNo number choices text } } feedback { body } } } } }`,
    { clientId: demo.clientId },
    { token: demo.coachToken },
  );
  expect(answered.checkIns.edges.map((e) => [e.node.submissions.length, e.node.feedback.length])).toEqual([
    [1, 1],
    [1, 1],
  ]);
  await api.ok(
    `query { coachReports(first: 1) { edges { node { periodStart clients { displayName checkIns { due submitted } } } } } }`,
    {},
    { token: demo.coachToken },
  );
  const sent = await api.ok<{ messages: { edges: unknown[] } }>(
    `query { messages(kind: NUDGE, first: 10) { edges { node { subject recipientUserId createdAt } } } }`,
    {},
    { token: demo.adminToken },
  );
  expect(sent.messages.edges.length).toBe(nudged.sent);
});
