import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { ApiModule } from '#cairn-app/api';
import { addDays, todayIn } from '#cairn/shared/calendar';
import {
  addUser,
  coachingFirm,
  createApiKey,
  errorCode,
  type GqlResult,
  type Session,
  signUpFirm,
  testConfig,
} from '#cairn/shared/testing';
import { TestApi } from './support/index.js';

const TRAIT = 'id clientId kind name removedAt version';
const COMMON = `query ($kind: TraitKind!) { commonTraits(kind: $kind) }`;
const MINE = `query ($kind: TraitKind, $includeRemoved: Boolean) { myTraits(kind: $kind, includeRemoved: $includeRemoved) { ${TRAIT} } }`;
const CLIENT_TRAITS = `query ($id: ID!, $kind: TraitKind, $includeRemoved: Boolean) {
  client(id: $id) { id traits(kind: $kind, includeRemoved: $includeRemoved) { ${TRAIT} } } }`;
const ADD = `mutation ($input: AddMyTraitInput!) { addMyTrait(input: $input) { ${TRAIT} } }`;
const RENAME = `mutation ($input: RenameMyTraitInput!) { renameMyTrait(input: $input) { ${TRAIT} } }`;
const REMOVE = `mutation ($id: ID!) { removeMyTrait(id: $id) { ${TRAIT} } }`;

const GOAL = `id version status category proposedBy targetDate horizon
  why { values strengths linkedValues { id name removedAt } linkedStrengths { id name removedAt } }
  authenticity { authentic meetsPolicy summary checks { criterion met explanation required } }`;
const CREATE_GOAL = `mutation ($input: CreateGoalInput!) { createGoal(input: $input) { ${GOAL} } }`;
const UPDATE_GOAL = `mutation ($input: UpdateGoalInput!) { updateGoal(input: $input) { ${GOAL} } }`;
const GET_GOAL = `query ($id: ID!) { goal(id: $id) { ${GOAL} } }`;
const STATUS = `mutation ($input: ChangeGoalStatusInput!) { changeGoalStatus(input: $input) { id status version } }`;
const REVISIONS = `query ($id: ID!) { goal(id: $id) { revisions { version reason changes { field previousValue newValue } } } }`;
const SET_POLICY = `mutation ($c: [SmartCriterion!]!, $a: [AuthenticityCriterion!]) {
  updateGoalPolicy(requiredCriteria: $c, requiredAuthenticity: $a) { requiredCriteria requiredAuthenticity isDefault } }`;
const ADD_MEASURE = `mutation ($input: AddGoalMeasureInput!) { addGoalMeasure(input: $input) { goal { id version } measure { id } } }`;
const UPDATE_MEASURE = `mutation ($input: UpdateGoalMeasureInput!) { updateGoalMeasure(input: $input) { goal { id version } measure { id target } } }`;
const ACT_AS_CLIENT = `mutation ($clientId: ID!) { actAsClient(clientId: $clientId) { accessToken } }`;

interface Trait {
  id: string;
  clientId: string;
  kind: string;
  name: string;
  removedAt: string | null;
  version: number;
}
interface Check {
  criterion: string;
  met: boolean;
  explanation: string;
  required: boolean;
}
interface Goal {
  id: string;
  version: number;
  status: string;
  category: string;
  proposedBy: string;
  why: {
    values: string[];
    strengths: string[];
    linkedValues: { id: string; name: string; removedAt: string | null }[];
    linkedStrengths: { id: string; name: string; removedAt: string | null }[];
  };
  authenticity: { authentic: boolean; meetsPolicy: boolean; summary: string; checks: Check[] };
}

let api: TestApi;
beforeAll(async () => {
  api = await TestApi.start(ApiModule.forRoot(testConfig()));
});
afterAll(() => api.close());

const inDays = (n: number) => addDays(todayIn('Europe/London'), n);
const fieldsOf = (result: GqlResult) =>
  ((result.errors?.[0]?.extensions?.fields as { field: string }[] | undefined) ?? []).map((f) => f.field);
const check = (goal: Goal, criterion: string) => goal.authenticity.checks.find((c) => c.criterion === criterion)!;

const addTrait = async (token: string, kind: string, name: string) =>
  (await api.ok<{ addMyTrait: Trait }>(ADD, { input: { kind, name } }, { token })).addMyTrait;

const mine = async (token: string, vars: Record<string, unknown> = {}) =>
  (await api.ok<{ myTraits: Trait[] }>(MINE, vars, { token })).myTraits;

async function createGoal(token: string, input: Record<string, unknown>): Promise<Goal> {
  return (
    await api.ok<{ createGoal: Goal }>(
      CREATE_GOAL,
      { input: { horizon: 'MID_TERM', category: 'SKILL', title: 'Add a qualitative section to every sales report', ...input } },
      { token },
    )
  ).createGoal;
}

async function updateGoal(token: string, goal: Goal, input: Record<string, unknown>): Promise<Goal> {
  return (
    await api.ok<{ updateGoal: Goal }>(UPDATE_GOAL, { input: { id: goal.id, expectedVersion: goal.version, ...input } }, { token })
  ).updateGoal;
}

const getGoal = async (token: string, id: string) => (await api.ok<{ goal: Goal }>(GET_GOAL, { id }, { token })).goal;

async function actAs(firm: { admin: Session }, clientId: string, scopes: string[]): Promise<string> {
  const key = await createApiKey(api, firm as Parameters<typeof createApiKey>[1], ['CLIENTS_ACT', ...scopes]);
  return (await api.ok<{ actAsClient: { accessToken: string } }>(ACT_AS_CLIENT, { clientId }, { apiKey: key.secret }))
    .actAsClient.accessToken;
}

const FULL_WHY = {
  energizesWorkLife: 'I get to shape what leadership reads every quarter',
  fulfilsPersonally: 'I love explaining what the numbers mean',
  alignsWithValues: 'Ownership of my craft',
};

describe('the client’s profile of values and strengths', () => {
  it('offers common values and strengths to pick from', async () => {
    const { client } = await coachingFirm(api);
    const values = (await api.ok<{ commonTraits: string[] }>(COMMON, { kind: 'VALUE' }, { token: client.accessToken }))
      .commonTraits;
    const strengths = (
      await api.ok<{ commonTraits: string[] }>(COMMON, { kind: 'STRENGTH' }, { token: client.accessToken })
    ).commonTraits;
    expect(values).toContain('Growth');
    expect(strengths).toContain('Problem solving');
    expect(values).not.toEqual(strengths);
  });

  it('is written in the client’s own words, deduplicated ignoring case, and read by their coach and the admin', async () => {
    const { firm, coach, client } = await coachingFirm(api);
    const token = client.accessToken;
    const growth = await addTrait(token, 'VALUE', '  Growth  ');
    expect(growth).toMatchObject({ clientId: client.user.id, kind: 'VALUE', name: 'Growth', removedAt: null, version: 1 });
    // The same words again, in any case and spacing: the same entry (a repeated request changes nothing).
    expect(await addTrait(token, 'VALUE', 'GROWTH')).toEqual(growth);
    // The same name as a strength is another entry.
    const strengthGrowth = await addTrait(token, 'STRENGTH', 'growth');
    expect(strengthGrowth.id).not.toBe(growth.id);
    await addTrait(token, 'VALUE', 'Being   there for my family');

    expect((await mine(token, { kind: 'VALUE' })).map((t) => t.name)).toEqual(['Growth', 'Being there for my family']);
    expect((await mine(token)).map((t) => t.kind)).toEqual(['VALUE', 'STRENGTH', 'VALUE']);
    for (const reader of [coach.accessToken, firm.admin.accessToken]) {
      const read = await api.ok<{ client: { traits: Trait[] } }>(CLIENT_TRAITS, { id: client.user.id, kind: 'STRENGTH' }, { token: reader });
      expect(read.client.traits.map((t) => t.id)).toEqual([strengthGrowth.id]);
    }
  });

  it('renames and removes an entry; adding the name again restores the same entry', async () => {
    const { client } = await coachingFirm(api);
    const token = client.accessToken;
    const entry = await addTrait(token, 'VALUE', 'Growht');
    const renamed = (await api.ok<{ renameMyTrait: Trait }>(RENAME, { input: { id: entry.id, name: 'Growth' } }, { token }))
      .renameMyTrait;
    expect(renamed).toMatchObject({ id: entry.id, name: 'Growth', version: 2 });

    const removed = (await api.ok<{ removeMyTrait: Trait }>(REMOVE, { id: entry.id }, { token })).removeMyTrait;
    expect(removed.removedAt).not.toBeNull();
    // Removing twice changes nothing.
    expect((await api.ok<{ removeMyTrait: Trait }>(REMOVE, { id: entry.id }, { token })).removeMyTrait).toEqual(removed);
    expect(await mine(token)).toEqual([]);
    expect((await mine(token, { includeRemoved: true })).map((t) => t.id)).toEqual([entry.id]);

    const restored = await addTrait(token, 'VALUE', 'growth');
    expect(restored).toMatchObject({ id: entry.id, name: 'growth', removedAt: null });
  });

  it('two concurrent adds of one name make one entry', async () => {
    const { client } = await coachingFirm(api);
    const [a, b] = await Promise.all([
      addTrait(client.accessToken, 'STRENGTH', 'Public speaking'),
      addTrait(client.accessToken, 'STRENGTH', 'public SPEAKING'),
    ]);
    expect(a.id).toBe(b.id);
    expect(await mine(client.accessToken)).toHaveLength(1);
  });

  it('rejects bad names and a full profile, naming the field', async () => {
    const { client } = await coachingFirm(api);
    const token = client.accessToken;
    for (const name of ['', '   ', 'x'.repeat(81), 'tab\there', 'two\nlines', 'nul\u0000', 'bell\u0007']) {
      const result = await api.gql(ADD, { input: { kind: 'VALUE', name } }, { token });
      expect([name, errorCode(result)]).toEqual([name, 'BAD_USER_INPUT']);
      expect(fieldsOf(result)).toContain('name');
    }
    expect(await mine(token)).toEqual([]);

    for (let i = 1; i <= 20; i++) await addTrait(token, 'VALUE', `Value ${i}`);
    const full = await api.gql(ADD, { input: { kind: 'VALUE', name: 'One too many' } }, { token });
    expect(errorCode(full)).toBe('BAD_USER_INPUT');
    expect(fieldsOf(full)).toEqual(['kind']);
    // Strengths have their own room; a removed value frees one.
    await addTrait(token, 'STRENGTH', 'Writing');
    const [first] = await mine(token, { kind: 'VALUE' });
    await api.ok(REMOVE, { id: first.id }, { token });
    await addTrait(token, 'VALUE', 'One too many');

    const [second, third] = (await mine(token, { kind: 'VALUE' })).slice(0, 2);
    const clash = await api.gql(RENAME, { input: { id: second.id, name: third.name.toUpperCase() } }, { token });
    expect(errorCode(clash)).toBe('BAD_USER_INPUT');
    expect(fieldsOf(clash)).toEqual(['name']);
  });

  it('only the client writes it: coaches, admins and bare API keys are refused; actAsClient needs PROFILE_WRITE', async () => {
    const { firm, coach, client } = await coachingFirm(api);
    const input = { kind: 'VALUE', name: 'Growth' };
    for (const token of [coach.accessToken, firm.admin.accessToken]) {
      expect(errorCode(await api.gql(ADD, { input }, { token }))).toBe('FORBIDDEN');
      expect(errorCode(await api.gql(MINE, {}, { token }))).toBe('FORBIDDEN');
    }
    const key = await createApiKey(api, firm, ['PROFILE_WRITE', 'PROFILE_READ', 'CLIENTS_READ']);
    expect(errorCode(await api.gql(ADD, { input }, { apiKey: key.secret }))).toBe('FORBIDDEN');

    const readOnly = await actAs(firm, client.user.id, ['PROFILE_READ', 'GOALS_WRITE']);
    expect(errorCode(await api.gql(ADD, { input }, { token: readOnly }))).toBe('FORBIDDEN');
    expect(await mine(readOnly)).toEqual([]);

    const writer = await actAs(firm, client.user.id, ['PROFILE_WRITE', 'PROFILE_READ']);
    const added = (await api.ok<{ addMyTrait: Trait }>(ADD, { input }, { token: writer })).addMyTrait;
    expect(added.clientId).toBe(client.user.id);
    expect((await mine(client.accessToken)).map((t) => t.id)).toEqual([added.id]);
  });

  it('stays with its client: another client, another coach and another firm neither see nor change it', async () => {
    const { firm, otherCoach, client } = await coachingFirm(api);
    const growth = await addTrait(client.accessToken, 'VALUE', 'Growth');
    const neighbour = await addUser(api, firm, 'CLIENT');
    const other = await signUpFirm(api, 'Other Coaching');
    const stranger = await addUser(api, other, 'CLIENT');

    for (const token of [neighbour.accessToken, stranger.accessToken]) {
      expect(errorCode(await api.gql(RENAME, { input: { id: growth.id, name: 'Mine now' } }, { token }))).toBe('NOT_FOUND');
      expect(errorCode(await api.gql(REMOVE, { id: growth.id }, { token }))).toBe('NOT_FOUND');
      expect(await mine(token)).toEqual([]);
    }
    for (const token of [otherCoach.accessToken, other.admin.accessToken, neighbour.accessToken]) {
      expect(errorCode(await api.gql(CLIENT_TRAITS, { id: client.user.id }, { token }))).toBe('NOT_FOUND');
    }
    expect(await mine(client.accessToken)).toMatchObject([{ id: growth.id, name: 'Growth', removedAt: null }]);
  });
  it('is read-only while the client is archived', async () => {
    const { coach, client } = await coachingFirm(api);
    const growth = await addTrait(client.accessToken, 'VALUE', 'Growth');
    await api.ok(`mutation ($input: ArchiveClientInput!) { archiveClient(input: $input) { id } }`, { input: { id: client.user.id } }, { token: coach.accessToken });
    expect(errorCode(await api.gql(ADD, { input: { kind: 'VALUE', name: 'Family' } }, { token: client.accessToken }))).toBe('CONFLICT');
    expect(errorCode(await api.gql(REMOVE, { id: growth.id }, { token: client.accessToken }))).toBe('CONFLICT');
    const read = await api.ok<{ client: { traits: Trait[] } }>(CLIENT_TRAITS, { id: client.user.id }, { token: coach.accessToken });
    expect(read.client.traits).toMatchObject([{ id: growth.id, removedAt: null }]);
  });
});

describe('goals linked to the profile', () => {
  it('link values and strengths by id; a rename shows on the goal, the revision records the links', async () => {
    const { coach, client } = await coachingFirm(api);
    const growth = await addTrait(client.accessToken, 'VALUE', 'Growth');
    const family = await addTrait(client.accessToken, 'VALUE', 'Family');
    const writing = await addTrait(client.accessToken, 'STRENGTH', 'Writing');
    const goal = await createGoal(client.accessToken, {
      clientId: client.user.id,
      why: { valueIds: [growth.id, growth.id], strengthIds: [writing.id] },
    });
    expect(goal.why.linkedValues).toEqual([{ id: growth.id, name: 'Growth', removedAt: null }]);
    expect(goal.why.linkedStrengths).toEqual([{ id: writing.id, name: 'Writing', removedAt: null }]);

    const relinked = await updateGoal(coach.accessToken, goal, { why: { valueIds: [family.id, growth.id] } });
    expect(relinked.why.linkedValues.map((v) => v.name).sort()).toEqual(['Family', 'Growth']);
    expect(relinked.why.linkedStrengths).toHaveLength(1);
    // The same links again are no change: no new version.
    expect((await updateGoal(coach.accessToken, relinked, { why: { valueIds: [growth.id, family.id] } })).version).toBe(
      relinked.version,
    );

    await api.ok(RENAME, { input: { id: growth.id, name: 'Personal growth' } }, { token: client.accessToken });
    const read = await getGoal(coach.accessToken, goal.id);
    expect(read.why.linkedValues.map((v) => v.name).sort()).toEqual(['Family', 'Personal growth']);

    const revisions = (
      await api.ok<{ goal: { revisions: { version: number; changes: { field: string; previousValue: string | null; newValue: string | null }[] }[] } }>(
        REVISIONS,
        { id: goal.id },
        { token: coach.accessToken },
      )
    ).goal.revisions;
    const created = revisions.find((r) => r.version === 1)!;
    expect(created.changes).toEqual(
      expect.arrayContaining([
        { field: 'why.linkedValues', previousValue: null, newValue: JSON.stringify(['Growth']) },
        { field: 'why.linkedStrengths', previousValue: null, newValue: JSON.stringify(['Writing']) },
      ]),
    );
    expect(revisions.find((r) => r.version === 2)!.changes).toEqual([
      { field: 'why.linkedValues', previousValue: JSON.stringify(['Growth']), newValue: JSON.stringify(['Growth', 'Family']) },
    ]);
  });

  it('refuse ids that are not entries in use of the goal’s client, of that kind', async () => {
    const { firm, coach, client } = await coachingFirm(api);
    const growth = await addTrait(client.accessToken, 'VALUE', 'Growth');
    const gone = await addTrait(client.accessToken, 'VALUE', 'Gone');
    await api.ok(REMOVE, { id: gone.id }, { token: client.accessToken });
    const neighbour = await addUser(api, firm, 'CLIENT');
    const theirs = await addTrait(neighbour.accessToken, 'VALUE', 'Growth');
    const other = await signUpFirm(api, 'Other Coaching');
    const stranger = await addUser(api, other, 'CLIENT');
    const foreign = await addTrait(stranger.accessToken, 'VALUE', 'Growth');
    const goal = await createGoal(coach.accessToken, { clientId: client.user.id });

    const cases: [Record<string, unknown>, string][] = [
      [{ valueIds: [theirs.id] }, 'why.valueIds'],
      [{ valueIds: [foreign.id] }, 'why.valueIds'],
      [{ valueIds: [gone.id] }, 'why.valueIds'],
      [{ valueIds: [randomUUID()] }, 'why.valueIds'],
      [{ strengthIds: [growth.id] }, 'why.strengthIds'],
      [{ valueIds: ['not-an-id'] }, 'why.valueIds'],
      [{ valueIds: Array.from({ length: 21 }, () => randomUUID()) }, 'why.valueIds'],
    ];
    for (const [why, field] of cases) {
      const result = await api.gql(UPDATE_GOAL, { input: { id: goal.id, expectedVersion: goal.version, why } }, { token: coach.accessToken });
      expect([why, errorCode(result)]).toEqual([why, 'BAD_USER_INPUT']);
      expect(fieldsOf(result)).toEqual([field]);
    }
    expect((await getGoal(coach.accessToken, goal.id)).version).toBe(goal.version);
  });

  it('a value removed from the profile stays linked but no longer counts; adding it back counts again', async () => {
    const { coach, client } = await coachingFirm(api);
    const growth = await addTrait(client.accessToken, 'VALUE', 'Growth');
    const goal = await createGoal(coach.accessToken, { clientId: client.user.id, why: { valueIds: [growth.id] } });
    expect(check(goal, 'VALUES_IN_PROFILE')).toMatchObject({ met: true, explanation: expect.stringContaining('"Growth"') });

    await api.ok(REMOVE, { id: growth.id }, { token: client.accessToken });
    const after = await getGoal(coach.accessToken, goal.id);
    expect(after.why.linkedValues).toEqual([{ id: growth.id, name: 'Growth', removedAt: expect.any(String) }]);
    expect(check(after, 'VALUES_IN_PROFILE').met).toBe(false);
    expect(check(after, 'VALUES_IN_PROFILE').explanation).toContain('"Growth" was removed from the client’s profile');

    await addTrait(client.accessToken, 'VALUE', 'growth');
    expect(check(await getGoal(coach.accessToken, goal.id), 'VALUES_IN_PROFILE').met).toBe(true);
  });
});

describe('the authenticity check', () => {
  it('reads the why’s three answers, profile values and strengths, free-text names as the profile spells them', async () => {
    const { coach, client } = await coachingFirm(api);
    const goal = await createGoal(client.accessToken, {
      clientId: client.user.id,
      why: { energizesWorkLife: 'More impact', values: ['growth'], strengths: ['Writing'] },
    });
    expect(goal.authenticity.authentic).toBe(false);
    expect(check(goal, 'WHY_ANSWERED')).toMatchObject({ met: false, required: false });
    expect(check(goal, 'WHY_ANSWERED').explanation).toContain('why.fulfilsPersonally');
    expect(check(goal, 'WHY_ANSWERED').explanation).not.toContain('why.energizesWorkLife');
    expect(check(goal, 'VALUES_IN_PROFILE').explanation).toContain('no values in their profile yet');
    expect(check(goal, 'VALUES_IN_PROFILE').explanation).toContain('"growth" is not in the client’s profile');
    expect(check(goal, 'OWN_DESIRE')).toMatchObject({ met: true });

    // The free-text names count once the profile has them, whatever the case.
    await addTrait(client.accessToken, 'VALUE', 'Growth');
    await addTrait(client.accessToken, 'STRENGTH', 'writing');
    const later = await updateGoal(coach.accessToken, goal, { why: FULL_WHY });
    expect(later.authenticity.checks.map((c) => [c.criterion, c.met])).toEqual([
      ['WHY_ANSWERED', true],
      ['VALUES_IN_PROFILE', true],
      ['USES_STRENGTH', true],
      ['OWN_DESIRE', true],
    ]);
    expect(later.authenticity).toMatchObject({ authentic: true, meetsPolicy: true });
    expect(later.authenticity.summary).toMatch(/^Authentic/);
  });

  it('a coach-proposed goal is the client’s own desire only once the client writes its why', async () => {
    const { firm, coach, client } = await coachingFirm(api);
    const proposed = await createGoal(coach.accessToken, { clientId: client.user.id, why: FULL_WHY });
    expect(proposed.proposedBy).toBe('COACH');
    expect(check(proposed, 'OWN_DESIRE')).toMatchObject({ met: false, explanation: expect.stringContaining('Proposed by COACH') });

    // The coach marking it as the client's idea is not the client's word.
    const relabelled = await updateGoal(coach.accessToken, proposed, { proposedBy: 'CLIENT' });
    expect(check(relabelled, 'OWN_DESIRE')).toMatchObject({ met: false, explanation: expect.stringContaining('Marked as the client’s idea') });

    // The coach rewording the why is not either.
    const reworded = await updateGoal(coach.accessToken, relabelled, { why: { motivation: 'Coach’s words' } });
    expect(check(reworded, 'OWN_DESIRE').met).toBe(false);

    // The client (here through a partner frontend acting as them) writing the why is.
    const asClient = await actAs(firm, client.user.id, ['GOALS_WRITE', 'GOALS_READ']);
    const owned = await updateGoal(asClient, reworded, { why: { fulfilsPersonally: 'I love explaining numbers' } });
    expect(check(owned, 'OWN_DESIRE')).toMatchObject({ met: true, explanation: 'The client wrote its why in their own words.' });

    const byClient = await createGoal(client.accessToken, { clientId: client.user.id });
    expect(check(byClient, 'OWN_DESIRE')).toMatchObject({ met: true, explanation: 'The client put the goal forward themself.' });
    // A client recording their coach's idea says so, and owns it once they write its why.
    const coachIdea = await createGoal(client.accessToken, { clientId: client.user.id, proposedBy: 'COACH' });
    expect(check(coachIdea, 'OWN_DESIRE').met).toBe(false);
  });

  it('is only for whoever sees the goal', async () => {
    const { coach, otherCoach, client } = await coachingFirm(api);
    const goal = await createGoal(coach.accessToken, { clientId: client.user.id });
    const other = await signUpFirm(api, 'Other Coaching');
    for (const token of [otherCoach.accessToken, other.admin.accessToken]) {
      expect(errorCode(await api.gql(GET_GOAL, { id: goal.id }, { token }))).toBe('NOT_FOUND');
    }
  });
});

describe('the firm’s authenticity policy', () => {
  it('only admins set it; unknown criteria are refused; omitted keeps it', async () => {
    const { firm, coach, client } = await coachingFirm(api);
    for (const token of [coach.accessToken, client.accessToken]) {
      expect(errorCode(await api.gql(SET_POLICY, { c: [], a: ['OWN_DESIRE'] }, { token }))).toBe('FORBIDDEN');
    }
    const bad = await api.gql(SET_POLICY, { c: [], a: ['OWN_DESIRE', 'NOT_ONE'] }, { token: firm.admin.accessToken });
    expect(errorCode(bad)).toBe('BAD_USER_INPUT');
    const set = await api.ok<{ updateGoalPolicy: Record<string, unknown> }>(
      SET_POLICY,
      { c: ['SPECIFIC'], a: ['USES_STRENGTH', 'OWN_DESIRE', 'OWN_DESIRE'] },
      { token: firm.admin.accessToken },
    );
    expect(set.updateGoalPolicy).toEqual({ requiredCriteria: ['SPECIFIC'], requiredAuthenticity: ['USES_STRENGTH', 'OWN_DESIRE'], isDefault: false });
    const kept = await api.ok<{ updateGoalPolicy: Record<string, unknown> }>(SET_POLICY, { c: [] }, { token: firm.admin.accessToken });
    expect(kept.updateGoalPolicy).toMatchObject({ requiredCriteria: [], requiredAuthenticity: ['USES_STRENGTH', 'OWN_DESIRE'] });
    // Another firm's policy is its own.
    const other = await signUpFirm(api, 'Other Coaching');
    const theirs = await api.ok<{ goalPolicy: { requiredAuthenticity: string[] } }>(
      `{ goalPolicy { requiredAuthenticity } }`,
      {},
      { token: other.admin.accessToken },
    );
    expect(theirs.goalPolicy.requiredAuthenticity).toEqual([]);
  });

  it('blocks ACTIVE while a required criterion is unmet, naming it; goals already ACTIVE stay', async () => {
    const { firm, coach, client } = await coachingFirm(api);
    await api.ok(SET_POLICY, { c: [], a: [] }, { token: firm.admin.accessToken });
    const early = await createGoal(coach.accessToken, { clientId: client.user.id });
    const activeEarly = (await api.ok<{ changeGoalStatus: { version: number; status: string } }>(
      STATUS,
      { input: { id: early.id, expectedVersion: early.version, status: 'ACTIVE' } },
      { token: coach.accessToken },
    )).changeGoalStatus;
    expect(activeEarly.status).toBe('ACTIVE');

    await api.ok(SET_POLICY, { c: [], a: ['WHY_ANSWERED', 'OWN_DESIRE'] }, { token: firm.admin.accessToken });
    const goal = await createGoal(coach.accessToken, { clientId: client.user.id });
    expect(check(goal, 'OWN_DESIRE').required).toBe(true);
    expect(check(goal, 'USES_STRENGTH').required).toBe(false);
    expect(goal.authenticity.meetsPolicy).toBe(false);
    const refused = await api.gql(STATUS, { input: { id: goal.id, expectedVersion: goal.version, status: 'ACTIVE' } }, { token: coach.accessToken });
    expect(errorCode(refused)).toBe('BAD_USER_INPUT');
    expect(fieldsOf(refused)).toEqual(['status']);
    const ext = refused.errors![0].extensions!;
    expect(ext.unmetCriteria).toEqual([]);
    expect((ext.unmetAuthenticity as { criterion: string }[]).map((u) => u.criterion)).toEqual(['WHY_ANSWERED', 'OWN_DESIRE']);
    expect(refused.errors![0].message).toContain('authenticity WHY_ANSWERED, authenticity OWN_DESIRE');

    // The early goal is not demoted, and still reads as not meeting the policy now.
    const stillActive = await getGoal(coach.accessToken, early.id);
    expect(stillActive).toMatchObject({ status: 'ACTIVE' });
    expect(stillActive.authenticity.meetsPolicy).toBe(false);

    const owned = await updateGoal(client.accessToken, goal, { why: FULL_WHY });
    expect(owned.authenticity.meetsPolicy).toBe(true);
    const active = await api.ok<{ changeGoalStatus: { status: string } }>(
      STATUS,
      { input: { id: goal.id, expectedVersion: owned.version, status: 'ACTIVE' } },
      { token: coach.accessToken },
    );
    expect(active.changeGoalStatus.status).toBe('ACTIVE');
  });

  it('lists SMART and authenticity failures together', async () => {
    const { firm, coach, client } = await coachingFirm(api);
    await api.ok(SET_POLICY, { c: ['MEASURABLE'], a: ['VALUES_IN_PROFILE'] }, { token: firm.admin.accessToken });
    const goal = await createGoal(coach.accessToken, { clientId: client.user.id });
    const refused = await api.gql(STATUS, { input: { id: goal.id, expectedVersion: goal.version, status: 'ACTIVE' } }, { token: coach.accessToken });
    const ext = refused.errors![0].extensions!;
    expect((ext.unmetCriteria as { criterion: string }[]).map((u) => u.criterion)).toEqual(['MEASURABLE']);
    expect((ext.unmetAuthenticity as { criterion: string }[]).map((u) => u.criterion)).toEqual(['VALUES_IN_PROFILE']);
  });
});

describe('revisions of a commitment need a reason', () => {
  it('changing a set target date or the horizon without a reason fails on `reason`; with one it is kept', async () => {
    const { coach, client } = await coachingFirm(api);
    const token = coach.accessToken;
    const goal = await createGoal(token, { clientId: client.user.id });
    // Setting a target date the goal did not have is no change of commitment.
    const dated = await updateGoal(token, goal, { targetDate: inDays(90) });

    for (const change of [{ targetDate: inDays(120) }, { targetDate: null }, { horizon: 'LONG_TERM' }, { targetDate: inDays(120), reason: '   ' }]) {
      const result = await api.gql(UPDATE_GOAL, { input: { id: goal.id, expectedVersion: dated.version, ...change } }, { token });
      expect([change, errorCode(result)]).toEqual([change, 'BAD_USER_INPUT']);
      expect(fieldsOf(result)).toEqual(['reason']);
    }
    expect((await getGoal(token, goal.id)).version).toBe(dated.version);
    // Other fields need none.
    const retitled = await updateGoal(token, dated, { title: 'Add a qualitative section to every quarterly report' });
    const moved = await updateGoal(token, retitled, { targetDate: inDays(120), reason: 'The quarter moved' });
    const revisions = (await api.ok<{ goal: { revisions: { version: number; reason: string | null }[] } }>(REVISIONS, { id: goal.id }, { token }))
      .goal.revisions;
    expect(revisions.find((r) => r.version === moved.version)!.reason).toBe('The quarter moved');
  });

  it('changing a measure’s target needs a reason too', async () => {
    const { coach, client } = await coachingFirm(api);
    const token = coach.accessToken;
    const goal = await createGoal(token, { clientId: client.user.id });
    const added = (
      await api.ok<{ addGoalMeasure: { goal: { version: number }; measure: { id: string } } }>(
        ADD_MEASURE,
        { input: { goalId: goal.id, expectedVersion: goal.version, kind: 'NUMERIC', title: 'Reports', baseline: 0, target: 4 } },
        { token },
      )
    ).addGoalMeasure;
    const input = { measureId: added.measure.id, expectedVersion: added.goal.version, target: 6 };
    const refused = await api.gql(UPDATE_MEASURE, { input }, { token });
    expect(errorCode(refused)).toBe('BAD_USER_INPUT');
    expect(fieldsOf(refused)).toEqual(['reason']);
    const retitled = await api.ok<{ updateGoalMeasure: { goal: { version: number } } }>(
      UPDATE_MEASURE,
      { input: { measureId: added.measure.id, expectedVersion: added.goal.version, title: 'Quarterly reports' } },
      { token },
    );
    const changed = await api.ok<{ updateGoalMeasure: { measure: { target: number } } }>(
      UPDATE_MEASURE,
      { input: { ...input, expectedVersion: retitled.updateGoalMeasure.goal.version, reason: 'Two more quarters' } },
      { token },
    );
    expect(changed.updateGoalMeasure.measure.target).toBe(6);
  });
});

describe('STRENGTH', () => {
  it('is a development category that becomes a STRENGTH goal, and a goal category', async () => {
    const { coach, client } = await coachingFirm(api);
    const item = await api.ok<{ addDevelopmentItem: { id: string; version: number; category: string } }>(
      `mutation ($input: AddDevelopmentItemInput!) { addDevelopmentItem(input: $input) { id version category } }`,
      {
        input: {
          clientId: client.user.id,
          category: 'STRENGTH',
          source: 'MENTOR',
          title: 'Use my writing in client proposals',
          valueScore: 4,
          motivationScore: 5,
        },
      },
      { token: coach.accessToken },
    );
    expect(item.addDevelopmentItem.category).toBe('STRENGTH');
    const converted = await api.ok<{ convertDevelopmentItemToGoal: { goal: { category: string } } }>(
      `mutation ($input: ConvertDevelopmentItemToGoalInput!) { convertDevelopmentItemToGoal(input: $input) { goal { category } } }`,
      { input: { itemId: item.addDevelopmentItem.id, expectedVersion: item.addDevelopmentItem.version, horizon: 'IMMEDIATE' } },
      { token: coach.accessToken },
    );
    expect(converted.convertDevelopmentItemToGoal.goal.category).toBe('STRENGTH');
    expect((await createGoal(coach.accessToken, { clientId: client.user.id, category: 'STRENGTH' })).category).toBe('STRENGTH');
  });
});
