import { registerEnumType } from '@nestjs/graphql';

/** The five SMART criteria and the seeds' two extra tips for powerful goals. */
export enum SmartCriterion {
  SPECIFIC = 'SPECIFIC',
  MEASURABLE = 'MEASURABLE',
  ATTAINABLE = 'ATTAINABLE',
  RELEVANT = 'RELEVANT',
  TIME_BOUND = 'TIME_BOUND',
  POSITIVE_PHRASING = 'POSITIVE_PHRASING',
  OWN_DESIRE = 'OWN_DESIRE',
}
registerEnumType(SmartCriterion, {
  name: 'SmartCriterion',
  valuesMap: {
    SPECIFIC: {
      description: 'The title names a concrete outcome, not a vague aim such as "improve my skills".',
    },
    MEASURABLE: { description: 'At least one measure of success.' },
    ATTAINABLE: { description: 'Attainability notes or a skills gap recorded, and a challenge level set.' },
    RELEVANT: { description: 'A why is given and linked to at least one value.' },
    TIME_BOUND: { description: 'A target date, not after the parent’s, and no sub-goal due after it.' },
    POSITIVE_PHRASING: {
      description: 'Tip: the title says what to do, not what to stop ("stop", "never", "avoid"…).',
    },
    OWN_DESIRE: { description: 'Tip: the client proposed the goal themself.' },
  },
});

export const SMART_CRITERIA: SmartCriterion[] = [
  SmartCriterion.SPECIFIC,
  SmartCriterion.MEASURABLE,
  SmartCriterion.ATTAINABLE,
  SmartCriterion.RELEVANT,
  SmartCriterion.TIME_BOUND,
];
export const ALL_CRITERIA: SmartCriterion[] = Object.values(SmartCriterion);

/** A firm without a policy row requires the five SMART criteria and leaves the two tips advisory. */
export const DEFAULT_REQUIRED_CRITERIA: SmartCriterion[] = SMART_CRITERIA;
