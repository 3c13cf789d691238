import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { ApiModule } from '#cairn-app/api';
import { addDays, todayIn } from '#cairn/shared/calendar';
import {
  coachingFirm,
  createApiKey,
  createClient,
  errorCode,
  type GqlResult,
  signUpFirm,
  testConfig,
} from '#cairn/shared/testing';
import { TestApi } from './support/index.js';

const GOAL_FIELDS = `id clientId parentId horizon title description category status priority startDate targetDate
  attainabilityNotes skillsGap challengeLevel proposedBy createdByApiKeyId achievedAt version
  why { motivation energizesWorkLife fulfilsPersonally alignsWithValues strength values strengths }`;
const CREATE = `mutation ($input: CreateGoalInput!) { createGoal(input: $input) { ${GOAL_FIELDS} } }`;
const UPDATE = `mutation ($input: UpdateGoalInput!) { updateGoal(input: $input) { ${GOAL_FIELDS} } }`;
const STATUS = `mutation ($input: ChangeGoalStatusInput!) { changeGoalStatus(input: $input) { id status version achievedAt } }`;
const ADD_MEASURE = `mutation ($input: AddGoalMeasureInput!) { addGoalMeasure(input: $input) { goal { id version } measure { id } } }`;
const GET = `query ($id: ID!) { goal(id: $id) { ${GOAL_FIELDS} } }`;
const SMART = `query ($id: ID!) { goal(id: $id) { id smart { criterion met hint required } } }`;
const REVISIONS = `query ($id: ID!, $first: Int, $beforeVersion: Int) { goal(id: $id) {
  revisions(first: $first, beforeVersion: $beforeVersion) {
    version action reason measureId changedByUserId changedByApiKeyId changedBy { id }
    changes { field previousValue newValue } } } }`;
const LIST = `query ($clientId: ID, $status: GoalStatus, $horizon: GoalHorizon, $parentId: ID, $rootsOnly: Boolean) {
  goals(first: 100, clientId: $clientId, status: $status, horizon: $horizon, parentId: $parentId, rootsOnly: $rootsOnly) {
    edges { node { id title } } } }`;
const POLICY = `{ goalPolicy { requiredCriteria isDefault updatedByUserId } }`;
const SET_POLICY = `mutation ($c: [SmartCriterion!]!) { updateGoalPolicy(requiredCriteria: $c) { requiredCriteria isDefault } }`;

type Goal = Record<string, unknown> & { id: string; version: number };

// UNKNOWN_ENUM_NOTE: an unknown enum value written into the operation is GRAPHQL_VALIDATION_FAILED; passed in
// variables it is BAD_USER_INPUT. Both are HTTP 400 and never reach a resolver.

let api: TestApi;
beforeAll(async () => {
  api = await TestApi.start(ApiModule.forRoot(testConfig()));
});
afterAll(() => api.close());

// Clients without their own zone use the firm's (Europe/London in every test firm).
const today = () => todayIn('Europe/London');
const inDays = (n: number) => addDays(today(), n);

const fields = (result: GqlResult) =>
  (result.errors?.[0]?.extensions?.fields as { field: string; messages: string[] }[] | undefined) ?? [];

async function create(token: string, input: Record<string, unknown>): Promise<Goal> {
  const data = await api.ok<{ createGoal: Goal }>(
    CREATE,
    { input: { category: 'POSITION', horizon: 'LONG_TERM', ...input } },
    { token },
  );
  return data.createGoal;
}

async function counts(tenantId: string) {
  const [row] = await api.dataSource.query(
    `SELECT (SELECT count(*)::int FROM goals WHERE tenant_id = $1) AS goals,
            (SELECT count(*)::int FROM goal_revisions WHERE tenant_id = $1) AS revisions,
            (SELECT count(*)::int FROM goal_measures WHERE tenant_id = $1) AS measures,
            (SELECT count(*)::int FROM progress_updates WHERE tenant_id = $1) AS updates`,
    [tenantId],
  );
  return row as { goals: number; revisions: number; measures: number; updates: number };
}

describe('the seed’s story: Sales Representative to Chief Sales Officer', () => {
  it('lists a goal’s children by priority, then target date, then age, also below the first level', async () => {
    const { coach, client } = await coachingFirm(api);
    const token = coach.accessToken;
    const root = await create(token, { clientId: client.user.id, title: 'Lead a regional sales team', targetDate: inDays(2000) });
    const child = (title: string, priority: number, days: number, parentId = root.id, horizon = 'MID_TERM') =>
      create(token, { clientId: client.user.id, parentId, horizon, title, priority, targetDate: inDays(days) });
    const later = await child('Run the quarterly pipeline review alone', 2, 300);
    const first = await child('Close three enterprise accounts this year', 1, 500);
    const sooner = await child('Coach two junior representatives weekly', 2, 200);
    const sameDayYounger = await child('Present the forecast at two board meetings', 2, 200);
    const deepLater = await child('Write the onboarding playbook chapter', 3, 150, first.id, 'IMMEDIATE');
    const deepFirst = await child('Shadow the regional director for a month', 1, 180, first.id, 'IMMEDIATE');
    const data = await api.ok<{ goal: { children: { id: string; children: { id: string }[] }[] } }>(
      `query ($id: ID!) { goal(id: $id) { children { id children { id } } } }`,
      { id: root.id },
      { token },
    );
    expect(data.goal.children.map((c) => c.id)).toEqual([first.id, sooner.id, sameDayYounger.id, later.id]);
    expect(data.goal.children[0].children.map((c) => c.id)).toEqual([deepFirst.id, deepLater.id]);
  });

  it('builds the long-term → mid-term → immediate tree with its why and reads it back', async () => {
    const { coach, client } = await coachingFirm(api);
    const token = coach.accessToken;
    const cso = await create(token, {
      clientId: client.user.id,
      horizon: 'LONG_TERM',
      category: 'POSITION',
      title: 'Become Chief Sales Officer at my current employer',
      description: 'Sales Manager, then Director, VP Sales and finally CSO',
      priority: 1,
      startDate: today(),
      targetDate: inDays(15 * 365),
      skillsGap: 'Leadership: strategic thinking, change agent',
      challengeLevel: 'AMBITIOUS',
      proposedBy: 'CLIENT',
      why: {
        motivation: 'A strong passion for sales; the top job would validate my career life',
        energizesWorkLife: 'Every quarter counts towards something',
        fulfilsPersonally: 'Proving to myself I can lead',
        alignsWithValues: 'Growth and ownership',
        strength: 9,
        values: ['Growth', 'Ownership'],
        strengths: ['Problem solving', 'Analytical skills', 'Embracing change'],
      },
    });
    expect(cso).toMatchObject({
      status: 'DRAFT',
      version: 1,
      priority: 1,
      proposedBy: 'CLIENT',
      why: {
        strength: 9,
        values: ['Growth', 'Ownership'],
        strengths: ['Problem solving', 'Analytical skills', 'Embracing change'],
        energizesWorkLife: 'Every quarter counts towards something',
      },
    });
    const manager = await create(token, {
      clientId: client.user.id,
      parentId: cso.id,
      horizon: 'MID_TERM',
      title: 'Be promoted to Sales Manager or receive an external Sales Manager offer',
      targetDate: inDays(3 * 365),
    });
    const reports = await create(token, {
      clientId: client.user.id,
      parentId: manager.id,
      horizon: 'IMMEDIATE',
      category: 'SKILL',
      title: 'Improve my sales report writing',
      targetDate: inDays(90),
    });
    // Defaults: priority 3, and a goal a coach enters is the coach's proposal unless told otherwise.
    expect(reports).toMatchObject({ priority: 3, proposedBy: 'COACH', parentId: manager.id });

    type TreeNode = {
      id: string;
      title: string;
      horizon?: string;
      parent?: { id: string };
      children?: TreeNode[];
    };
    const tree = await api.ok<{ goal: TreeNode & { client: { id: string }; createdBy: { id: string } } }>(
      `query ($id: ID!) { goal(id: $id) { id title client { id displayName } createdBy { id }
         children { id title parent { id } children { id title horizon parent { id } } } } }`,
      { id: cso.id },
      { token },
    );
    expect(tree.goal.client.id).toBe(client.user.id);
    expect(tree.goal.createdBy).toEqual({ id: coach.user.id });
    expect(tree.goal.children).toEqual([
      expect.objectContaining({
        id: manager.id,
        parent: { id: cso.id },
        children: [
          {
            id: reports.id,
            title: 'Improve my sales report writing',
            horizon: 'IMMEDIATE',
            parent: { id: manager.id },
          },
        ],
      }),
    ]);

    // The client sees their own tree, filtered as asked.
    const roots = await api.ok<{ goals: { edges: { node: { id: string } }[] } }>(
      LIST,
      { rootsOnly: true },
      { token: client.accessToken },
    );
    expect(roots.goals.edges.map((e) => e.node.id)).toEqual([cso.id]);
    const immediate = await api.ok<{ goals: { edges: { node: { id: string } }[] } }>(
      LIST,
      { horizon: 'IMMEDIATE', clientId: client.user.id },
      { token },
    );
    expect(immediate.goals.edges.map((e) => e.node.id)).toEqual([reports.id]);
    const underManager = await api.ok<{ goals: { edges: { node: { id: string } }[] } }>(
      LIST,
      { parentId: manager.id },
      { token },
    );
    expect(underManager.goals.edges.map((e) => e.node.id)).toEqual([reports.id]);
  });
});

describe('tree rules', () => {
  it('rejects horizon inversions on create, update and for existing children', async () => {
    const { firm, coach, client } = await coachingFirm(api);
    const token = coach.accessToken;
    const mid = await create(token, {
      clientId: client.user.id,
      horizon: 'MID_TERM',
      title: 'Be promoted to Sales Manager',
    });
    const before = await counts(firm.tenantId);
    const longUnderMid = await api.gql(
      CREATE,
      {
        input: {
          clientId: client.user.id,
          parentId: mid.id,
          horizon: 'LONG_TERM',
          category: 'POSITION',
          title: 'Become Chief Sales Officer',
        },
      },
      { token },
    );
    expect(errorCode(longUnderMid)).toBe('BAD_USER_INPUT');
    expect(fields(longUnderMid)[0].field).toBe('horizon');
    expect(await counts(firm.tenantId)).toEqual(before);

    // Same horizon is allowed.
    const sibling = await create(token, {
      clientId: client.user.id,
      parentId: mid.id,
      horizon: 'MID_TERM',
      title: 'Lead the regional sales team',
    });
    const immediate = await create(token, {
      clientId: client.user.id,
      parentId: sibling.id,
      horizon: 'IMMEDIATE',
      title: 'Run weekly team meetings',
    });

    // Shortening a goal below its children's horizon, or lengthening a child beyond its parent's, is an inversion too.
    const shortenParent = await api.gql(
      UPDATE,
      { input: { id: mid.id, expectedVersion: 1, horizon: 'IMMEDIATE', reason: 'Rescoped with the coach' } },
      { token },
    );
    expect(errorCode(shortenParent)).toBe('BAD_USER_INPUT');
    expect(shortenParent.errors?.[0].message).toContain('sub-goals have a longer horizon');
    const lengthenChild = await api.gql(
      UPDATE,
      { input: { id: immediate.id, expectedVersion: 1, horizon: 'LONG_TERM', reason: 'Rescoped with the coach' } },
      { token },
    );
    expect(errorCode(lengthenChild)).toBe('BAD_USER_INPUT');
    const ok = await api.ok<{ updateGoal: Goal }>(
      UPDATE,
      { input: { id: immediate.id, expectedVersion: 1, horizon: 'MID_TERM', reason: 'Rescoped with the coach' } },
      { token },
    );
    expect(ok.updateGoal).toMatchObject({ horizon: 'MID_TERM', version: 2 });
  });

  it('rejects cycles when re-parenting, and re-parents otherwise', async () => {
    const { coach, client } = await coachingFirm(api);
    const token = coach.accessToken;
    const a = await create(token, {
      clientId: client.user.id,
      horizon: 'MID_TERM',
      title: 'Be promoted to Sales Manager',
    });
    const b = await create(token, {
      clientId: client.user.id,
      horizon: 'MID_TERM',
      parentId: a.id,
      title: 'Lead the regional sales team',
    });
    const c = await create(token, {
      clientId: client.user.id,
      horizon: 'MID_TERM',
      parentId: b.id,
      title: 'Coach two junior sales representatives',
    });
    for (const parentId of [c.id, b.id, a.id]) {
      const cycle = await api.gql(UPDATE, { input: { id: a.id, expectedVersion: 1, parentId } }, { token });
      expect(errorCode(cycle)).toBe('BAD_USER_INPUT');
      expect(fields(cycle)[0].field).toBe('parentId');
    }
    const moved = await api.ok<{ updateGoal: Goal }>(
      UPDATE,
      { input: { id: c.id, expectedVersion: 1, parentId: a.id, reason: 'Directly supports the promotion' } },
      { token },
    );
    expect(moved.updateGoal).toMatchObject({ parentId: a.id, version: 2 });
    const root = await api.ok<{ updateGoal: Goal }>(
      UPDATE,
      { input: { id: c.id, expectedVersion: 2, parentId: null } },
      { token },
    );
    expect(root.updateGoal.parentId).toBeNull();
  });

  it('a parent must belong to the same client and be reachable', async () => {
    const { firm, coach, otherCoach, client } = await coachingFirm(api);
    const second = await createClient(api, coach);
    const foreignParent = await create(coach.accessToken, {
      clientId: second.id,
      title: 'Become Director of Sales',
    });
    const mismatch = await api.gql(
      CREATE,
      {
        input: {
          clientId: client.user.id,
          parentId: foreignParent.id,
          horizon: 'MID_TERM',
          category: 'POSITION',
          title: 'Be promoted to Sales Manager',
        },
      },
      { token: coach.accessToken },
    );
    expect(errorCode(mismatch)).toBe('BAD_USER_INPUT');
    expect(mismatch.errors?.[0].message).toContain('same client');

    // otherCoach coaches a client of their own but cannot hang a goal under one they cannot see.
    const own = await createClient(api, otherCoach);
    const hidden = await api.gql(
      CREATE,
      {
        input: {
          clientId: own.id,
          parentId: foreignParent.id,
          horizon: 'MID_TERM',
          category: 'POSITION',
          title: 'Be promoted to Sales Manager',
        },
      },
      { token: otherCoach.accessToken },
    );
    expect(errorCode(hidden)).toBe('NOT_FOUND');
    const unknown = await api.gql(
      CREATE,
      {
        input: {
          clientId: client.user.id,
          parentId: randomUUID(),
          horizon: 'MID_TERM',
          category: 'POSITION',
          title: 'Be promoted to Sales Manager',
        },
      },
      { token: coach.accessToken },
    );
    expect(errorCode(unknown)).toBe('NOT_FOUND');
    expect((await counts(firm.tenantId)).goals).toBe(1);
  });

  it('a sub-goal is due on or before its parent; the parent cannot move before its sub-goals', async () => {
    const { firm, coach, client } = await coachingFirm(api);
    const token = coach.accessToken;
    const parent = await create(token, {
      clientId: client.user.id,
      horizon: 'MID_TERM',
      title: 'Be promoted to Sales Manager',
      targetDate: inDays(365),
    });
    const late = await api.gql(
      CREATE,
      {
        input: {
          clientId: client.user.id,
          parentId: parent.id,
          horizon: 'IMMEDIATE',
          category: 'SKILL',
          title: 'Improve my sales report writing',
          targetDate: inDays(366),
        },
      },
      { token },
    );
    expect(errorCode(late)).toBe('BAD_USER_INPUT');
    expect(fields(late)).toEqual([{ field: 'targetDate', messages: [expect.stringContaining(inDays(365))] }]);
    const sameDay = await create(token, {
      clientId: client.user.id,
      parentId: parent.id,
      horizon: 'IMMEDIATE',
      category: 'SKILL',
      title: 'Improve my sales report writing',
      targetDate: inDays(365),
    });
    const moveParent = await api.gql(
      UPDATE,
      { input: { id: parent.id, expectedVersion: 1, targetDate: inDays(200) } },
      { token },
    );
    expect(errorCode(moveParent)).toBe('BAD_USER_INPUT');
    expect(moveParent.errors?.[0].message).toContain('sub-goal is due');
    const moveChild = await api.gql(
      UPDATE,
      { input: { id: sameDay.id, expectedVersion: 1, targetDate: inDays(400) } },
      { token },
    );
    expect(errorCode(moveChild)).toBe('BAD_USER_INPUT');
    // Re-parenting under a goal due earlier is caught as well.
    const early = await create(token, {
      clientId: client.user.id,
      horizon: 'MID_TERM',
      title: 'Lead the regional sales team',
      targetDate: inDays(30),
    });
    const reparent = await api.gql(
      UPDATE,
      { input: { id: sameDay.id, expectedVersion: 1, parentId: early.id } },
      { token },
    );
    expect(errorCode(reparent)).toBe('BAD_USER_INPUT');
    expect(fields(reparent)[0].field).toBe('targetDate');
    const g = await api.ok<{ goal: Goal }>(GET, { id: sameDay.id }, { token });
    expect(g.goal).toMatchObject({ parentId: parent.id, targetDate: inDays(365), version: 1 });
    expect((await counts(firm.tenantId)).revisions).toBe(3);
  });
});

describe('SMART', () => {
  it('lists every criterion with hints, and gates ACTIVE on the required ones', async () => {
    const { coach, client } = await coachingFirm(api);
    const token = coach.accessToken;
    const vague = await create(token, {
      clientId: client.user.id,
      horizon: 'MID_TERM',
      category: 'SKILL',
      title: 'Stop being bad at my management skills',
    });
    const smart = await api.ok<{
      goal: { smart: { criterion: string; met: boolean; hint: string | null; required: boolean }[] };
    }>(SMART, { id: vague.id }, { token });
    const byCriterion = Object.fromEntries(smart.goal.smart.map((s) => [s.criterion, s]));
    expect(Object.keys(byCriterion)).toEqual([
      'SPECIFIC',
      'MEASURABLE',
      'ATTAINABLE',
      'RELEVANT',
      'TIME_BOUND',
      'POSITIVE_PHRASING',
      'OWN_DESIRE',
    ]);
    for (const c of [
      'SPECIFIC',
      'MEASURABLE',
      'ATTAINABLE',
      'RELEVANT',
      'TIME_BOUND',
      'POSITIVE_PHRASING',
      'OWN_DESIRE',
    ]) {
      expect(byCriterion[c]).toMatchObject({ met: false, hint: expect.any(String) });
    }
    expect(byCriterion.POSITIVE_PHRASING.hint).toContain('"stop"');
    expect(byCriterion.OWN_DESIRE.hint).toContain('COACH');
    expect(byCriterion.TIME_BOUND.required).toBe(true);
    expect(byCriterion.POSITIVE_PHRASING.required).toBe(false);

    const blocked = await api.gql(
      STATUS,
      { input: { id: vague.id, expectedVersion: 1, status: 'ACTIVE' } },
      { token },
    );
    expect(errorCode(blocked)).toBe('BAD_USER_INPUT');
    const unmet = blocked.errors?.[0].extensions?.unmetCriteria as { criterion: string; hint: string }[];
    expect(unmet.map((u) => u.criterion)).toEqual([
      'SPECIFIC',
      'MEASURABLE',
      'ATTAINABLE',
      'RELEVANT',
      'TIME_BOUND',
    ]);
    expect(unmet.every((u) => u.hint.length > 0)).toBe(true);
    expect(fields(blocked)[0].field).toBe('status');

    // Fix it up: specific positive title, why with a value, attainability, a target date and a measure.
    const fixed = await api.ok<{ updateGoal: Goal }>(
      UPDATE,
      {
        input: {
          id: vague.id,
          expectedVersion: 1,
          title: 'Give on-the-spot feedback to three direct reports every day',
          targetDate: inDays(90),
          skillsGap: 'Giving timely feedback',
          challengeLevel: 'STRETCH',
          why: { motivation: 'My team grows faster', values: ['Growth'] },
          reason: 'Made SMART in session 3',
        },
      },
      { token },
    );
    const stillUnmeasured = await api.gql(
      STATUS,
      { input: { id: vague.id, expectedVersion: fixed.updateGoal.version, status: 'ACTIVE' } },
      { token },
    );
    expect(
      (stillUnmeasured.errors?.[0].extensions?.unmetCriteria as { criterion: string }[]).map(
        (u) => u.criterion,
      ),
    ).toEqual(['MEASURABLE']);
    const added = await api.ok<{ addGoalMeasure: { goal: Goal } }>(
      ADD_MEASURE,
      {
        input: {
          goalId: vague.id,
          expectedVersion: 2,
          kind: 'NUMERIC',
          title: 'People given feedback per day',
          target: 3,
          unit: 'people',
        },
      },
      { token },
    );
    const active = await api.ok<{ changeGoalStatus: Goal }>(
      STATUS,
      { input: { id: vague.id, expectedVersion: added.addGoalMeasure.goal.version, status: 'ACTIVE' } },
      { token },
    );
    expect(active.changeGoalStatus).toMatchObject({ status: 'ACTIVE', version: 4 });
    const after = await api.ok<typeof smart>(SMART, { id: vague.id }, { token });
    expect(after.goal.smart.filter((s) => !s.met).map((s) => s.criterion)).toEqual(['OWN_DESIRE']);
  });

  it('TIME_BOUND needs a target date, and a parent cannot be moved before its sub-goals', async () => {
    const { coach, client } = await coachingFirm(api);
    const token = coach.accessToken;
    const parent = await create(token, {
      clientId: client.user.id,
      horizon: 'MID_TERM',
      title: 'Be promoted to Sales Manager',
    });
    const child = await create(token, {
      clientId: client.user.id,
      parentId: parent.id,
      horizon: 'IMMEDIATE',
      title: 'Improve my sales report writing',
      targetDate: inDays(100),
    });
    // Giving the parent an earlier date is rejected, so the hint only ever shows a missing date here.
    expect(
      errorCode(
        await api.gql(
          UPDATE,
          { input: { id: parent.id, expectedVersion: 1, targetDate: inDays(50) } },
          { token },
        ),
      ),
    ).toBe('BAD_USER_INPUT');
    const parentSmart = await api.ok<{
      goal: { smart: { criterion: string; met: boolean; hint: string }[] };
    }>(SMART, { id: parent.id }, { token });
    expect(parentSmart.goal.smart.find((s) => s.criterion === 'TIME_BOUND')).toMatchObject({
      met: false,
      hint: 'Set a target date.',
    });
    const childSmart = await api.ok<typeof parentSmart>(SMART, { id: child.id }, { token });
    expect(childSmart.goal.smart.find((s) => s.criterion === 'TIME_BOUND')?.met).toBe(true);
  });

  it('the firm’s policy: default, admin-only changes, and relaxing the gate', async () => {
    const { firm, coach, client } = await coachingFirm(api);
    expect(
      (await api.ok<{ goalPolicy: unknown }>(POLICY, {}, { token: client.accessToken })).goalPolicy,
    ).toEqual({
      requiredCriteria: ['SPECIFIC', 'MEASURABLE', 'ATTAINABLE', 'RELEVANT', 'TIME_BOUND'],
      isDefault: true,
      updatedByUserId: null,
    });
    expect(errorCode(await api.gql(SET_POLICY, { c: [] }, { token: coach.accessToken }))).toBe('FORBIDDEN');
    const key = await createApiKey(api, firm, ['GOALS_READ', 'GOALS_WRITE']);
    expect(errorCode(await api.gql(SET_POLICY, { c: [] }, { apiKey: key.secret }))).toBe('FORBIDDEN');
    // Unknown enum values never reach the resolver (see UNKNOWN_ENUM_NOTE).
    const unknownCriterion = await api.gql(
      `mutation { updateGoalPolicy(requiredCriteria: [SPECIFIC, NOT_A_CRITERION]) { isDefault } }`,
      {},
      { token: firm.admin.accessToken },
    );
    expect(errorCode(unknownCriterion)).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(
      (await api.ok<{ goalPolicy: { isDefault: boolean } }>(POLICY, {}, { apiKey: key.secret })).goalPolicy
        .isDefault,
    ).toBe(true);

    const vague = await create(coach.accessToken, { clientId: client.user.id, title: 'Be more confident' });
    const relaxed = await api.ok<{ updateGoalPolicy: unknown }>(
      SET_POLICY,
      { c: ['OWN_DESIRE', 'MEASURABLE', 'MEASURABLE'] },
      { token: firm.admin.accessToken },
    );
    expect(relaxed.updateGoalPolicy).toEqual({
      requiredCriteria: ['MEASURABLE', 'OWN_DESIRE'],
      isDefault: false,
    });
    const smart = await api.ok<{ goal: { smart: { criterion: string; required: boolean }[] } }>(
      SMART,
      { id: vague.id },
      { token: coach.accessToken },
    );
    expect(smart.goal.smart.filter((s) => s.required).map((s) => s.criterion)).toEqual([
      'MEASURABLE',
      'OWN_DESIRE',
    ]);
    const blocked = await api.gql(
      STATUS,
      { input: { id: vague.id, expectedVersion: 1, status: 'ACTIVE' } },
      { token: coach.accessToken },
    );
    expect(
      (blocked.errors?.[0].extensions?.unmetCriteria as { criterion: string }[]).map((u) => u.criterion),
    ).toEqual(['MEASURABLE', 'OWN_DESIRE']);

    await api.ok(SET_POLICY, { c: [] }, { token: firm.admin.accessToken });
    const active = await api.ok<{ changeGoalStatus: Goal }>(
      STATUS,
      { input: { id: vague.id, expectedVersion: 1, status: 'ACTIVE' } },
      { token: coach.accessToken },
    );
    expect(active.changeGoalStatus.status).toBe('ACTIVE');
    // Policies are per firm.
    const other = await signUpFirm(api);
    expect(
      (await api.ok<{ goalPolicy: { isDefault: boolean } }>(POLICY, {}, { token: other.admin.accessToken }))
        .goalPolicy.isDefault,
    ).toBe(true);
  });
});

describe('status changes', () => {
  it('follows the documented transitions; ACHIEVED sets achievedAt, reopening clears it', async () => {
    const { firm, coach, client } = await coachingFirm(api);
    await api.ok(SET_POLICY, { c: [] }, { token: firm.admin.accessToken });
    const token = coach.accessToken;
    const goal = await create(token, { clientId: client.user.id, title: 'Become Chief Sales Officer' });
    const skip = await api.gql(
      STATUS,
      { input: { id: goal.id, expectedVersion: 1, status: 'ACHIEVED' } },
      { token },
    );
    expect(errorCode(skip)).toBe('BAD_USER_INPUT');
    expect(skip.errors?.[0].message).toContain('allowed: ACTIVE, ABANDONED');
    const same = await api.gql(
      STATUS,
      { input: { id: goal.id, expectedVersion: 1, status: 'DRAFT' } },
      { token },
    );
    expect(same.errors?.[0].message).toContain('already DRAFT');
    const unknown = await api.gql(
      `mutation { changeGoalStatus(input: { id: "${goal.id}", expectedVersion: 1, status: DONE }) { id } }`,
      {},
      { token },
    );
    expect(errorCode(unknown)).toBe('GRAPHQL_VALIDATION_FAILED');
    const unknownInVariables = await api.gql(
      STATUS,
      { input: { id: goal.id, expectedVersion: 1, status: 'DONE' } },
      { token },
    );
    expect(unknownInVariables.status).toBe(400);
    expect(errorCode(unknownInVariables)).toBe('BAD_USER_INPUT');

    let version = 1;
    const move = async (status: string) => {
      const data = await api.ok<{ changeGoalStatus: Goal & { achievedAt: string | null } }>(
        STATUS,
        { input: { id: goal.id, expectedVersion: version, status, reason: `to ${status}` } },
        { token },
      );
      version = data.changeGoalStatus.version;
      return data.changeGoalStatus;
    };
    await move('ACTIVE');
    await move('ON_HOLD');
    await move('ACTIVE');
    expect((await move('ACHIEVED')).achievedAt).toEqual(expect.any(String));
    expect((await move('ACTIVE')).achievedAt).toBeNull();
    await move('ABANDONED');
    expect((await move('DRAFT')).version).toBe(8);
  });
});

describe('revisions', () => {
  it('record previous and new values, the author, the reason; newest first and paginated', async () => {
    const { coach, client } = await coachingFirm(api);
    const goal = await create(coach.accessToken, {
      clientId: client.user.id,
      title: 'Become Sales Director',
      targetDate: inDays(800),
      why: { values: ['Growth'] },
    });
    const update = await api.ok<{ updateGoal: Goal }>(
      UPDATE,
      {
        input: {
          id: goal.id,
          expectedVersion: 1,
          title: 'Become Chief Sales Officer',
          targetDate: inDays(900),
          category: 'POSITION',
          why: { values: ['Growth', 'Ownership'] },
          reason: 'Aim higher after the coaching session',
        },
      },
      { token: client.accessToken },
    );
    expect(update.updateGoal.version).toBe(2);
    // A no-op edit changes nothing and records nothing.
    const noop = await api.ok<{ updateGoal: Goal }>(
      UPDATE,
      { input: { id: goal.id, expectedVersion: 2, title: 'Become Chief Sales Officer' } },
      { token: coach.accessToken },
    );
    expect(noop.updateGoal.version).toBe(2);
    await api.ok(
      ADD_MEASURE,
      {
        input: {
          goalId: goal.id,
          expectedVersion: 2,
          kind: 'MILESTONE',
          title: 'CSO offer signed',
          reason: 'How we will know',
        },
      },
      { token: coach.accessToken },
    );

    type Revision = {
      version: number;
      action: string;
      reason: string | null;
      changedByUserId: string;
      changedBy: { id: string };
      changes: unknown[];
      measureId: string | null;
    };
    const history = await api.ok<{ goal: { revisions: Revision[] } }>(
      REVISIONS,
      { id: goal.id },
      { token: coach.accessToken },
    );
    expect(history.goal.revisions.map((r) => [r.version, r.action])).toEqual([
      [3, 'MEASURE_ADDED'],
      [2, 'UPDATED'],
      [1, 'CREATED'],
    ]);
    const [measureAdded, updated, created] = history.goal.revisions;
    expect(measureAdded).toMatchObject({
      reason: 'How we will know',
      measureId: expect.any(String),
      changes: [{ field: 'measure', previousValue: null, newValue: 'MILESTONE "CSO offer signed"' }],
    });
    expect(updated).toMatchObject({
      reason: 'Aim higher after the coaching session',
      changedByUserId: client.user.id,
      changedBy: { id: client.user.id },
    });
    expect(updated.changes).toEqual([
      { field: 'title', previousValue: 'Become Sales Director', newValue: 'Become Chief Sales Officer' },
      { field: 'targetDate', previousValue: inDays(800), newValue: inDays(900) },
      { field: 'why.values', previousValue: '["Growth"]', newValue: '["Growth","Ownership"]' },
    ]);
    expect(created).toMatchObject({ reason: null, changedBy: { id: coach.user.id } });
    expect(created.changes).toEqual(
      expect.arrayContaining([
        { field: 'title', previousValue: null, newValue: 'Become Sales Director' },
        { field: 'status', previousValue: null, newValue: 'DRAFT' },
      ]),
    );

    const page = await api.ok<{ goal: { revisions: Revision[] } }>(
      REVISIONS,
      { id: goal.id, first: 1, beforeVersion: 3 },
      { token: coach.accessToken },
    );
    expect(page.goal.revisions.map((r) => r.version)).toEqual([2]);

    const tooLong = await api.gql(
      UPDATE,
      { input: { id: goal.id, expectedVersion: 3, title: 'Become CSO', reason: 'x'.repeat(501) } },
      { token: coach.accessToken },
    );
    expect(errorCode(tooLong)).toBe('BAD_USER_INPUT');
    expect(fields(tooLong)[0].field).toBe('reason');
  });
});

describe('bad input', () => {
  it('stale versions are CONFLICT and write nothing', async () => {
    const { firm, coach, client } = await coachingFirm(api);
    const goal = await create(coach.accessToken, {
      clientId: client.user.id,
      title: 'Become Chief Sales Officer',
    });
    await api.ok(
      UPDATE,
      { input: { id: goal.id, expectedVersion: 1, priority: 2 } },
      { token: coach.accessToken },
    );
    const before = await counts(firm.tenantId);
    for (const [query, input] of [
      [UPDATE, { id: goal.id, expectedVersion: 1, title: 'Become Sales Director' }],
      [STATUS, { id: goal.id, expectedVersion: 1, status: 'ABANDONED' }],
      [ADD_MEASURE, { goalId: goal.id, expectedVersion: 1, kind: 'MILESTONE', title: 'Offer signed' }],
    ] as const) {
      const stale = await api.gql(query, { input }, { token: client.accessToken });
      expect(errorCode(stale)).toBe('CONFLICT');
    }
    const missing = await api.gql(
      `mutation { updateGoal(input: { id: "${goal.id}", title: "No version" }) { id } }`,
      {},
      { token: coach.accessToken },
    );
    expect(errorCode(missing)).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(missing.errors?.[0].message).toContain('expectedVersion');
    expect(await counts(firm.tenantId)).toEqual(before);
    expect(
      (await api.ok<{ goal: Goal }>(GET, { id: goal.id }, { token: coach.accessToken })).goal,
    ).toMatchObject({ title: 'Become Chief Sales Officer', version: 2 });
  });

  it('two concurrent edits of the same version: one wins, the other is CONFLICT', async () => {
    const { coach, client } = await coachingFirm(api);
    const goal = await create(coach.accessToken, {
      clientId: client.user.id,
      title: 'Become Chief Sales Officer',
    });
    const results = await Promise.all(
      ['Become Sales Director', 'Become VP Sales'].map((title) =>
        api.gql(UPDATE, { input: { id: goal.id, expectedVersion: 1, title } }, { token: coach.accessToken }),
      ),
    );
    expect(results.map(errorCode).sort()).toEqual(['CONFLICT', undefined]);
    const history = await api.ok<{ goal: { revisions: { version: number }[] } }>(
      REVISIONS,
      { id: goal.id },
      { token: coach.accessToken },
    );
    expect(history.goal.revisions.map((r) => r.version)).toEqual([2, 1]);
  });

  it('past target dates, dates out of order, over-long text, unknown enums: BAD_USER_INPUT, nothing written', async () => {
    const { firm, coach, client } = await coachingFirm(api);
    const kiritimati = await createClient(api, coach, { timezone: 'Pacific/Kiritimati' });
    const base = {
      clientId: client.user.id,
      horizon: 'LONG_TERM',
      category: 'POSITION',
      title: 'Become Chief Sales Officer',
    };
    const cases: [Record<string, unknown>, string][] = [
      [{ ...base, targetDate: inDays(-1) }, 'targetDate'],
      [{ ...base, startDate: inDays(10), targetDate: inDays(5) }, 'targetDate'],
      [{ ...base, title: 'x'.repeat(201) }, 'title'],
      [{ ...base, title: '' }, 'title'],
      [{ ...base, description: 'x'.repeat(4001) }, 'description'],
      [{ ...base, why: { motivation: 'x'.repeat(2001) } }, 'why.motivation'],
      [{ ...base, why: { values: Array.from({ length: 21 }, (_, i) => `v${i}`) } }, 'why.values'],
      [{ ...base, why: { values: ['x'.repeat(81)] } }, 'why.values'],
      [{ ...base, why: { strength: 11 } }, 'why.strength'],
      [{ ...base, skillsGap: 'x'.repeat(2001) }, 'skillsGap'],
      [{ ...base, priority: 0 }, 'priority'],
      [{ ...base, targetDate: '2027-02-30' }, 'targetDate'],
      [{ ...base, clientId: 'not-a-uuid' }, 'clientId'],
    ];
    for (const [input, field] of cases) {
      const result = await api.gql(CREATE, { input }, { token: coach.accessToken });
      expect({ field, code: errorCode(result) }).toEqual({ field, code: 'BAD_USER_INPUT' });
      expect(JSON.stringify(result.errors)).toContain(field.split('.').at(-1));
    }
    for (const [horizon, category] of [
      ['FOREVER', 'POSITION'],
      ['LONG_TERM', 'HOBBY'],
    ]) {
      const literal = `mutation { createGoal(input: { clientId: "${client.user.id}", horizon: ${horizon}, category: ${category}, title: "Become CSO of the firm" }) { id } }`;
      const result = await api.gql(literal, {}, { token: coach.accessToken });
      expect(errorCode(result)).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(result.errors?.[0].message).toContain(horizon === 'FOREVER' ? 'FOREVER' : 'HOBBY');
    }
    // "Today" is the client's: on Kiritimati (UTC+14) today is never before London's today.
    const kiritimatiToday = todayIn('Pacific/Kiritimati');
    const yesterdayThere = addDays(kiritimatiToday, -1);
    const past = await api.gql(
      CREATE,
      { input: { ...base, clientId: kiritimati.id, targetDate: yesterdayThere } },
      { token: coach.accessToken },
    );
    expect(errorCode(past)).toBe('BAD_USER_INPUT');
    expect(past.errors?.[0].message).toContain(kiritimatiToday);
    await create(coach.accessToken, { ...base, clientId: kiritimati.id, targetDate: kiritimatiToday });
    expect(await counts(firm.tenantId)).toEqual({ goals: 1, revisions: 1, measures: 0, updates: 0 });

    const goal = await create(coach.accessToken, { ...base, targetDate: inDays(30) });
    for (const input of [
      { id: goal.id, expectedVersion: 1, targetDate: inDays(-3) },
      { id: goal.id, expectedVersion: 1, startDate: inDays(40) },
      { id: goal.id, expectedVersion: 1, title: null },
      { id: goal.id, expectedVersion: 1, horizon: null },
      // Defaults at creation, never empty afterwards: null is refused here too.
      { id: goal.id, expectedVersion: 1, priority: null },
      { id: goal.id, expectedVersion: 1, why: null },
      { id: goal.id, expectedVersion: 1, proposedBy: null },
      { id: goal.id, expectedVersion: 1, title: 'y'.repeat(201) },
    ]) {
      expect(errorCode(await api.gql(UPDATE, { input }, { token: coach.accessToken }))).toBe(
        'BAD_USER_INPUT',
      );
    }
    expect(await counts(firm.tenantId)).toEqual({ goals: 2, revisions: 2, measures: 0, updates: 0 });
  });
});

describe('who may see and change goals', () => {
  it('other firms and uncoached coaches get NOT_FOUND; clients only their own', async () => {
    const { firm, coach, otherCoach, client } = await coachingFirm(api);
    const goal = await create(coach.accessToken, {
      clientId: client.user.id,
      title: 'Become Chief Sales Officer',
    });
    const second = await createClient(api, coach);
    const secondGoal = await create(coach.accessToken, {
      clientId: second.id,
      title: 'Become Sales Director',
    });
    const other = await coachingFirm(api);
    const before = await counts(firm.tenantId);

    for (const token of [otherCoach.accessToken, other.firm.admin.accessToken, other.coach.accessToken]) {
      expect(errorCode(await api.gql(GET, { id: goal.id }, { token }))).toBe('NOT_FOUND');
      expect(
        errorCode(
          await api.gql(UPDATE, { input: { id: goal.id, expectedVersion: 1, title: 'Hacked' } }, { token }),
        ),
      ).toBe('NOT_FOUND');
      expect(
        errorCode(
          await api.gql(
            STATUS,
            { input: { id: goal.id, expectedVersion: 1, status: 'ABANDONED' } },
            { token },
          ),
        ),
      ).toBe('NOT_FOUND');
      expect(
        errorCode(
          await api.gql(
            ADD_MEASURE,
            { input: { goalId: goal.id, expectedVersion: 1, kind: 'MILESTONE', title: 'x' } },
            { token },
          ),
        ),
      ).toBe('NOT_FOUND');
      expect(
        errorCode(
          await api.gql(
            CREATE,
            {
              input: {
                clientId: client.user.id,
                horizon: 'LONG_TERM',
                category: 'OTHER',
                title: 'Planted goal here',
              },
            },
            { token },
          ),
        ),
      ).toBe('NOT_FOUND');
      expect(errorCode(await api.gql(LIST, { clientId: client.user.id }, { token }))).toBe('NOT_FOUND');
    }
    const foreignList = await api.ok<{ goals: { edges: unknown[] } }>(
      LIST,
      {},
      { token: other.firm.admin.accessToken },
    );
    expect(foreignList.goals.edges).toEqual([]);
    const uncoachedList = await api.ok<{ goals: { edges: unknown[] } }>(
      LIST,
      {},
      { token: otherCoach.accessToken },
    );
    expect(uncoachedList.goals.edges).toEqual([]);

    // The client: their own goals only, and may edit them.
    const own = await api.ok<{ goals: { edges: { node: { id: string } }[] } }>(
      LIST,
      {},
      { token: client.accessToken },
    );
    expect(own.goals.edges.map((e) => e.node.id)).toEqual([goal.id]);
    expect(errorCode(await api.gql(GET, { id: secondGoal.id }, { token: client.accessToken }))).toBe(
      'NOT_FOUND',
    );
    expect(
      errorCode(
        await api.gql(
          UPDATE,
          { input: { id: secondGoal.id, expectedVersion: 1, title: 'Mine now' } },
          { token: client.accessToken },
        ),
      ),
    ).toBe('NOT_FOUND');
    expect(
      errorCode(
        await api.gql(
          CREATE,
          {
            input: {
              clientId: second.id,
              horizon: 'LONG_TERM',
              category: 'OTHER',
              title: 'Planted goal here',
            },
          },
          { token: client.accessToken },
        ),
      ),
    ).toBe('NOT_FOUND');
    expect(await counts(firm.tenantId)).toEqual(before);

    const mine = await create(client.accessToken, {
      clientId: client.user.id,
      horizon: 'MID_TERM',
      parentId: goal.id,
      title: 'Be promoted to Sales Manager',
    });
    expect(mine.proposedBy).toBe('CLIENT');
    const edited = await api.ok<{ updateGoal: Goal }>(
      UPDATE,
      { input: { id: goal.id, expectedVersion: 1, description: 'My own words' } },
      { token: client.accessToken },
    );
    expect(edited.updateGoal.description).toBe('My own words');
    // Admins reach the whole firm.
    expect(
      (await api.ok<{ goal: Goal }>(GET, { id: secondGoal.id }, { token: firm.admin.accessToken })).goal.id,
    ).toBe(secondGoal.id);
  });

  it('API keys need GOALS_READ to read and GOALS_WRITE to write; their writes are attributed to the key', async () => {
    const { firm, client } = await coachingFirm(api);
    const reader = await createApiKey(api, firm, ['GOALS_READ']);
    const writer = await createApiKey(api, firm, ['GOALS_READ', 'GOALS_WRITE']);
    const clientsOnly = await createApiKey(api, firm, ['CLIENTS_READ']);
    const input = {
      clientId: client.user.id,
      horizon: 'LONG_TERM',
      category: 'POSITION',
      title: 'Become Chief Sales Officer',
    };
    expect(errorCode(await api.gql(CREATE, { input }, { apiKey: reader.secret }))).toBe('FORBIDDEN');
    const created = await api.ok<{ createGoal: Goal }>(CREATE, { input }, { apiKey: writer.secret });
    expect(created.createGoal).toMatchObject({ createdByApiKeyId: writer.id, proposedBy: 'COACH' });
    expect(
      (await api.ok<{ goal: Goal }>(GET, { id: created.createGoal.id }, { apiKey: reader.secret })).goal.id,
    ).toBe(created.createGoal.id);
    expect(errorCode(await api.gql(GET, { id: created.createGoal.id }, { apiKey: clientsOnly.secret }))).toBe(
      'FORBIDDEN',
    );
    expect(errorCode(await api.gql(LIST, {}, { apiKey: clientsOnly.secret }))).toBe('FORBIDDEN');
    const history = await api.ok<{
      goal: { revisions: { changedByUserId: string | null; changedByApiKeyId: string; changedBy: null }[] };
    }>(REVISIONS, { id: created.createGoal.id }, { apiKey: reader.secret });
    expect(history.goal.revisions).toEqual([
      expect.objectContaining({ changedByUserId: null, changedByApiKeyId: writer.id, changedBy: null }),
    ]);
    // Another firm's key sees nothing of this firm.
    const other = await signUpFirm(api);
    const foreignKey = await createApiKey(api, other, ['GOALS_READ', 'GOALS_WRITE']);
    expect(errorCode(await api.gql(GET, { id: created.createGoal.id }, { apiKey: foreignKey.secret }))).toBe(
      'NOT_FOUND',
    );
    expect(errorCode(await api.gql(CREATE, { input }, { apiKey: foreignKey.secret }))).toBe('NOT_FOUND');
  });

  it('an archived client’s goals stay readable but every write is CONFLICT', async () => {
    const { firm, coach, client } = await coachingFirm(api);
    const goal = await create(coach.accessToken, {
      clientId: client.user.id,
      title: 'Become Chief Sales Officer',
    });
    const added = await api.ok<{ addGoalMeasure: { goal: Goal; measure: { id: string } } }>(
      ADD_MEASURE,
      { input: { goalId: goal.id, expectedVersion: 1, kind: 'MILESTONE', title: 'Offer signed' } },
      { token: coach.accessToken },
    );
    await api.ok(
      `mutation ($input: ArchiveClientInput!) { archiveClient(input: $input) { id } }`,
      { input: { id: client.user.id } },
      { token: coach.accessToken },
    );
    const before = await counts(firm.tenantId);
    const writes: [string, Record<string, unknown>][] = [
      [
        CREATE,
        { clientId: client.user.id, horizon: 'LONG_TERM', category: 'OTHER', title: 'Become Sales Director' },
      ],
      [UPDATE, { id: goal.id, expectedVersion: 2, title: 'Become VP Sales' }],
      [STATUS, { id: goal.id, expectedVersion: 2, status: 'ABANDONED' }],
      [ADD_MEASURE, { goalId: goal.id, expectedVersion: 2, kind: 'MILESTONE', title: 'x' }],
      [
        `mutation ($input: RecordProgressInput!) { recordProgress(input: $input) { measure { id } } }`,
        { measureId: added.addGoalMeasure.measure.id, value: 1 },
      ],
      [
        `mutation ($input: RemoveGoalMeasureInput!) { removeGoalMeasure(input: $input) { id } }`,
        { measureId: added.addGoalMeasure.measure.id, expectedVersion: 2 },
      ],
    ];
    for (const [query, input] of writes) {
      expect(errorCode(await api.gql(query, { input }, { token: coach.accessToken }))).toBe('CONFLICT');
    }
    expect(await counts(firm.tenantId)).toEqual(before);
    const read = await api.ok<{ goal: Goal }>(GET, { id: goal.id }, { token: coach.accessToken });
    expect(read.goal).toMatchObject({ title: 'Become Chief Sales Officer', version: 2 });
  });
});

describe('batching', () => {
  it('a page of goals with every per-row field costs the same number of statements for 2 or 6 goals', async () => {
    const { coach, client } = await coachingFirm(api);
    const PAGE = `{ goals(first: 20) { edges { node { id progress smart { criterion met } measures { id progress currentValue updates { id recordedBy { id } } }
      children { id } parent { id } client { id } createdBy { id } revisions(first: 2) { version changedBy { id } } why { values } } } } }`;
    const measureFor = async (goal: Goal) => {
      const added = await api.ok<{ addGoalMeasure: { measure: { id: string } } }>(
        ADD_MEASURE,
        {
          input: {
            goalId: goal.id,
            expectedVersion: goal.version,
            kind: 'NUMERIC',
            title: 'Reports with a qualitative section',
            target: 4,
          },
        },
        { token: coach.accessToken },
      );
      await api.ok(
        `mutation ($input: RecordProgressInput!) { recordProgress(input: $input) { progressUpdate { id } } }`,
        { input: { measureId: added.addGoalMeasure.measure.id, value: 1 } },
        { token: coach.accessToken },
      );
    };
    const root = await create(coach.accessToken, {
      clientId: client.user.id,
      title: 'Become Chief Sales Officer',
    });
    const child = await create(coach.accessToken, {
      clientId: client.user.id,
      parentId: root.id,
      horizon: 'MID_TERM',
      title: 'Be promoted to Sales Manager',
    });
    await measureFor(child);

    const spy = jest.spyOn(Object.getPrototypeOf(api.dataSource.createQueryRunner()), 'query');
    const statements = async () => {
      spy.mockClear();
      const data = await api.ok<{ goals: { edges: unknown[] } }>(PAGE, {}, { token: coach.accessToken });
      return { goals: data.goals.edges.length, statements: spy.mock.calls.length };
    };
    const small = await statements();
    for (let i = 0; i < 4; i++) {
      const g = await create(coach.accessToken, {
        clientId: client.user.id,
        parentId: child.id,
        horizon: 'IMMEDIATE',
        title: `Write quarterly report number ${i + 1}`,
      });
      await measureFor(g);
    }
    const large = await statements();
    spy.mockRestore();
    expect(small.goals).toBe(2);
    expect(large.goals).toBe(6);
    expect(large.statements).toBe(small.statements);
  });

  it('a client’s goal tree (the partner frontend’s query) is 5 statements at any depth, authentication included', async () => {
    const { coach, client } = await coachingFirm(api);
    const TREE = `query { goals(rootsOnly: true, first: 20) { edges { node { ...G children { ...G children { ...G } } } } } }
      fragment G on Goal { id title horizon status targetDate progress measures { id title kind currentValue progress } }`;
    const statementsFor = async () => {
      // Every statement pg sends, also the credential check that travels with BEGIN.
      const spy = jest.spyOn(pg.Client.prototype, 'query');
      try {
        const data = await api.ok<{ goals: { edges: unknown[] } }>(TREE, {}, { token: client.accessToken });
        return { roots: data.goals.edges.length, statements: spy.mock.calls.map((call) => String(call[0])) };
      } finally {
        spy.mockRestore();
      }
    };
    const root = await create(coach.accessToken, { clientId: client.user.id, title: 'Become Chief Sales Officer' });
    const flat = await statementsFor();
    const mid = await create(coach.accessToken, {
      clientId: client.user.id,
      parentId: root.id,
      horizon: 'MID_TERM',
      title: 'Be promoted to Sales Manager',
    });
    for (const title of ['Write a report', 'Give a talk']) {
      const leaf = await create(coach.accessToken, { clientId: client.user.id, parentId: mid.id, horizon: 'IMMEDIATE', title });
      await api.ok(ADD_MEASURE, { input: { goalId: leaf.id, expectedVersion: leaf.version, kind: 'MILESTONE', title } }, {
        token: coach.accessToken,
      });
    }
    const deep = await statementsFor();
    expect(flat.roots).toBe(1);
    expect(deep.roots).toBe(1);
    // BEGIN with the tenant settings and the credential check, the root page, the subtrees, their measures, COMMIT.
    expect(deep.statements).toHaveLength(5);
    expect(deep.statements).toHaveLength(flat.statements.length);
  });
});
