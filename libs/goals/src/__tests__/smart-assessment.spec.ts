import { describe, expect, it } from '@jest/globals';
import { ChallengeLevel, GoalProposer } from '../goals/goal.enums.js';
import {
  assessSmart,
  assessSpecificity,
  negativePhrase,
  SmartFacts,
  unmetRequired,
} from '../smart/smart-assessment.js';
import { DEFAULT_REQUIRED_CRITERIA, SmartCriterion } from '../smart/smart-criterion.enum.js';

const complete: SmartFacts = {
  title: 'Add a qualitative section to every quarterly sales report',
  activeMeasureCount: 1,
  attainabilityNotes: 'Boss agreed to review drafts',
  skillsGap: null,
  challengeLevel: ChallengeLevel.STRETCH,
  hasWhy: true,
  linkedValueCount: 1,
  targetDate: '2027-03-31',
  parentTargetDate: '2028-12-31',
  latestChildTargetDate: '2027-01-15',
  proposedBy: GoalProposer.CLIENT,
};

const result = (facts: Partial<SmartFacts>, criterion: SmartCriterion) =>
  assessSmart({ ...complete, ...facts }, DEFAULT_REQUIRED_CRITERIA).find((r) => r.criterion === criterion);

describe('the SPECIFIC heuristic', () => {
  it.each([
    'Become Chief Sales Officer',
    'Be promoted to Sales Manager',
    'Improve my sales report writing',
    'I want to attend three professional conferences in the next 12 months',
    'Get better at giving timely feedback to direct reports',
    'Give on-the-spot feedback to three people every day',
    'Work on 4 client surveys',
  ])('"%s" is specific', (title) => {
    expect(assessSpecificity(title).specific).toBe(true);
  });

  it.each([
    ['I will improve my management skills', 'improve'],
    ['Be more confident', 'be more'],
    ['Get better at work', 'get better at'],
    ['Try to succeed', 'try to'],
    ['Work on myself', 'work on'],
    ['Be successful', null],
    ['Succeed', null],
    ['Stop being bad at my management skills', null],
  ])('"%s" is not specific', (title, lead) => {
    expect(assessSpecificity(title)).toEqual({ specific: false, vagueLead: lead });
  });

  it('explains the vague lead in the hint', () => {
    const check = result({ title: 'Improve my management skills' }, SmartCriterion.SPECIFIC);
    expect(check).toMatchObject({ met: false, required: true });
    expect(check?.hint).toContain('"improve" without a concrete object or quantity');
  });
});

describe('the SMART assessment', () => {
  it('a complete goal meets everything, in the enum order, with null hints', () => {
    const results = assessSmart(complete, DEFAULT_REQUIRED_CRITERIA);
    expect(results.map((r) => r.criterion)).toEqual(Object.values(SmartCriterion));
    expect(results.every((r) => r.met && r.hint === null)).toBe(true);
    expect(results.filter((r) => r.required).map((r) => r.criterion)).toEqual(DEFAULT_REQUIRED_CRITERIA);
  });

  it('MEASURABLE needs a measure', () => {
    expect(result({ activeMeasureCount: 0 }, SmartCriterion.MEASURABLE)).toMatchObject({
      met: false,
      hint: expect.stringContaining('measure'),
    });
  });

  it('ATTAINABLE needs notes or a skills gap AND a challenge level', () => {
    expect(
      result({ attainabilityNotes: null, skillsGap: 'Qualitative analysis' }, SmartCriterion.ATTAINABLE)?.met,
    ).toBe(true);
    expect(result({ attainabilityNotes: '  ', skillsGap: null }, SmartCriterion.ATTAINABLE)?.met).toBe(false);
    const noLevel = result({ challengeLevel: null }, SmartCriterion.ATTAINABLE);
    expect(noLevel).toMatchObject({ met: false, hint: expect.stringContaining('challenge level') });
  });

  it('RELEVANT needs a why AND a linked value', () => {
    expect(result({ hasWhy: false }, SmartCriterion.RELEVANT)).toMatchObject({
      met: false,
      hint: expect.stringContaining('why'),
    });
    expect(result({ linkedValueCount: 0 }, SmartCriterion.RELEVANT)).toMatchObject({
      met: false,
      hint: expect.stringContaining('value'),
    });
  });

  it('TIME_BOUND needs a target date, not after the parent’s, and no child due later', () => {
    expect(result({ targetDate: null }, SmartCriterion.TIME_BOUND)).toMatchObject({
      met: false,
      hint: 'Set a target date.',
    });
    expect(result({ parentTargetDate: '2027-01-01' }, SmartCriterion.TIME_BOUND)?.hint).toContain(
      'after the parent',
    );
    expect(result({ latestChildTargetDate: '2027-06-01' }, SmartCriterion.TIME_BOUND)?.hint).toContain(
      'sub-goal is due 2027-06-01',
    );
    expect(
      result({ parentTargetDate: null, latestChildTargetDate: null }, SmartCriterion.TIME_BOUND)?.met,
    ).toBe(true);
    expect(result({ targetDate: '2028-12-31' }, SmartCriterion.TIME_BOUND)?.met).toBe(true);
  });

  it('POSITIVE_PHRASING flags negative phrasing, and is a tip unless the policy requires it', () => {
    for (const title of [
      'Stop missing report deadlines',
      "Don't rush reports",
      'Never skip client surveys',
      'Avoid late reports',
      'No longer work weekends',
      'Quit procrastinating',
    ]) {
      expect(negativePhrase(title)).not.toBeNull();
    }
    expect(negativePhrase('Start reports a week before the deadline')).toBeNull();
    // Whole words only: "Stopwatch" and "avoidance" are not negative phrasing.
    expect(negativePhrase('Use a stopwatch in presentations')).toBeNull();
    const check = result({ title: 'Stop missing report deadlines' }, SmartCriterion.POSITIVE_PHRASING);
    expect(check).toMatchObject({ met: false, required: false, hint: expect.stringContaining('"stop"') });
  });

  it('OWN_DESIRE is met only when the client proposed the goal', () => {
    expect(result({ proposedBy: GoalProposer.MANAGER }, SmartCriterion.OWN_DESIRE)).toMatchObject({
      met: false,
      hint: expect.stringContaining('MANAGER'),
    });
  });

  it('unmetRequired lists only unmet criteria the policy requires', () => {
    const facts = { ...complete, activeMeasureCount: 0, proposedBy: GoalProposer.COACH };
    expect(unmetRequired(assessSmart(facts, DEFAULT_REQUIRED_CRITERIA)).map((r) => r.criterion)).toEqual([
      SmartCriterion.MEASURABLE,
    ]);
    expect(unmetRequired(assessSmart(facts, [SmartCriterion.OWN_DESIRE])).map((r) => r.criterion)).toEqual([
      SmartCriterion.OWN_DESIRE,
    ]);
    expect(unmetRequired(assessSmart(facts, []))).toEqual([]);
  });
});
