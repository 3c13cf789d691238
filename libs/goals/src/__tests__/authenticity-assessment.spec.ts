import { describe, expect, it } from '@jest/globals';
import { fc, test } from '@fast-check/jest';
import {
  assessAuthenticity,
  type AuthenticityFacts,
  summarise,
  type TraitFact,
} from '../authenticity/authenticity-assessment.js';
import { ALL_AUTHENTICITY_CRITERIA, AuthenticityCriterion } from '../authenticity/authenticity-criterion.enum.js';
import { GoalProposer } from '../goals/goal.enums.js';

const value = (name: string, removed = false): TraitFact => ({ kind: 'VALUE', name, removed });
const strength = (name: string, removed = false): TraitFact => ({ kind: 'STRENGTH', name, removed });

const authentic: AuthenticityFacts = {
  energizesWorkLife: 'More impact on what leadership reads',
  fulfilsPersonally: 'I love explaining numbers',
  alignsWithValues: 'Ownership of my craft',
  linked: [value('Growth'), strength('Writing')],
  namedValues: [],
  namedStrengths: [],
  profile: [value('Growth'), value('Family'), strength('Writing')],
  proposedBy: GoalProposer.CLIENT,
  clientCreated: true,
  clientSetProposer: false,
  clientWroteWhy: false,
};

const result = (facts: Partial<AuthenticityFacts>, criterion: AuthenticityCriterion, required: AuthenticityCriterion[] = []) =>
  assessAuthenticity({ ...authentic, ...facts }, required).find((r) => r.criterion === criterion)!;

describe('the authenticity assessment', () => {
  it('meets every criterion for a goal the client put forward, with a full why, a linked value and strength', () => {
    const results = assessAuthenticity(authentic, [AuthenticityCriterion.OWN_DESIRE]);
    expect(results.map((r) => [r.criterion, r.met, r.required])).toEqual([
      ['WHY_ANSWERED', true, false],
      ['VALUES_IN_PROFILE', true, false],
      ['USES_STRENGTH', true, false],
      ['OWN_DESIRE', true, true],
    ]);
    expect(results.find((r) => r.criterion === 'VALUES_IN_PROFILE')!.explanation).toBe('Builds on the client’s value "Growth".');
    expect(summarise(results)).toMatch(/^Authentic/);
  });

  it('names each unanswered question of the why; blank answers do not count', () => {
    const r = result({ energizesWorkLife: '   ', alignsWithValues: null }, AuthenticityCriterion.WHY_ANSWERED);
    expect(r.met).toBe(false);
    expect(r.explanation).toContain('why.energizesWorkLife');
    expect(r.explanation).toContain('why.alignsWithValues');
    expect(r.explanation).not.toContain('why.fulfilsPersonally');
  });

  it('counts a linked value only while it is in the profile, and says when it was removed', () => {
    const r = result({ linked: [value('Growth', true), strength('Writing')] }, AuthenticityCriterion.VALUES_IN_PROFILE);
    expect(r.met).toBe(false);
    expect(r.explanation).toBe(
      '"Growth" was removed from the client’s profile. Link one of the client’s values (why.valueIds): "Growth", "Family".',
    );
  });

  it('counts free-text names that the profile has, ignoring case and spacing, and points out the others', () => {
    const named = { linked: [], namedValues: ['  family ', 'Courage'], namedStrengths: ['Public speaking'] };
    expect(result(named, AuthenticityCriterion.VALUES_IN_PROFILE)).toMatchObject({
      met: true,
      explanation: 'Builds on the client’s value "Family".',
    });
    const strengthCheck = result(named, AuthenticityCriterion.USES_STRENGTH);
    expect(strengthCheck.met).toBe(false);
    expect(strengthCheck.explanation).toContain('"Public speaking" is not in the client’s profile');
    expect(strengthCheck.explanation).toContain('why.strengthIds');
  });

  it('tells a client with an empty profile to add their own first', () => {
    const r = result({ profile: [], linked: [] }, AuthenticityCriterion.USES_STRENGTH);
    expect(r.explanation).toBe(
      'The client has no strengths in their profile yet: they add their own (addMyTrait), then link one here (why.strengthIds).',
    );
  });

  it.each([
    // proposedBy, created by client, client set proposer, client wrote why → met
    [GoalProposer.CLIENT, true, false, false, true],
    [GoalProposer.CLIENT, false, true, false, true],
    [GoalProposer.CLIENT, false, false, false, false],
    [GoalProposer.CLIENT, false, false, true, true],
    [GoalProposer.COACH, true, false, false, false],
    [GoalProposer.COACH, false, false, true, true],
    [GoalProposer.MANAGER, false, true, false, false],
  ])('own desire: proposed by %s, client created %s, set proposer %s, wrote why %s → %s', (proposedBy, clientCreated, clientSetProposer, clientWroteWhy, met) => {
    expect(result({ proposedBy, clientCreated, clientSetProposer, clientWroteWhy }, AuthenticityCriterion.OWN_DESIRE).met).toBe(met);
  });

  const traits = fc.array(
    fc.record({ kind: fc.constantFrom<'VALUE' | 'STRENGTH'>('VALUE', 'STRENGTH'), name: fc.string({ minLength: 1, maxLength: 12 }), removed: fc.boolean() }),
    { maxLength: 6 },
  );
  const facts = fc.record<AuthenticityFacts>({
    energizesWorkLife: fc.option(fc.string({ maxLength: 5 })),
    fulfilsPersonally: fc.option(fc.string({ maxLength: 5 })),
    alignsWithValues: fc.option(fc.string({ maxLength: 5 })),
    linked: traits,
    namedValues: fc.array(fc.string({ maxLength: 12 }), { maxLength: 4 }),
    namedStrengths: fc.array(fc.string({ maxLength: 12 }), { maxLength: 4 }),
    profile: traits,
    proposedBy: fc.constantFrom(...Object.values(GoalProposer)),
    clientCreated: fc.boolean(),
    clientSetProposer: fc.boolean(),
    clientWroteWhy: fc.boolean(),
  });

  test.prop([facts, fc.subarray(ALL_AUTHENTICITY_CRITERIA)])(
    'always answers every criterion once, in order, with an explanation, required as the policy says',
    (f, required) => {
      const results = assessAuthenticity(f, required);
      expect(results.map((r) => r.criterion)).toEqual(ALL_AUTHENTICITY_CRITERIA);
      for (const r of results) {
        expect(r.explanation.length).toBeGreaterThan(0);
        expect(r.required).toBe(required.includes(r.criterion));
      }
      // A value can only count when some entry in use (linked, or in the profile) is a VALUE.
      const values = results.find((r) => r.criterion === AuthenticityCriterion.VALUES_IN_PROFILE)!;
      if (values.met) expect([...f.linked, ...f.profile].some((t) => t.kind === 'VALUE' && !t.removed)).toBe(true);
      expect(summarise(results).startsWith('Authentic')).toBe(results.every((r) => r.met));
    },
  );
});
