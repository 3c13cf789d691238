import { traitKey as key } from '#cairn/clients';
import { GoalProposer } from '../goals/goal.enums.js';
import { ALL_AUTHENTICITY_CRITERIA, AuthenticityCriterion } from './authenticity-criterion.enum.js';

export type TraitKindName = 'VALUE' | 'STRENGTH';

export interface TraitFact {
  kind: TraitKindName;
  name: string;
  /** The client took it out of their profile. */
  removed: boolean;
}

/** What the assessment looks at; everything else about a goal is irrelevant to it. */
export interface AuthenticityFacts {
  energizesWorkLife: string | null;
  fulfilsPersonally: string | null;
  alignsWithValues: string | null;
  /** Profile entries the goal links to (by id). */
  linked: TraitFact[];
  /** The goal's free-text why.values and why.strengths. */
  namedValues: string[];
  namedStrengths: string[];
  /** The client's profile as it is now (entries in use). */
  profile: TraitFact[];
  proposedBy: GoalProposer;
  /** The client (their own login, or a token acting as them) created the goal. */
  clientCreated: boolean;
  /** The client themself changed proposedBy. */
  clientSetProposer: boolean;
  /** The client themself wrote or changed part of the why. */
  clientWroteWhy: boolean;
}

export interface AuthenticityResult {
  criterion: AuthenticityCriterion;
  met: boolean;
  /** Why it is met, or what is missing and what to do. */
  explanation: string;
  required: boolean;
}

const filled = (value: string | null) => Boolean(value && value.trim());
const quoted = (names: readonly string[]) => names.map((n) => `"${n}"`).join(', ');

const WORDS: Record<TraitKindName, { one: string; many: string; field: string; named: string }> = {
  VALUE: { one: 'value', many: 'values', field: 'why.valueIds', named: 'why.values' },
  STRENGTH: { one: 'strength', many: 'strengths', field: 'why.strengthIds', named: 'why.strengths' },
};

function whyAnswered(facts: AuthenticityFacts): { met: boolean; explanation: string } {
  const missing = [
    !filled(facts.energizesWorkLife) && 'how will it energize your work life? (why.energizesWorkLife)',
    !filled(facts.fulfilsPersonally) && 'how will it fulfil you personally? (why.fulfilsPersonally)',
    !filled(facts.alignsWithValues) && 'how does it align with your values? (why.alignsWithValues)',
  ].filter((m): m is string => Boolean(m));
  return missing.length === 0
    ? { met: true, explanation: 'The why answers all three questions.' }
    : { met: false, explanation: `The why does not yet answer: ${missing.join('; ')}.` };
}

/**
 * Whether the goal rests on a profile entry of `kind`: linked by id and still in the profile, or named in the
 * free-text list exactly as a profile entry is (ignoring case and spacing).
 */
function fromProfile(facts: AuthenticityFacts, kind: TraitKindName): { met: boolean; explanation: string } {
  const words = WORDS[kind];
  const inProfile = facts.profile.filter((t) => t.kind === kind && !t.removed);
  const linked = facts.linked.filter((t) => t.kind === kind);
  const linkedInUse = linked.filter((t) => !t.removed).map((t) => t.name);
  const profileKeys = new Map(inProfile.map((t) => [key(t.name), t.name]));
  const named = kind === 'VALUE' ? facts.namedValues : facts.namedStrengths;
  const namedInProfile = named.map((n) => profileKeys.get(key(n))).filter((n): n is string => Boolean(n));
  const serving = [...new Set([...linkedInUse, ...namedInProfile])];
  if (serving.length > 0)
    return { met: true, explanation: `Builds on the client’s ${serving.length === 1 ? words.one : words.many} ${quoted(serving)}.` };

  const removed = linked.filter((t) => t.removed).map((t) => t.name);
  const notes: string[] = [];
  if (removed.length > 0) notes.push(`${quoted(removed)} ${removed.length === 1 ? 'was' : 'were'} removed from the client’s profile`);
  const strangers = named.filter((n) => !profileKeys.has(key(n)));
  if (strangers.length > 0) notes.push(`${quoted(strangers)} ${strangers.length === 1 ? 'is' : 'are'} not in the client’s profile`);
  const todo =
    inProfile.length === 0
      ? `The client has no ${words.many} in their profile yet: they add their own (addMyTrait), then link one here (${words.field}).`
      : `Link one of the client’s ${words.many} (${words.field}): ${quoted(inProfile.map((t) => t.name))}.`;
  return { met: false, explanation: notes.length > 0 ? `${capitalise(notes.join('; '))}. ${todo}` : todo };
}

function ownDesire(facts: AuthenticityFacts): { met: boolean; explanation: string } {
  if (facts.proposedBy === GoalProposer.CLIENT && (facts.clientCreated || facts.clientSetProposer))
    return { met: true, explanation: 'The client put the goal forward themself.' };
  if (facts.clientWroteWhy)
    return {
      met: true,
      explanation:
        facts.proposedBy === GoalProposer.CLIENT
          ? 'The client wrote its why in their own words.'
          : `Proposed by ${facts.proposedBy}, and the client made it their own by writing its why.`,
    };
  return {
    met: false,
    explanation:
      facts.proposedBy === GoalProposer.CLIENT
        ? 'Marked as the client’s idea, but only others have shaped it: the client confirms it by writing its why in their own words.'
        : `Proposed by ${facts.proposedBy}, and only others have shaped it: the client makes it their own by writing its why in their own words.`,
  };
}

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

function check(criterion: AuthenticityCriterion, facts: AuthenticityFacts) {
  switch (criterion) {
    case AuthenticityCriterion.WHY_ANSWERED:
      return whyAnswered(facts);
    case AuthenticityCriterion.VALUES_IN_PROFILE:
      return fromProfile(facts, 'VALUE');
    case AuthenticityCriterion.USES_STRENGTH:
      return fromProfile(facts, 'STRENGTH');
    case AuthenticityCriterion.OWN_DESIRE:
      return ownDesire(facts);
  }
}

/** Every criterion, in the enum's order; `required` from the firm's policy. */
export function assessAuthenticity(
  facts: AuthenticityFacts,
  required: readonly AuthenticityCriterion[],
): AuthenticityResult[] {
  return ALL_AUTHENTICITY_CRITERIA.map((criterion) => ({
    criterion,
    ...check(criterion, facts),
    required: required.includes(criterion),
  }));
}

/** One line for the whole check. */
export function summarise(results: readonly AuthenticityResult[]): string {
  const unmet = results.filter((r) => !r.met).map((r) => r.criterion);
  return unmet.length === 0
    ? 'Authentic: the goal is the client’s own and rests on their values and strengths.'
    : `Not yet authentic: ${unmet.join(', ')} unmet.`;
}
