import { registerEnumType } from '@nestjs/graphql';

/** The authenticity check (the seeds' step 5): is the goal the client's own, and true to who they are? */
export enum AuthenticityCriterion {
  WHY_ANSWERED = 'WHY_ANSWERED',
  VALUES_IN_PROFILE = 'VALUES_IN_PROFILE',
  USES_STRENGTH = 'USES_STRENGTH',
  OWN_DESIRE = 'OWN_DESIRE',
}
registerEnumType(AuthenticityCriterion, {
  name: 'AuthenticityCriterion',
  valuesMap: {
    WHY_ANSWERED: {
      description:
        'The why answers the three questions: how it energizes the client’s work life, how it fulfils them personally, how it aligns with their values.',
    },
    VALUES_IN_PROFILE: {
      description:
        'It serves at least one value in the client’s profile (linked by id, or named in why.values as the profile spells it, ignoring case).',
    },
    USES_STRENGTH: { description: 'It builds on at least one strength in the client’s profile (likewise).' },
    OWN_DESIRE: {
      description:
        'The client’s own desire, not set only by the coach: the client created it or marked it as their idea themself, or wrote (part of) its why.',
    },
  },
});

export const ALL_AUTHENTICITY_CRITERIA: AuthenticityCriterion[] = Object.values(AuthenticityCriterion);
