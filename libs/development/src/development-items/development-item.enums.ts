import { registerEnumType } from '@nestjs/graphql';
import { GoalCategory, GoalProposer } from '#cairn/goals';

/** The seeds' five headings for organizing what the fact-finding turned up, and the strengths to build on. */
export enum DevelopmentCategory {
  SKILL = 'SKILL',
  TRAINING = 'TRAINING',
  RELATIONSHIP = 'RELATIONSHIP',
  JOB_THRESHOLD = 'JOB_THRESHOLD',
  WEAKNESS = 'WEAKNESS',
  STRENGTH = 'STRENGTH',
}
registerEnumType(DevelopmentCategory, {
  name: 'DevelopmentCategory',
  description: 'What kind of development an item is; maps 1:1 to the GoalCategory of the same name.',
  valuesMap: {
    SKILL: { description: 'Skills to develop.' },
    TRAINING: { description: 'Training or education to pursue.' },
    RELATIONSHIP: { description: 'Relationships to cultivate.' },
    JOB_THRESHOLD: { description: 'Goals or thresholds to reach in the current job.' },
    WEAKNESS: { description: 'Deficits or weaknesses to overcome.' },
    STRENGTH: { description: 'Strengths to build on and use more.' },
  },
});

/** Whom the client learned it from: their own reflection or someone they trust. */
export enum DevelopmentSource {
  SELF_REFLECTION = 'SELF_REFLECTION',
  COACH = 'COACH',
  MENTOR = 'MENTOR',
  BOSS = 'BOSS',
  PEER = 'PEER',
  DIRECT_REPORT = 'DIRECT_REPORT',
  FRIEND = 'FRIEND',
  PERFORMANCE_REVIEW = 'PERFORMANCE_REVIEW',
}
registerEnumType(DevelopmentSource, {
  name: 'DevelopmentSource',
  description: 'Where the insight came from (the fact-finding mission asks the client and people they trust).',
});

export enum DevelopmentItemStatus {
  OPEN = 'OPEN',
  CONVERTED = 'CONVERTED',
  DISMISSED = 'DISMISSED',
}
registerEnumType(DevelopmentItemStatus, {
  name: 'DevelopmentItemStatus',
  valuesMap: {
    OPEN: { description: 'On the list and ranked in the prioritized view.' },
    CONVERTED: { description: 'Turned into a goal (final).' },
    DISMISSED: { description: 'Set aside while narrowing the list; can be reopened.' },
  },
});

export const GOAL_CATEGORY_OF: Record<DevelopmentCategory, GoalCategory> = {
  [DevelopmentCategory.SKILL]: GoalCategory.SKILL,
  [DevelopmentCategory.TRAINING]: GoalCategory.TRAINING,
  [DevelopmentCategory.RELATIONSHIP]: GoalCategory.RELATIONSHIP,
  [DevelopmentCategory.JOB_THRESHOLD]: GoalCategory.JOB_THRESHOLD,
  [DevelopmentCategory.WEAKNESS]: GoalCategory.WEAKNESS,
  [DevelopmentCategory.STRENGTH]: GoalCategory.STRENGTH,
};

/** Who first put a converted goal forward: whoever the insight came from. */
export const GOAL_PROPOSER_OF: Record<DevelopmentSource, GoalProposer> = {
  [DevelopmentSource.SELF_REFLECTION]: GoalProposer.CLIENT,
  [DevelopmentSource.COACH]: GoalProposer.COACH,
  [DevelopmentSource.MENTOR]: GoalProposer.MENTOR,
  [DevelopmentSource.BOSS]: GoalProposer.MANAGER,
  [DevelopmentSource.PERFORMANCE_REVIEW]: GoalProposer.MANAGER,
  [DevelopmentSource.PEER]: GoalProposer.OTHER,
  [DevelopmentSource.DIRECT_REPORT]: GoalProposer.OTHER,
  [DevelopmentSource.FRIEND]: GoalProposer.OTHER,
};
