import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { ApiModule } from '#cairn-app/api';
import {
  coachingFirm,
  createApiKey,
  createClient,
  errorCode,
  signUpFirm,
  testConfig,
} from '#cairn/shared/testing';
import { TestApi } from './support/index.js';

const STEP = 'id position title description estimatedYears';
const PATH = `id clientId title description currentStepId archivedAt version
  steps { ${STEP} }
  standing { currentStep { title } nextStep { title } topStep { title } stepsToGo estimatedYearsToTop atTop }`;
const CREATE = `mutation ($input: CreateCareerPathInput!) { createCareerPath(input: $input) { ${PATH} } }`;
const ACTIVE = `query ($clientId: ID!) { careerPath(clientId: $clientId) { ${PATH} } }`;
const ALL = `query ($clientId: ID!) { careerPaths(clientId: $clientId) { edges { node { id archivedAt } } } }`;
const UPDATE = `mutation ($input: UpdateCareerPathInput!) { updateCareerPath(input: $input) { ${PATH} } }`;
const ARCHIVE = `mutation ($input: CareerPathVersionInput!) { archiveCareerPath(input: $input) { ${PATH} } }`;
const ADD_STEP = `mutation ($input: AddCareerStepInput!) { addCareerStep(input: $input) { ${PATH} } }`;
const UPDATE_STEP = `mutation ($input: UpdateCareerStepInput!) { updateCareerStep(input: $input) { ${PATH} } }`;
const REMOVE_STEP = `mutation ($input: RemoveCareerStepInput!) { removeCareerStep(input: $input) { ${PATH} } }`;
const REORDER = `mutation ($input: ReorderCareerStepsInput!) { reorderCareerSteps(input: $input) { ${PATH} } }`;
const SET_CURRENT = `mutation ($input: SetCurrentCareerStepInput!) { setCurrentCareerStep(input: $input) { ${PATH} } }`;
const LINK = `mutation ($input: LinkGoalToCareerStepInput!) {
  linkGoalToCareerStep(input: $input) { id version careerStepId careerStep { id title } }
}`;

/** The seed's ladder: about 15 years from Sales Representative to Chief Sales Officer. */
const SALES_LADDER = [
  { title: 'Sales Representative', estimatedYears: 0 },
  { title: 'Sales Manager', estimatedYears: 3 },
  { title: 'Director', estimatedYears: 4 },
  { title: 'VP Sales', estimatedYears: 4 },
  { title: 'Chief Sales Officer', estimatedYears: 4 },
];

interface Step {
  id: string;
  position: number;
  title: string;
  estimatedYears: number;
}
interface Path {
  id: string;
  version: number;
  currentStepId: string | null;
  archivedAt: string | null;
  steps: Step[];
  standing: {
    currentStep: { title: string } | null;
    nextStep: { title: string } | null;
    topStep: { title: string } | null;
    stepsToGo: number;
    estimatedYearsToTop: number;
    atTop: boolean;
  };
}

let api: TestApi;
beforeAll(async () => {
  api = await TestApi.start(ApiModule.forRoot(testConfig()));
});
afterAll(() => api.close());

async function createPath(token: string, clientId: string, extra: Record<string, unknown> = {}): Promise<Path> {
  const data = await api.ok<{ createCareerPath: Path }>(
    CREATE,
    { input: { clientId, title: 'Sales leadership', steps: SALES_LADDER, currentStepPosition: 1, ...extra } },
    { token },
  );
  return data.createCareerPath;
}

async function createGoal(token: string, clientId: string, title = 'Become Sales Manager'): Promise<string> {
  const data = await api.ok<{ createGoal: { id: string } }>(
    `mutation ($input: CreateGoalInput!) { createGoal(input: $input) { id } }`,
    { input: { clientId, horizon: 'MID_TERM', title, category: 'POSITION' } },
    { token },
  );
  return data.createGoal.id;
}

async function ladderRows(tenantId: string) {
  const [row] = await api.dataSource.query(
    `SELECT (SELECT count(*)::int FROM career_paths WHERE tenant_id = $1) AS paths,
            (SELECT count(*)::int FROM career_steps WHERE tenant_id = $1) AS steps`,
    [tenantId],
  );
  return row as { paths: number; steps: number };
}

const titles = (path: Path) => path.steps.map((s) => s.title);

describe('the ladder and where the client stands', () => {
  it('records the seed’s ladder and answers current step, next step, steps to go and years to the top', async () => {
    const { coach, client } = await coachingFirm(api);
    const path = await createPath(coach.accessToken, client.user.id, { description: 'Within the current employer' });
    expect(path.version).toBe(1);
    expect(path.steps.map((s) => [s.position, s.title, s.estimatedYears])).toEqual([
      [1, 'Sales Representative', 0],
      [2, 'Sales Manager', 3],
      [3, 'Director', 4],
      [4, 'VP Sales', 4],
      [5, 'Chief Sales Officer', 4],
    ]);
    expect(path.currentStepId).toBe(path.steps[0].id);
    expect(path.standing).toEqual({
      currentStep: { title: 'Sales Representative' },
      nextStep: { title: 'Sales Manager' },
      topStep: { title: 'Chief Sales Officer' },
      stepsToGo: 4,
      estimatedYearsToTop: 15,
      atTop: false,
    });

    // The client reads their own path.
    const own = await api.ok<{ careerPath: Path }>(ACTIVE, { clientId: client.user.id }, { token: client.accessToken });
    expect(own.careerPath.id).toBe(path.id);

    const promoted = await api.ok<{ setCurrentCareerStep: Path }>(
      SET_CURRENT,
      { input: { pathId: path.id, expectedVersion: 1, stepId: path.steps[1].id } },
      { token: client.accessToken },
    );
    expect(promoted.setCurrentCareerStep.version).toBe(2);
    expect(promoted.setCurrentCareerStep.standing).toMatchObject({
      currentStep: { title: 'Sales Manager' },
      nextStep: { title: 'Director' },
      stepsToGo: 3,
      estimatedYearsToTop: 12,
    });

    const top = await api.ok<{ setCurrentCareerStep: Path }>(
      SET_CURRENT,
      { input: { pathId: path.id, expectedVersion: 2, stepId: path.steps[4].id } },
      { token: coach.accessToken },
    );
    expect(top.setCurrentCareerStep.standing).toMatchObject({ nextStep: null, stepsToGo: 0, estimatedYearsToTop: 0, atTop: true });

    const offLadder = await api.ok<{ setCurrentCareerStep: Path }>(
      SET_CURRENT,
      { input: { pathId: path.id, expectedVersion: 3, stepId: null } },
      { token: coach.accessToken },
    );
    expect(offLadder.setCurrentCareerStep.currentStepId).toBeNull();
    expect(offLadder.setCurrentCareerStep.standing).toMatchObject({
      currentStep: null,
      nextStep: { title: 'Sales Representative' },
      stepsToGo: 5,
      estimatedYearsToTop: 15,
      atTop: false,
    });
  });

  it('a client without a path has none', async () => {
    const { coach, client } = await coachingFirm(api);
    const none = await api.ok<{ careerPath: Path | null }>(ACTIVE, { clientId: client.user.id }, { token: coach.accessToken });
    expect(none.careerPath).toBeNull();
  });

  it('steps are added, edited, reordered and removed, each moving the path version', async () => {
    const { coach, client } = await coachingFirm(api);
    const path = await createPath(coach.accessToken, client.user.id);

    const added = (
      await api.ok<{ addCareerStep: Path }>(
        ADD_STEP,
        { input: { pathId: path.id, expectedVersion: 1, title: 'Senior Sales Representative', estimatedYears: 2, position: 2 } },
        { token: coach.accessToken },
      )
    ).addCareerStep;
    expect(added.version).toBe(2);
    expect(titles(added)).toEqual([
      'Sales Representative',
      'Senior Sales Representative',
      'Sales Manager',
      'Director',
      'VP Sales',
      'Chief Sales Officer',
    ]);
    expect(added.steps.map((s) => s.position)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(added.standing.estimatedYearsToTop).toBe(17);

    const onTop = (
      await api.ok<{ addCareerStep: Path }>(
        ADD_STEP,
        { input: { pathId: path.id, expectedVersion: 2, title: 'Board member', estimatedYears: 2.5 } },
        { token: client.accessToken },
      )
    ).addCareerStep;
    expect(titles(onTop).at(-1)).toBe('Board member');
    expect(onTop.standing.estimatedYearsToTop).toBe(19.5);

    const senior = onTop.steps[1];
    const edited = (
      await api.ok<{ updateCareerStep: Path }>(
        UPDATE_STEP,
        { input: { id: senior.id, expectedVersion: 3, estimatedYears: 1.5, description: 'Top 10% of the region' } },
        { token: coach.accessToken },
      )
    ).updateCareerStep;
    expect(edited.steps[1]).toMatchObject({ title: 'Senior Sales Representative', estimatedYears: 1.5, description: 'Top 10% of the region' });
    expect(edited.standing.estimatedYearsToTop).toBe(19);

    const reversed = [...edited.steps].reverse().map((s) => s.id);
    const reordered = (
      await api.ok<{ reorderCareerSteps: Path }>(
        REORDER,
        { input: { pathId: path.id, expectedVersion: 4, stepIds: reversed } },
        { token: coach.accessToken },
      )
    ).reorderCareerSteps;
    expect(reordered.steps.map((s) => s.id)).toEqual(reversed);
    expect(reordered.steps.map((s) => s.position)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    // The current step (Sales Representative) is now the top one.
    expect(reordered.standing).toMatchObject({ currentStep: { title: 'Sales Representative' }, atTop: true, stepsToGo: 0 });

    const back = (
      await api.ok<{ reorderCareerSteps: Path }>(
        REORDER,
        { input: { pathId: path.id, expectedVersion: 5, stepIds: edited.steps.map((s) => s.id) } },
        { token: coach.accessToken },
      )
    ).reorderCareerSteps;
    expect(titles(back)).toEqual(titles(edited));

    const removed = (
      await api.ok<{ removeCareerStep: Path }>(
        REMOVE_STEP,
        { input: { id: senior.id, expectedVersion: 6 } },
        { token: coach.accessToken },
      )
    ).removeCareerStep;
    expect(titles(removed)).toEqual([
      'Sales Representative',
      'Sales Manager',
      'Director',
      'VP Sales',
      'Chief Sales Officer',
      'Board member',
    ]);
    expect(removed.steps.map((s) => s.position)).toEqual([1, 2, 3, 4, 5, 6]);

    const renamed = (
      await api.ok<{ updateCareerPath: Path & { title: string; description: string | null } }>(
        UPDATE,
        { input: { id: path.id, expectedVersion: 7, title: 'Road to CSO', description: null } },
        { token: coach.accessToken },
      )
    ).updateCareerPath;
    expect(renamed).toMatchObject({ title: 'Road to CSO', description: null, version: 8 });

    // What a step edit omits stays: estimatedYears is not reset to CareerStepInput's default of 0.
    const board = removed.steps[5];
    const boardRenamed = (
      await api.ok<{ updateCareerStep: Path }>(
        UPDATE_STEP,
        { input: { id: board.id, expectedVersion: 8, title: 'Board' } },
        { token: coach.accessToken },
      )
    ).updateCareerStep;
    expect(boardRenamed.steps[5]).toMatchObject({ title: 'Board', estimatedYears: 2.5 });
  });

  it('removing the current step leaves the client off the ladder', async () => {
    const { coach, client } = await coachingFirm(api);
    const path = await createPath(coach.accessToken, client.user.id, { currentStepPosition: 2 });
    const removed = (
      await api.ok<{ removeCareerStep: Path }>(
        REMOVE_STEP,
        { input: { id: path.steps[1].id, expectedVersion: 1 } },
        { token: coach.accessToken },
      )
    ).removeCareerStep;
    expect(removed.currentStepId).toBeNull();
    expect(removed.standing).toMatchObject({ currentStep: null, stepsToGo: 4, estimatedYearsToTop: 12 });
  });
});

describe('one active path per client', () => {
  it('a second path is a CONFLICT until the first is archived; archived paths are read-only history', async () => {
    const { firm, coach, client } = await coachingFirm(api);
    const first = await createPath(coach.accessToken, client.user.id);
    const again = await api.gql(
      CREATE,
      { input: { clientId: client.user.id, title: 'Marketing', steps: [{ title: 'Marketing Manager' }] } },
      { token: coach.accessToken },
    );
    expect(errorCode(again)).toBe('CONFLICT');
    expect(await ladderRows(firm.tenantId)).toEqual({ paths: 1, steps: 5 });

    const archived = (
      await api.ok<{ archiveCareerPath: Path }>(ARCHIVE, { input: { id: first.id, expectedVersion: 1 } }, { token: coach.accessToken })
    ).archiveCareerPath;
    expect(archived.archivedAt).toEqual(expect.any(String));
    const frozen = await api.gql(
      UPDATE_STEP,
      { input: { id: first.steps[0].id, expectedVersion: 2, title: 'Changed' } },
      { token: coach.accessToken },
    );
    expect(errorCode(frozen)).toBe('CONFLICT');

    const second = await api.ok<{ createCareerPath: Path }>(
      CREATE,
      { input: { clientId: client.user.id, title: 'Marketing', steps: [{ title: 'Marketing Manager' }] } },
      { token: client.accessToken },
    );
    expect(second.createCareerPath.standing).toMatchObject({ currentStep: null, stepsToGo: 1, estimatedYearsToTop: 0 });
    const active = await api.ok<{ careerPath: Path }>(ACTIVE, { clientId: client.user.id }, { token: coach.accessToken });
    expect(active.careerPath.id).toBe(second.createCareerPath.id);
    const all = await api.ok<{ careerPaths: { edges: { node: { id: string; archivedAt: string | null } }[] } }>(
      ALL,
      { clientId: client.user.id },
      { token: client.accessToken },
    );
    expect(all.careerPaths.edges.map((e) => e.node.id)).toEqual([first.id, second.createCareerPath.id]);
  });

  it('two concurrent creations leave exactly one path', async () => {
    const { firm, coach, client } = await coachingFirm(api);
    const input = { clientId: client.user.id, title: 'Sales leadership', steps: SALES_LADDER };
    const results = await Promise.all([
      api.gql(CREATE, { input }, { token: coach.accessToken }),
      api.gql(CREATE, { input }, { token: client.accessToken }),
    ]);
    expect(results.map((r) => errorCode(r) ?? 'OK').sort()).toEqual(['CONFLICT', 'OK']);
    expect(await ladderRows(firm.tenantId)).toEqual({ paths: 1, steps: 5 });
  });
});

describe('concurrent edits', () => {
  it('a stale expectedVersion is a CONFLICT and changes nothing', async () => {
    const { coach, client } = await coachingFirm(api);
    const path = await createPath(coach.accessToken, client.user.id);
    await api.ok(UPDATE, { input: { id: path.id, expectedVersion: 1, title: 'Mine' } }, { token: client.accessToken });
    const stale = [
      await api.gql(UPDATE, { input: { id: path.id, expectedVersion: 1, title: 'Theirs' } }, { token: coach.accessToken }),
      await api.gql(
        ADD_STEP,
        { input: { pathId: path.id, expectedVersion: 1, title: 'Senior Rep', estimatedYears: 1 } },
        { token: coach.accessToken },
      ),
      await api.gql(UPDATE_STEP, { input: { id: path.steps[0].id, expectedVersion: 1, title: 'X' } }, { token: coach.accessToken }),
      await api.gql(REMOVE_STEP, { input: { id: path.steps[0].id, expectedVersion: 1 } }, { token: coach.accessToken }),
      await api.gql(
        REORDER,
        { input: { pathId: path.id, expectedVersion: 1, stepIds: path.steps.map((s) => s.id).reverse() } },
        { token: coach.accessToken },
      ),
      await api.gql(SET_CURRENT, { input: { pathId: path.id, expectedVersion: 1, stepId: null } }, { token: coach.accessToken }),
      await api.gql(ARCHIVE, { input: { id: path.id, expectedVersion: 1 } }, { token: coach.accessToken }),
    ];
    expect(stale.map(errorCode)).toEqual(Array(stale.length).fill('CONFLICT'));
    const now = await api.ok<{ careerPath: Path & { title: string } }>(ACTIVE, { clientId: client.user.id }, { token: coach.accessToken });
    expect(now.careerPath).toMatchObject({ title: 'Mine', version: 2, archivedAt: null, currentStepId: path.steps[0].id });
    expect(titles(now.careerPath)).toEqual(SALES_LADDER.map((s) => s.title));
  });

  it('of two simultaneous edits with the same version, one wins and the other gets CONFLICT', async () => {
    const { coach, client } = await coachingFirm(api);
    const path = await createPath(coach.accessToken, client.user.id);
    const results = await Promise.all([
      api.gql(
        ADD_STEP,
        { input: { pathId: path.id, expectedVersion: 1, title: 'Senior Rep', estimatedYears: 1, position: 2 } },
        { token: coach.accessToken },
      ),
      api.gql(
        ADD_STEP,
        { input: { pathId: path.id, expectedVersion: 1, title: 'Team Lead', estimatedYears: 1, position: 2 } },
        { token: client.accessToken },
      ),
    ]);
    expect(results.map((r) => errorCode(r) ?? 'OK').sort()).toEqual(['CONFLICT', 'OK']);
    const now = await api.ok<{ careerPath: Path }>(ACTIVE, { clientId: client.user.id }, { token: coach.accessToken });
    expect(now.careerPath.version).toBe(2);
    expect(now.careerPath.steps.map((s) => s.position)).toEqual([1, 2, 3, 4, 5, 6]);
  });
});

describe('bad input', () => {
  it('rejects over-long text, out-of-range years and positions, and bad step lists without writing anything', async () => {
    const { firm, coach, client } = await coachingFirm(api);
    const base = { clientId: client.user.id, title: 'Sales leadership', steps: SALES_LADDER };
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ ...base, title: 'x'.repeat(201) }, 'title'],
      [{ ...base, title: '   ' }, 'title'],
      [{ ...base, description: 'x'.repeat(2001) }, 'description'],
      [{ ...base, steps: [{ title: 'x'.repeat(121) }] }, 'steps[0].title'],
      [{ ...base, steps: [{ title: 'Rep', description: 'x'.repeat(2001) }] }, 'steps[0].description'],
      [{ ...base, steps: [{ title: 'Rep', estimatedYears: -1 }] }, 'steps[0].estimatedYears'],
      [{ ...base, steps: [{ title: 'Rep', estimatedYears: 51 }] }, 'steps[0].estimatedYears'],
      [{ ...base, steps: [{ title: 'Rep', estimatedYears: 1.25 }] }, 'steps[0].estimatedYears'],
      // Exponent notation made class-validator's own decimal-places check throw (a 500).
      [{ ...base, steps: [{ title: 'Rep', estimatedYears: 1e-300 }] }, 'steps[0].estimatedYears'],
      [{ ...base, steps: [] }, 'steps'],
      [{ ...base, steps: Array.from({ length: 31 }, (_, i) => ({ title: `Rung ${i}` })) }, 'steps'],
      [{ ...base, currentStepPosition: 6 }, 'currentStepPosition'],
      [{ ...base, currentStepPosition: 0 }, 'currentStepPosition'],
      [{ ...base, clientId: 'not-an-id' }, 'clientId'],
    ];
    for (const [input, field] of cases) {
      const result = await api.gql(CREATE, { input }, { token: coach.accessToken });
      expect({ field, code: errorCode(result) }).toEqual({ field, code: 'BAD_USER_INPUT' });
      expect(JSON.stringify(result.errors)).toContain(field);
    }
    expect(await ladderRows(firm.tenantId)).toEqual({ paths: 0, steps: 0 });
  });

  it('failed step changes leave the ladder and its version as they were', async () => {
    const { firm, coach, client } = await coachingFirm(api);
    const path = await createPath(coach.accessToken, client.user.id);
    const other = await createClient(api, coach);
    const otherPath = await createPath(coach.accessToken, other.id);
    const ids = path.steps.map((s) => s.id);
    const failures: Array<[string, Record<string, unknown>, string]> = [
      [ADD_STEP, { pathId: path.id, expectedVersion: 1, title: 'Too far', position: 7 }, 'BAD_USER_INPUT'],
      [ADD_STEP, { pathId: path.id, expectedVersion: 1, title: 'x'.repeat(121) }, 'BAD_USER_INPUT'],
      [UPDATE_STEP, { id: ids[0], expectedVersion: 1, estimatedYears: 50.5 }, 'BAD_USER_INPUT'],
      [REORDER, { pathId: path.id, expectedVersion: 1, stepIds: ids.slice(1) }, 'BAD_USER_INPUT'],
      [REORDER, { pathId: path.id, expectedVersion: 1, stepIds: [...ids.slice(1), otherPath.steps[0].id] }, 'BAD_USER_INPUT'],
      [REORDER, { pathId: path.id, expectedVersion: 1, stepIds: [...ids, ids[0]] }, 'BAD_USER_INPUT'],
      [SET_CURRENT, { pathId: path.id, expectedVersion: 1, stepId: otherPath.steps[1].id }, 'NOT_FOUND'],
    ];
    for (const [mutation, input, code] of failures) {
      const result = await api.gql(mutation, { input }, { token: coach.accessToken });
      expect({ input, code: errorCode(result) }).toEqual({ input, code });
    }
    const after = await api.ok<{ careerPath: Path }>(ACTIVE, { clientId: client.user.id }, { token: coach.accessToken });
    expect(after.careerPath.version).toBe(1);
    expect(after.careerPath.steps).toEqual(path.steps);
    expect(after.careerPath.currentStepId).toBe(path.steps[0].id);
    expect(await ladderRows(firm.tenantId)).toEqual({ paths: 2, steps: 10 });
  });

  it('a path has at most 30 steps', async () => {
    const { coach, client } = await coachingFirm(api);
    const steps = Array.from({ length: 30 }, (_, i) => ({ title: `Rung ${i + 1}`, estimatedYears: 0.1 }));
    const path = await createPath(coach.accessToken, client.user.id, { steps, currentStepPosition: undefined });
    expect(path.standing.estimatedYearsToTop).toBe(3);
    const full = await api.gql(ADD_STEP, { input: { pathId: path.id, expectedVersion: 1, title: 'One more' } }, { token: coach.accessToken });
    expect(errorCode(full)).toBe('BAD_USER_INPUT');
    const after = await api.ok<{ careerPath: Path }>(ACTIVE, { clientId: client.user.id }, { token: coach.accessToken });
    expect(after.careerPath).toMatchObject({ version: 1 });
    expect(after.careerPath.steps).toHaveLength(30);
  });
});

describe('who may see and change a path', () => {
  it('coaches outside the caseload, other clients and other firms get NOT_FOUND; nothing changes', async () => {
    const { firm, coach, otherCoach, client } = await coachingFirm(api);
    const path = await createPath(coach.accessToken, client.user.id);
    const outsiders = [otherCoach.accessToken, (await signUpFirm(api)).admin.accessToken];
    const someoneElse = await createClient(api, otherCoach);
    for (const token of outsiders) {
      expect(errorCode(await api.gql(ACTIVE, { clientId: client.user.id }, { token }))).toBe('NOT_FOUND');
      expect(errorCode(await api.gql(ALL, { clientId: client.user.id }, { token }))).toBe('NOT_FOUND');
      const attempts = [
        await api.gql(CREATE, { input: { clientId: client.user.id, title: 'X', steps: [{ title: 'X' }] } }, { token }),
        await api.gql(UPDATE, { input: { id: path.id, expectedVersion: 1, title: 'Hacked' } }, { token }),
        await api.gql(ADD_STEP, { input: { pathId: path.id, expectedVersion: 1, title: 'Hacked' } }, { token }),
        await api.gql(UPDATE_STEP, { input: { id: path.steps[0].id, expectedVersion: 1, title: 'Hacked' } }, { token }),
        await api.gql(REMOVE_STEP, { input: { id: path.steps[0].id, expectedVersion: 1 } }, { token }),
        await api.gql(REORDER, { input: { pathId: path.id, expectedVersion: 1, stepIds: path.steps.map((s) => s.id) } }, { token }),
        await api.gql(SET_CURRENT, { input: { pathId: path.id, expectedVersion: 1, stepId: null } }, { token }),
        await api.gql(ARCHIVE, { input: { id: path.id, expectedVersion: 1 } }, { token }),
      ];
      expect(attempts.map(errorCode)).toEqual(Array(attempts.length).fill('NOT_FOUND'));
    }
    // A client reaches only their own path.
    expect(errorCode(await api.gql(ACTIVE, { clientId: someoneElse.id }, { token: client.accessToken }))).toBe('NOT_FOUND');
    const admin = await api.ok<{ careerPath: Path }>(ACTIVE, { clientId: client.user.id }, { token: firm.admin.accessToken });
    expect(admin.careerPath).toMatchObject({ id: path.id, version: 1 });
    expect(titles(admin.careerPath)).toEqual(SALES_LADDER.map((s) => s.title));
  });

  it('API keys read with GOALS_READ and write with GOALS_WRITE', async () => {
    const { firm, coach, client } = await coachingFirm(api);
    const path = await createPath(coach.accessToken, client.user.id);
    const reader = await createApiKey(api, firm, ['GOALS_READ']);
    const writer = await createApiKey(api, firm, ['GOALS_READ', 'GOALS_WRITE']);
    const clientsOnly = await createApiKey(api, firm, ['CLIENTS_READ']);
    const read = await api.ok<{ careerPath: Path }>(ACTIVE, { clientId: client.user.id }, { apiKey: reader.secret });
    expect(read.careerPath.id).toBe(path.id);
    expect(errorCode(await api.gql(ACTIVE, { clientId: client.user.id }, { apiKey: clientsOnly.secret }))).toBe('FORBIDDEN');
    const input = { id: path.id, expectedVersion: 1, title: 'From the CRM' };
    expect(errorCode(await api.gql(UPDATE, { input }, { apiKey: reader.secret }))).toBe('FORBIDDEN');
    const written = await api.ok<{ updateCareerPath: { version: number } }>(UPDATE, { input }, { apiKey: writer.secret });
    expect(written.updateCareerPath.version).toBe(2);
  });

  it('an archived client’s path is read-only', async () => {
    const { coach, client } = await coachingFirm(api);
    const path = await createPath(coach.accessToken, client.user.id);
    await api.ok(`mutation ($input: ArchiveClientInput!) { archiveClient(input: $input) { id } }`, { input: { id: client.user.id } }, { token: coach.accessToken });
    const edit = await api.gql(UPDATE, { input: { id: path.id, expectedVersion: 1, title: 'X' } }, { token: coach.accessToken });
    expect(errorCode(edit)).toBe('CONFLICT');
    const read = await api.ok<{ careerPath: Path }>(ACTIVE, { clientId: client.user.id }, { token: coach.accessToken });
    expect(read.careerPath.version).toBe(1);
  });
});

describe('goals linked to steps', () => {
  it('links and unlinks a goal of the same client without moving the goal’s version', async () => {
    const { coach, client } = await coachingFirm(api);
    const path = await createPath(coach.accessToken, client.user.id);
    const goalId = await createGoal(coach.accessToken, client.user.id);
    const linked = await api.ok<{ linkGoalToCareerStep: Record<string, unknown> }>(
      LINK,
      { input: { goalId, stepId: path.steps[1].id } },
      { token: client.accessToken },
    );
    expect(linked.linkGoalToCareerStep).toEqual({
      id: goalId,
      version: 1,
      careerStepId: path.steps[1].id,
      careerStep: { id: path.steps[1].id, title: 'Sales Manager' },
    });
    const withGoals = await api.ok<{ careerPath: { steps: { title: string; goals: { id: string }[] }[] } }>(
      `query ($clientId: ID!) { careerPath(clientId: $clientId) { steps { title goals { id } } } }`,
      { clientId: client.user.id },
      { token: coach.accessToken },
    );
    expect(withGoals.careerPath.steps.map((s) => s.goals.map((g) => g.id))).toEqual([[], [goalId], [], [], []]);

    const unlinked = await api.ok<{ linkGoalToCareerStep: Record<string, unknown> }>(
      LINK,
      { input: { goalId, stepId: null } },
      { token: coach.accessToken },
    );
    expect(unlinked.linkGoalToCareerStep).toMatchObject({ careerStepId: null, careerStep: null, version: 1 });
  });

  it('refuses a step of another client’s path, other firms’ and unreachable goals, and archived paths', async () => {
    const { firm, coach, otherCoach, client } = await coachingFirm(api);
    const path = await createPath(coach.accessToken, client.user.id);
    const goalId = await createGoal(coach.accessToken, client.user.id);
    const second = await createClient(api, coach);
    const secondGoal = await createGoal(coach.accessToken, second.id);
    const unreachable = await createClient(api, otherCoach);
    const unreachablePath = await createPath(otherCoach.accessToken, unreachable.id);

    // Both in the coach's caseload, but the goal is another client's.
    const crossed = await api.gql(LINK, { input: { goalId: secondGoal, stepId: path.steps[1].id } }, { token: coach.accessToken });
    expect(errorCode(crossed)).toBe('BAD_USER_INPUT');
    // A step the caller cannot see at all is NOT_FOUND.
    const hidden = await api.gql(LINK, { input: { goalId, stepId: unreachablePath.steps[0].id } }, { token: coach.accessToken });
    expect(errorCode(hidden)).toBe('NOT_FOUND');
    // Goals out of reach are NOT_FOUND: another coach's client, another firm.
    const byOtherCoach = await api.gql(LINK, { input: { goalId, stepId: null } }, { token: otherCoach.accessToken });
    expect(errorCode(byOtherCoach)).toBe('NOT_FOUND');
    const other = await coachingFirm(api);
    const foreignGoal = await createGoal(other.coach.accessToken, other.client.user.id);
    const foreign = await api.gql(LINK, { input: { goalId: foreignGoal, stepId: path.steps[0].id } }, { token: coach.accessToken });
    expect(errorCode(foreign)).toBe('NOT_FOUND');
    const intoForeign = await api.gql(
      LINK,
      { input: { goalId, stepId: path.steps[0].id } },
      { token: other.firm.admin.accessToken },
    );
    expect(errorCode(intoForeign)).toBe('NOT_FOUND');
    // Their own goal, our step: the step is NOT_FOUND.
    const foreignStep = await api.gql(
      LINK,
      { input: { goalId: foreignGoal, stepId: path.steps[0].id } },
      { token: other.firm.admin.accessToken },
    );
    expect(errorCode(foreignStep)).toBe('NOT_FOUND');
    expect(foreignStep.errors?.[0].message).toBe('Career step not found');

    await api.ok(ARCHIVE, { input: { id: path.id, expectedVersion: 1 } }, { token: coach.accessToken });
    const archived = await api.gql(LINK, { input: { goalId, stepId: path.steps[0].id } }, { token: coach.accessToken });
    expect(errorCode(archived)).toBe('CONFLICT');

    const rows = await api.dataSource.query(
      `SELECT count(*)::int AS n FROM goals WHERE career_step_id IS NOT NULL AND tenant_id = ANY($1)`,
      [[firm.tenantId, other.firm.tenantId]],
    );
    expect(rows[0].n).toBe(0);
  });

  it('removing a step unlinks its goals', async () => {
    const { firm, coach, client } = await coachingFirm(api);
    const path = await createPath(coach.accessToken, client.user.id);
    const goalId = await createGoal(coach.accessToken, client.user.id);
    await api.ok(LINK, { input: { goalId, stepId: path.steps[2].id } }, { token: coach.accessToken });
    await api.ok(REMOVE_STEP, { input: { id: path.steps[2].id, expectedVersion: 1 } }, { token: coach.accessToken });
    const [row] = await api.dataSource.query(`SELECT career_step_id, tenant_id FROM goals WHERE id = $1`, [goalId]);
    expect(row).toEqual({ career_step_id: null, tenant_id: firm.tenantId });
  });

  it('steps, standings and linked goals of a page of paths cost a bounded number of statements', async () => {
    const { coach, client } = await coachingFirm(api);
    const query = `query ($clientId: ID!) { careerPaths(clientId: $clientId, first: 50) { edges { node {
      steps { id goals { id careerStep { id } } } standing { stepsToGo estimatedYearsToTop } } } } }`;
    const count = async () => {
      const spy = jest.spyOn(Object.getPrototypeOf(api.dataSource.createQueryRunner()), 'query');
      try {
        await api.ok(query, { clientId: client.user.id }, { token: coach.accessToken });
        return spy.mock.calls.length;
      } finally {
        spy.mockRestore();
      }
    };
    const first = await createPath(coach.accessToken, client.user.id);
    await api.ok(LINK, { input: { goalId: await createGoal(coach.accessToken, client.user.id), stepId: first.steps[0].id } }, { token: coach.accessToken });
    const small = await count();

    await api.ok(ARCHIVE, { input: { id: first.id, expectedVersion: 1 } }, { token: coach.accessToken });
    const second = await createPath(coach.accessToken, client.user.id);
    for (const step of second.steps) {
      await api.ok(LINK, { input: { goalId: await createGoal(coach.accessToken, client.user.id), stepId: step.id } }, { token: coach.accessToken });
    }
    expect(await count()).toBe(small);
  });
});
