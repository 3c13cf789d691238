import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { ApiModule } from '#cairn-app/api';
import { addDays, todayIn } from '#cairn/shared/calendar';
import {
  coachingFirm,
  createApiKey,
  type Credentials,
  errorCode,
  type GqlResult,
  type Session,
  testConfig,
} from '#cairn/shared/testing';
import { TestApi } from './support/index.js';

/** setGoalVisibility and createGoal(audiences): who may set them, the sub-goal rules, and writes to hidden goals. */

const GOAL = `id parentId audiences exceedsParent version`;
const CREATE = `mutation ($input: CreateGoalInput!) { createGoal(input: $input) { ${GOAL} } }`;
const SET = `mutation ($input: SetGoalVisibilityInput!) { setGoalVisibility(input: $input) { ${GOAL} } }`;
const GET = `query ($id: ID!) { goal(id: $id) { ${GOAL} } }`;
const LIST = `query ($clientId: ID) { goals(first: 100, clientId: $clientId) { edges { node { id } } } }`;
const REVISIONS = `query ($id: ID!) { goal(id: $id) { revisions(first: 5) {
  version action reason changedByUserId changedByApiKeyId changes { field previousValue newValue } } } }`;

type Goal = {
  id: string;
  parentId: string | null;
  audiences: string[];
  exceedsParent: boolean;
  version: number;
};

let api: TestApi;
beforeAll(async () => {
  api = await TestApi.start(ApiModule.forRoot(testConfig()));
});
afterAll(() => api?.close());

const as = (session: Session): Credentials => ({ token: session.accessToken });
const inDays = (n: number) => addDays(todayIn('Europe/London'), n);
const fields = (result: GqlResult) =>
  ((result.errors?.[0]?.extensions?.fields as { field: string }[] | undefined) ?? []).map((f) => f.field);

async function create(who: Credentials, input: Record<string, unknown>): Promise<Goal> {
  return (
    await api.ok<{ createGoal: Goal }>(
      CREATE,
      {
        input: {
          category: 'SKILL',
          horizon: 'LONG_TERM',
          title: 'Run a half marathon',
          targetDate: inDays(90),
          ...input,
        },
      },
      who,
    )
  ).createGoal;
}

const get = async (id: string, who: Credentials) => (await api.ok<{ goal: Goal }>(GET, { id }, who)).goal;

/** setGoalVisibility at the goal's current version (read as `reader`, the client by default). */
async function set(
  who: Credentials,
  id: string,
  audiences: string[],
  extra: Record<string, unknown> = {},
  reader?: Credentials,
) {
  const version = (await get(id, reader ?? who)).version;
  return api.gql<{ setGoalVisibility: Goal }>(
    SET,
    { input: { id, expectedVersion: version, audiences, ...extra } },
    who,
  );
}

async function goalFor(cast: Awaited<ReturnType<typeof coachingFirm>>, input: Record<string, unknown> = {}) {
  return create(as(cast.client), { clientId: cast.client.user.id, ...input });
}

describe('who sets a goal’s visibility', () => {
  it('the client makes a goal private: their coach, the firm and API keys lose it; the client keeps it', async () => {
    const cast = await coachingFirm(api);
    const key = await createApiKey(api, cast.firm, ['GOALS_READ', 'GOALS_WRITE']);
    const goal = await goalFor(cast);
    expect(goal.audiences).toEqual(['COACHES', 'FIRM']);
    const listed = async (who: Credentials) =>
      (
        await api.ok<{ goals: { edges: { node: { id: string } }[] } }>(
          LIST,
          { clientId: cast.client.user.id },
          who,
        )
      ).goals.edges.map((e) => e.node.id);
    expect(await listed(as(cast.coach))).toEqual([goal.id]);

    const result = await set(as(cast.client), goal.id, []);
    expect(result.errors).toBeUndefined();
    expect(result.data?.setGoalVisibility).toMatchObject({ audiences: [], version: goal.version + 1 });
    for (const who of [as(cast.coach), as(cast.firm.admin), { apiKey: key.secret }]) {
      expect(errorCode(await api.gql(GET, { id: goal.id }, who))).toBe('NOT_FOUND');
      expect(await listed(who)).toEqual([]);
    }
    expect(await listed(as(cast.client))).toEqual([goal.id]);

    const revisions = (
      await api.ok<{ goal: { revisions: Record<string, unknown>[] } }>(
        REVISIONS,
        { id: goal.id },
        as(cast.client),
      )
    ).goal.revisions;
    expect(revisions[0]).toMatchObject({
      action: 'VISIBILITY_CHANGED',
      reason: null,
      changedByUserId: cast.client.user.id,
      changes: [{ field: 'audiences', previousValue: '["COACHES","FIRM"]', newValue: '[]' }],
    });
  });

  it('COACHES only: the coach keeps it, the admin loses it; FIRM only: the other way round', async () => {
    const cast = await coachingFirm(api);
    const goal = await goalFor(cast);
    await set(as(cast.client), goal.id, ['COACHES']);
    expect((await get(goal.id, as(cast.coach))).audiences).toEqual(['COACHES']);
    expect(errorCode(await api.gql(GET, { id: goal.id }, as(cast.firm.admin)))).toBe('NOT_FOUND');
    await set(as(cast.client), goal.id, ['FIRM']);
    expect(errorCode(await api.gql(GET, { id: goal.id }, as(cast.coach)))).toBe('NOT_FOUND');
    expect((await get(goal.id, as(cast.firm.admin))).audiences).toEqual(['FIRM']);
  });

  it('a coach needs the client’s consent, recorded with who and when; never exceedParent', async () => {
    const cast = await coachingFirm(api);
    const goal = await goalFor(cast);
    const bare = await set(as(cast.coach), goal.id, ['COACHES']);
    expect(errorCode(bare)).toBe('BAD_USER_INPUT');
    expect(fields(bare)).toEqual(['consentNote']);
    expect(errorCode(await set(as(cast.coach), goal.id, ['COACHES'], { consentNote: '   ' }))).toBe(
      'BAD_USER_INPUT',
    );
    expect((await get(goal.id, as(cast.coach))).version).toBe(goal.version);

    const agreed = await set(as(cast.coach), goal.id, ['COACHES'], {
      consentNote: 'Agreed in our session of 3 March',
    });
    expect(agreed.data?.setGoalVisibility.audiences).toEqual(['COACHES']);
    const [revision] = (
      await api.ok<{ goal: { revisions: Record<string, unknown>[] } }>(
        REVISIONS,
        { id: goal.id },
        as(cast.client),
      )
    ).goal.revisions;
    expect(revision).toMatchObject({
      action: 'VISIBILITY_CHANGED',
      reason: 'Client’s consent: Agreed in our session of 3 March',
      changedByUserId: cast.coach.user.id,
    });

    const exceed = await set(as(cast.coach), goal.id, ['COACHES'], { consentNote: 'ok', exceedParent: true });
    expect(fields(exceed)).toEqual(['exceedParent']);
    const byAdmin = await set(as(cast.firm.admin), goal.id, ['COACHES', 'FIRM'], {}, as(cast.client));
    expect(errorCode(byAdmin)).toBe('NOT_FOUND'); // the admin no longer sees it
  });

  it('only the client chooses audiences on createGoal; a new sub-goal starts with its parent’s', async () => {
    const cast = await coachingFirm(api);
    const byCoach = await api.gql(
      CREATE,
      {
        input: {
          clientId: cast.client.user.id,
          category: 'SKILL',
          horizon: 'LONG_TERM',
          title: 'Run far',
          audiences: [],
        },
      },
      as(cast.coach),
    );
    expect(fields(byCoach)).toEqual(['audiences']);
    const parent = await goalFor(cast, { audiences: ['FIRM'] });
    expect(parent.audiences).toEqual(['FIRM']);
    const child = await goalFor(cast, { parentId: parent.id, horizon: 'MID_TERM' });
    expect(child.audiences).toEqual(['FIRM']);
    const wider = await api.gql(
      CREATE,
      {
        input: {
          clientId: cast.client.user.id,
          parentId: parent.id,
          category: 'SKILL',
          horizon: 'MID_TERM',
          title: 'Run further',
          audiences: ['COACHES', 'FIRM'],
        },
      },
      as(cast.client),
    );
    expect(fields(wider)).toEqual(['audiences']);
  });
});

describe('a goal one may not see cannot be written', () => {
  it('every write on a hidden goal is NOT_FOUND, consent or not, exactly like another firm’s goal', async () => {
    const cast = await coachingFirm(api);
    const goal = await goalFor(cast, { audiences: ['FIRM'] });
    const version = goal.version;
    const writes: [string, Record<string, unknown>][] = [
      [
        `mutation ($input: UpdateGoalInput!) { updateGoal(input: $input) { id } }`,
        { input: { id: goal.id, expectedVersion: version, title: 'Changed' } },
      ],
      [
        `mutation ($input: ChangeGoalStatusInput!) { changeGoalStatus(input: $input) { id } }`,
        { input: { id: goal.id, expectedVersion: version, status: 'ABANDONED' } },
      ],
      [
        `mutation ($input: AddGoalMeasureInput!) { addGoalMeasure(input: $input) { measure { id } } }`,
        { input: { goalId: goal.id, expectedVersion: version, kind: 'MILESTONE', title: 'Done' } },
      ],
      [
        `mutation ($input: CreateActionTaskInput!) { createActionTask(input: $input) { id } }`,
        { input: { goalId: goal.id, title: 'Train' } },
      ],
      [SET, { input: { id: goal.id, expectedVersion: version, audiences: ['COACHES', 'FIRM'] } }],
      [
        SET,
        {
          input: {
            id: goal.id,
            expectedVersion: version,
            audiences: ['COACHES', 'FIRM'],
            consentNote: 'yes',
          },
        },
      ],
    ];
    const other = await coachingFirm(api);
    for (const [query, variables] of writes) {
      expect(errorCode(await api.gql(query, variables, as(cast.coach)))).toBe('NOT_FOUND');
      expect(errorCode(await api.gql(query, variables, as(other.firm.admin)))).toBe('NOT_FOUND');
    }
    expect(await get(goal.id, as(cast.client))).toEqual(goal);
  });

  it('a coach cannot point a check-in at a hidden goal or bind a prompt to its measure', async () => {
    const cast = await coachingFirm(api);
    const goal = await goalFor(cast, { audiences: [] });
    const measure = await api.ok<{ addGoalMeasure: { measure: { id: string } } }>(
      `mutation ($input: AddGoalMeasureInput!) { addGoalMeasure(input: $input) { measure { id } } }`,
      { input: { goalId: goal.id, expectedVersion: goal.version, kind: 'MILESTONE', title: 'Done' } },
      as(cast.client),
    );
    const template = await api.ok<{ createCheckInTemplate: { id: string } }>(
      `mutation ($input: CreateCheckInTemplateInput!) { createCheckInTemplate(input: $input) { id } }`,
      {
        input: {
          name: 'Weekly',
          prompts: [{ key: 'n', label: 'How many?', type: 'NUMBER', recordsProgress: true }],
        },
      },
      as(cast.coach),
    );
    const assign = (extra: Record<string, unknown>) =>
      api.gql(
        `mutation ($input: AssignCheckInInput!) { assignCheckIn(input: $input) { id } }`,
        {
          input: {
            clientId: cast.client.user.id,
            templateId: template.createCheckInTemplate.id,
            startsAt: `${inDays(1)}T09:00`,
            windowMinutes: 60,
            ...extra,
          },
        },
        as(cast.coach),
      );
    expect(errorCode(await assign({ goalIds: [goal.id] }))).toBe('NOT_FOUND');
    expect(
      errorCode(
        await assign({ measureBindings: [{ promptKey: 'n', measureId: measure.addGoalMeasure.measure.id }] }),
      ),
    ).toBe('NOT_FOUND');
    await set(as(cast.client), goal.id, ['COACHES']);
    expect((await assign({ goalIds: [goal.id] })).errors).toBeUndefined();
  });

  it('wrong tenant, wrong client, wrong scope, bad input', async () => {
    const cast = await coachingFirm(api);
    const other = await coachingFirm(api);
    const goal = await goalFor(cast);
    // Another firm's client and admin, and another client of the same firm.
    const [sibling] = [await goalFor(other)];
    expect(errorCode(await set(as(other.client), goal.id, [], {}, as(cast.client)))).toBe('NOT_FOUND');
    expect(errorCode(await set(as(cast.client), sibling.id, [], {}, as(other.client)))).toBe('NOT_FOUND');
    const readOnly = await createApiKey(api, cast.firm, ['GOALS_READ']);
    expect(errorCode(await set({ apiKey: readOnly.secret }, goal.id, []))).toBe('FORBIDDEN');
    const writer = await createApiKey(api, cast.firm, ['GOALS_READ', 'GOALS_WRITE']);
    expect(fields(await set({ apiKey: writer.secret }, goal.id, ['FIRM']))).toEqual(['consentNote']);

    const bad: [Record<string, unknown>, string | null][] = [
      [{ audiences: ['NOBODY'] }, null],
      [{ audiences: ['FIRM', 'FIRM'] }, 'audiences'],
      [{ audiences: null }, null],
      [{ audiences: [], consentNote: 'x'.repeat(401) }, 'consentNote'],
      [{ audiences: [], exceedParent: 'yes' }, null],
    ];
    for (const [input, field] of bad) {
      const result = await api.gql(
        SET,
        { input: { id: goal.id, expectedVersion: goal.version, ...input } },
        as(cast.client),
      );
      expect(errorCode(result)).toBe('BAD_USER_INPUT');
      if (field) expect(fields(result)).toContain(field);
    }
    const stale = await api.gql(
      SET,
      { input: { id: goal.id, expectedVersion: goal.version + 5, audiences: [] } },
      as(cast.client),
    );
    expect(errorCode(stale)).toBe('CONFLICT');
    expect(await get(goal.id, as(cast.client))).toEqual(goal);
  });

  it('the same request twice: the second is CONFLICT (its version is gone); a no-change request moves nothing', async () => {
    const cast = await coachingFirm(api);
    const goal = await goalFor(cast);
    const input = { id: goal.id, expectedVersion: goal.version, audiences: ['COACHES'] };
    expect(
      (await api.ok<{ setGoalVisibility: Goal }>(SET, { input }, as(cast.client))).setGoalVisibility.version,
    ).toBe(goal.version + 1);
    expect(errorCode(await api.gql(SET, { input }, as(cast.client)))).toBe('CONFLICT');
    const same = await set(as(cast.client), goal.id, ['COACHES']);
    expect(same.data?.setGoalVisibility.version).toBe(goal.version + 1);
  });
});

describe('sub-goals are never more visible than their parent, unless the client says so', () => {
  it('widening a sub-goal beyond its parent needs the client’s exceedParent', async () => {
    const cast = await coachingFirm(api);
    const parent = await goalFor(cast, { audiences: ['COACHES'] });
    const child = await goalFor(cast, { parentId: parent.id, horizon: 'MID_TERM' });
    expect(child.audiences).toEqual(['COACHES']);
    expect(fields(await set(as(cast.client), child.id, ['COACHES', 'FIRM']))).toEqual(['audiences']);
    expect(
      fields(
        await set(as(cast.coach), child.id, ['COACHES', 'FIRM'], { consentNote: 'ok' }, as(cast.client)),
      ),
    ).toEqual(['audiences']);
    const exceeded = await set(as(cast.client), child.id, ['COACHES', 'FIRM'], { exceedParent: true });
    expect(exceeded.data?.setGoalVisibility).toMatchObject({
      audiences: ['COACHES', 'FIRM'],
      exceedsParent: true,
    });
    // The admin now sees the sub-goal, but not its parent.
    const seen = await api.ok<{ goal: { id: string; parentId: string; parent: null } }>(
      `query ($id: ID!) { goal(id: $id) { id parentId parent { id } } }`,
      { id: child.id },
      as(cast.firm.admin),
    );
    expect(seen.goal.parent).toBeNull();
  });

  it('a goal made more private narrows its sub-goals down the tree, except those the client let exceed it', async () => {
    const cast = await coachingFirm(api);
    const root = await goalFor(cast);
    const child = await goalFor(cast, { parentId: root.id, horizon: 'MID_TERM' });
    const grandchild = await goalFor(cast, { parentId: child.id, horizon: 'IMMEDIATE' });
    const free = await goalFor(cast, { parentId: root.id, horizon: 'MID_TERM' });
    await set(as(cast.client), free.id, ['COACHES', 'FIRM'], { exceedParent: true });
    const onlyFirm = await goalFor(cast, { parentId: root.id, horizon: 'MID_TERM', audiences: ['FIRM'] });

    await set(as(cast.coach), root.id, ['COACHES'], { consentNote: 'Client asked for it' }, as(cast.client));
    const now = async (g: Goal) => (await get(g.id, as(cast.client))).audiences;
    expect(await now(root)).toEqual(['COACHES']);
    expect(await now(child)).toEqual(['COACHES']);
    expect(await now(grandchild)).toEqual(['COACHES']);
    expect(await now(free)).toEqual(['COACHES', 'FIRM']);
    expect(await now(onlyFirm)).toEqual([]);
    const [revision] = (
      await api.ok<{ goal: { revisions: Record<string, unknown>[] } }>(
        REVISIONS,
        { id: grandchild.id },
        as(cast.client),
      )
    ).goal.revisions;
    expect(revision).toMatchObject({
      action: 'VISIBILITY_CHANGED',
      reason: 'Follows its parent goal, made more private',
      changedByUserId: cast.coach.user.id,
      changes: [{ field: 'audiences', previousValue: '["COACHES","FIRM"]', newValue: '["COACHES"]' }],
    });
    // Widening the root again does not widen the sub-goals: that is each one's own choice.
    await set(as(cast.client), root.id, ['COACHES', 'FIRM']);
    expect(await now(child)).toEqual(['COACHES']);
  });

  it('moving a goal under a more private parent narrows it and its sub-goals', async () => {
    const cast = await coachingFirm(api);
    const privateRoot = await goalFor(cast, { audiences: [] });
    const moved = await goalFor(cast);
    const below = await goalFor(cast, { parentId: moved.id, horizon: 'MID_TERM' });
    await api.ok(
      `mutation ($input: UpdateGoalInput!) { updateGoal(input: $input) { id } }`,
      {
        input: {
          id: moved.id,
          expectedVersion: moved.version,
          parentId: privateRoot.id,
          horizon: 'MID_TERM',
          reason: 'Part of the bigger, private plan now',
        },
      },
      as(cast.client),
    );
    expect((await get(moved.id, as(cast.client))).audiences).toEqual([]);
    expect((await get(below.id, as(cast.client))).audiences).toEqual([]);
    expect(errorCode(await api.gql(GET, { id: below.id }, as(cast.coach)))).toBe('NOT_FOUND');

    // A sub-goal the client let exceed one parent does not keep that choice under another one.
    const exceeding = await goalFor(cast, { parentId: privateRoot.id, horizon: 'MID_TERM' });
    await set(as(cast.client), exceeding.id, ['COACHES', 'FIRM'], { exceedParent: true });
    const narrowRoot = await goalFor(cast, { audiences: ['FIRM'] });
    const current = await get(exceeding.id, as(cast.client));
    await api.ok(
      `mutation ($input: UpdateGoalInput!) { updateGoal(input: $input) { id } }`,
      { input: { id: exceeding.id, expectedVersion: current.version, parentId: narrowRoot.id } },
      as(cast.client),
    );
    expect(await get(exceeding.id, as(cast.client))).toMatchObject({
      audiences: ['FIRM'],
      exceedsParent: false,
    });
  });

  it('a parent narrowed while its sub-goal is widened at the same time: the sub-goal never ends up wider', async () => {
    const cast = await coachingFirm(api);
    for (let round = 0; round < 4; round++) {
      const parent = await goalFor(cast);
      const child = await goalFor(cast, { parentId: parent.id, horizon: 'MID_TERM', audiences: ['COACHES'] });
      const [narrowed, widened] = await Promise.all([
        api.gql(
          SET,
          { input: { id: parent.id, expectedVersion: parent.version, audiences: [] } },
          as(cast.client),
        ),
        api.gql(
          SET,
          { input: { id: child.id, expectedVersion: child.version, audiences: ['COACHES', 'FIRM'] } },
          as(cast.client),
        ),
      ]);
      expect(narrowed.errors).toBeUndefined();
      // The widening either went first (and was then narrowed), or came second and was refused.
      if (widened.errors) expect(['BAD_USER_INPUT', 'CONFLICT']).toContain(errorCode(widened));
      expect((await get(parent.id, as(cast.client))).audiences).toEqual([]);
      expect((await get(child.id, as(cast.client))).audiences).toEqual([]);
    }
  });

  it('property: after any sequence of the client’s changes, no sub-goal is wider than its parent unless it exceeds it', async () => {
    const cast = await coachingFirm(api);
    const AUDIENCES = [[], ['COACHES'], ['FIRM'], ['COACHES', 'FIRM']];
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 }), fc.boolean()), {
          minLength: 1,
          maxLength: 6,
        }),
        async (steps) => {
          const root = await goalFor(cast);
          const a = await goalFor(cast, { parentId: root.id, horizon: 'MID_TERM' });
          const b = await goalFor(cast, { parentId: root.id, horizon: 'MID_TERM' });
          const c = await goalFor(cast, { parentId: a.id, horizon: 'IMMEDIATE' });
          const tree = [root, a, b, c];
          for (const [which, audiences, exceed] of steps) {
            const result = await set(as(cast.client), tree[which].id, AUDIENCES[audiences], {
              exceedParent: exceed,
            });
            if (result.errors) expect(fields(result)).toEqual(['audiences']);
          }
          const now = new Map<string, Goal>();
          for (const g of tree) now.set(g.id, await get(g.id, as(cast.client)));
          for (const g of now.values()) {
            if (!g.parentId || g.exceedsParent) continue;
            const parent = now.get(g.parentId)!;
            expect(g.audiences.every((x) => parent.audiences.includes(x))).toBe(true);
          }
        },
      ),
      { numRuns: 12 },
    );
  }, 240_000);
});

describe('a parent’s progress as each reader sees it', () => {
  it('counts a private sub-goal only for those who may see it: the client, not the coach, the dashboard, the firm or a supporter', async () => {
    const cast = await coachingFirm(api);
    const parent = await goalFor(cast);
    const child = await goalFor(cast, { parentId: parent.id, horizon: 'MID_TERM', audiences: [] });
    // The private sub-goal is achieved (100) and is the parent's only part.
    await api.dataSource.query(`UPDATE goals SET status = 'ACHIEVED', achieved_at = now() WHERE id = $1`, [
      child.id,
    ]);
    await api.dataSource.query(`UPDATE goals SET status = 'ACTIVE' WHERE id = $1`, [parent.id]);
    const progressOf = async (who: Credentials) =>
      (
        await api.ok<{ goal: { progress: number | null } }>(
          `query ($id: ID!) { goal(id: $id) { progress } }`,
          { id: parent.id },
          who,
        )
      ).goal.progress;
    expect(await progressOf(as(cast.client))).toBe(100);
    expect(await progressOf(as(cast.coach))).toBeNull();
    expect(await progressOf(as(cast.firm.admin))).toBeNull();
    // Its pace falls back on that progress (no measures or tasks of its own): nothing to judge for the coach.
    const paceOf = async (who: Credentials) =>
      (
        await api.ok<{ goal: { pace: { state: string } | null } }>(
          `query ($id: ID!) { goal(id: $id) { pace { state } } }`,
          { id: parent.id },
          who,
        )
      ).goal.pace;
    expect(await paceOf(as(cast.client))).not.toBeNull();
    expect(await paceOf(as(cast.coach))).toBeNull();

    const dashboard = await api.ok<{
      coachDashboard: {
        edges: {
          node: { client: { id: string }; activeGoals: { progress: number | null; goal: { id: string } }[] };
        }[];
      };
    }>(
      `query { coachDashboard(first: 50) { edges { node { client { id } activeGoals { progress goal { id } } } } } }`,
      {},
      as(cast.coach),
    );
    const row = dashboard.coachDashboard.edges.find((e) => e.node.client.id === cast.client.user.id)!;
    expect(row.node.activeGoals).toEqual([{ progress: null, goal: { id: parent.id } }]);

    // A supporter the client shared the parent with, not the sub-goal.
    const { inviteSupporter } = await api.ok<{
      inviteSupporter: { token: string; supporter: { id: string } };
    }>(
      `mutation ($input: InviteSupporterInput!) { inviteSupporter(input: $input) { token supporter { id } } }`,
      {
        input: {
          clientId: cast.client.user.id,
          email: `sup-${parent.id.slice(0, 8)}@example.test`,
          displayName: 'Bea Boss',
          relationship: 'BOSS',
        },
      },
      as(cast.client),
    );
    await api.ok(
      `mutation ($input: GoalShareInput!) { shareGoalWithSupporter(input: $input) { sharedGoalIds } }`,
      {
        input: { supporterId: inviteSupporter.supporter.id, goalId: parent.id },
      },
      as(cast.client),
    );
    const { exchangeSupporterLink } = await api.ok<{ exchangeSupporterLink: { accessToken: string } }>(
      `mutation ($token: String!) { exchangeSupporterLink(input: { token: $token }) { accessToken } }`,
      { token: inviteSupporter.token },
    );
    const home = await api.ok<{ supporterHome: { goals: { id: string; progress: number | null }[] } }>(
      `{ supporterHome { goals { id progress } } }`,
      {},
      { token: exchangeSupporterLink.accessToken },
    );
    expect(home.supporterHome.goals).toEqual([{ id: parent.id, progress: null }]);
    // Shared with everyone again, the sub-goal counts for all of them.
    expect((await set(as(cast.client), child.id, ['COACHES', 'FIRM'])).errors).toBeUndefined();
    expect(await progressOf(as(cast.coach))).toBe(100);
  });
});
