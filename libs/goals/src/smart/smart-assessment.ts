import { ChallengeLevel, GoalProposer } from '../goals/goal.enums.js';
import { ALL_CRITERIA, SmartCriterion } from './smart-criterion.enum.js';

/** What the assessment looks at; everything else about a goal is irrelevant to it. */
export interface SmartFacts {
  title: string;
  activeMeasureCount: number;
  attainabilityNotes: string | null;
  skillsGap: string | null;
  challengeLevel: ChallengeLevel | null;
  /** Motivation statement or any of the three why answers. */
  hasWhy: boolean;
  linkedValueCount: number;
  targetDate: string | null;
  parentTargetDate: string | null;
  /** Latest target date among the goal's children that are not ABANDONED. */
  latestChildTargetDate: string | null;
  proposedBy: GoalProposer;
}

export interface SmartResult {
  criterion: SmartCriterion;
  met: boolean;
  /** Why it is not met and what to do; null when met. */
  hint: string | null;
  required: boolean;
}

// Openings that announce an aim without saying what will be different ("improve", "work on"…). Longest first,
// so "get better at" wins over "get better".
// prettier-ignore
const VAGUE_LEADS = [
  'become better at', 'get better at', 'learn more about', 'be better at', 'become more', 'get better',
  'be better', 'be more', 'be less', 'do better', 'work on', 'try to', 'focus on', 'improve', 'enhance',
  'develop', 'grow',
];

// prettier-ignore
const FILLER_OPENINGS = [
  'i want to', 'i would like to', "i'd like to", 'i will', "i'll", 'i need to', 'i should', 'to',
];

// Words that carry no concrete outcome by themselves: articles, possessives, plain verbs, negations and the
// blanket nouns of vague goals ("my management skills", "my performance").
// prettier-ignore
const EMPTY_WORDS = new Set([
  'a', 'an', 'the', 'my', 'our', 'your', 'his', 'her', 'their', 'me', 'i', 'at', 'in', 'on', 'of', 'for',
  'to', 'and', 'or', 'with', 'about', 'as', 'be', 'become', 'get', 'do', 'have', 'make', 'more', 'less',
  'better', 'good', 'great', 'best', 'really', 'very', 'much', 'some', 'things', 'thing', 'stuff', 'it',
  'them', 'everything', 'myself', 'self', 'skills', 'skill', 'abilities', 'ability', 'performance',
  'general', 'overall', 'work', 'job', 'career', 'life', 'management', 'communication', 'leadership',
  'confidence', 'confident', 'productive', 'productivity', 'organized', 'organised', 'efficient',
  'successful', 'success', 'happy', 'happier',
  // Negations say what to stop, not what will be achieved (POSITIVE_PHRASING flags them separately).
  'stop', 'never', 'quit', 'avoid', 'not', "don't", 'dont', 'no', 'longer', 'being', 'so',
]);

// prettier-ignore
const NUMBER_WORDS = new Set([
  'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve',
  'twenty', 'fifty', 'hundred', 'once', 'twice', 'dozen', 'first', 'second', 'third', 'every', 'each',
  'daily', 'weekly', 'monthly', 'quarterly', 'yearly', 'annual', 'annually',
]);

const NEGATIVE_PHRASES =
  /\b(stop|stopping|don'?t|do not|never|quit|quitting|avoid|avoiding|no longer|won'?t|cease)\b/;

const normalise = (text: string) => text.toLowerCase().replace(/[’‘`]/g, "'").replace(/\s+/g, ' ').trim();

const words = (text: string) => text.split(/[^a-z0-9%']+/).filter((w) => w.length > 0);

function stripFiller(text: string): string {
  for (const opening of FILLER_OPENINGS) {
    if (text.startsWith(`${opening} `)) return text.slice(opening.length + 1);
  }
  return text;
}

export interface Specificity {
  specific: boolean;
  /** The vague opening found, if any. */
  vagueLead: string | null;
}

/**
 * The "specific" heuristic, documented for coaches:
 * 1. Leading filler ("I want to", "I will", "to") is ignored.
 * 2. Content words are the words that remain after dropping articles, possessives, plain verbs ("be", "get",
 *    "have"), negations ("stop", "never", "avoid"…) and blanket nouns ("skills", "performance", "management",
 *    "communication", "leadership"…).
 * 3. A quantity is a digit, "%" or a number/frequency word ("three", "twice", "weekly", "every"…).
 * 4. A title is specific when it has at least two content words, or one content word and a quantity. If it opens
 *    with a vague lead ("improve", "get better at", "work on", "be more", "try to", "develop"…), the lead itself
 *    does not count, so what follows must name a concrete object or quantity.
 * So "Become Chief Sales Officer" and "Improve my sales report writing" are specific; "Improve my management
 * skills", "Be more confident" and "Get better at work" are not.
 */
export function assessSpecificity(title: string): Specificity {
  const text = stripFiller(normalise(title));
  const vagueLead = VAGUE_LEADS.find((lead) => text === lead || text.startsWith(`${lead} `)) ?? null;
  const rest = vagueLead ? text.slice(vagueLead.length) : text;
  const tokens = words(rest);
  const hasQuantity = tokens.some((w) => /\d|%/.test(w) || NUMBER_WORDS.has(w));
  const content = tokens.filter((w) => !EMPTY_WORDS.has(w) && !NUMBER_WORDS.has(w) && !/^\d+%?$/.test(w));
  const specific = content.length >= 2 || (content.length >= 1 && hasQuantity);
  return { specific, vagueLead };
}

/** The first negative phrase in the title ("stop", "never"…), for the positive-phrasing tip. */
export function negativePhrase(title: string): string | null {
  return NEGATIVE_PHRASES.exec(normalise(title))?.[1] ?? null;
}

const filled = (value: string | null | undefined) => Boolean(value && value.trim().length > 0);

function check(criterion: SmartCriterion, facts: SmartFacts): { met: boolean; hint: string | null } {
  switch (criterion) {
    case SmartCriterion.SPECIFIC: {
      const { specific, vagueLead } = assessSpecificity(facts.title);
      if (specific) return { met: true, hint: null };
      const opening = vagueLead
        ? `"${vagueLead}" without a concrete object or quantity is vague. `
        : 'The title does not name a concrete outcome. ';
      return {
        met: false,
        hint: `${opening}Say exactly what will be different, e.g. "Add a qualitative section to every quarterly sales report" rather than "Improve my reports".`,
      };
    }
    case SmartCriterion.MEASURABLE:
      return facts.activeMeasureCount > 0
        ? { met: true, hint: null }
        : {
            met: false,
            hint: 'Add at least one measure of success: a milestone, a numeric target, a count within a period or a percentage.',
          };
    case SmartCriterion.ATTAINABLE: {
      const missing: string[] = [];
      if (!filled(facts.attainabilityNotes) && !filled(facts.skillsGap)) {
        missing.push('record attainability notes or the skills gap (what it takes and what is missing)');
      }
      if (!facts.challengeLevel)
        missing.push('set a challenge level (a stretch, neither too easy nor discouraging)');
      return missing.length === 0
        ? { met: true, hint: null }
        : { met: false, hint: capitalise(`${missing.join('; ')}.`) };
    }
    case SmartCriterion.RELEVANT: {
      const missing: string[] = [];
      if (!facts.hasWhy) {
        missing.push(
          'give the why: a motivation, or how it energizes work life, fulfils personally, aligns with values',
        );
      }
      if (facts.linkedValueCount === 0)
        missing.push('link at least one of the client’s values (the authenticity check)');
      return missing.length === 0
        ? { met: true, hint: null }
        : { met: false, hint: capitalise(`${missing.join('; ')}.`) };
    }
    case SmartCriterion.TIME_BOUND: {
      if (!facts.targetDate) return { met: false, hint: 'Set a target date.' };
      if (facts.parentTargetDate && facts.targetDate > facts.parentTargetDate) {
        return {
          met: false,
          hint: `The target date ${facts.targetDate} is after the parent goal’s (${facts.parentTargetDate}); a supporting goal must be due first.`,
        };
      }
      if (facts.latestChildTargetDate && facts.latestChildTargetDate > facts.targetDate) {
        return {
          met: false,
          hint: `A sub-goal is due ${facts.latestChildTargetDate}, after this goal’s target date ${facts.targetDate}.`,
        };
      }
      return { met: true, hint: null };
    }
    case SmartCriterion.POSITIVE_PHRASING: {
      const phrase = negativePhrase(facts.title);
      return phrase
        ? {
            met: false,
            hint: `"${phrase}" phrases the goal as something to stop; say what the client will do instead (e.g. "Start each report a week before it is due").`,
          }
        : { met: true, hint: null };
    }
    case SmartCriterion.OWN_DESIRE:
      return facts.proposedBy === GoalProposer.CLIENT
        ? { met: true, hint: null }
        : {
            met: false,
            hint: `Proposed by ${facts.proposedBy}: make sure it reflects the client’s own desire, then set proposedBy to CLIENT.`,
          };
  }
}

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** The assessment of every criterion, in the enum's order; `required` from the firm's policy. */
export function assessSmart(facts: SmartFacts, required: readonly SmartCriterion[]): SmartResult[] {
  return ALL_CRITERIA.map((criterion) => ({
    criterion,
    ...check(criterion, facts),
    required: required.includes(criterion),
  }));
}

/** The required criteria a goal does not meet: what stands between it and ACTIVE. */
export const unmetRequired = (results: readonly SmartResult[]) => results.filter((r) => r.required && !r.met);
