import { registerEnumType } from '@nestjs/graphql';

/** Long-term aspirations are supported by mid-term goals, which are supported by immediate ones. */
export enum GoalHorizon {
  LONG_TERM = 'LONG_TERM',
  MID_TERM = 'MID_TERM',
  IMMEDIATE = 'IMMEDIATE',
}
registerEnumType(GoalHorizon, { name: 'GoalHorizon' });

/**
 * Rank of a horizon (longer = lower). A child's rank must be equal to or higher than its parent's: a goal is
 * supported by goals of the same or a shorter horizon, never a longer one (no horizon inversions).
 */
export const HORIZON_RANK: Record<GoalHorizon, number> = {
  [GoalHorizon.LONG_TERM]: 0,
  [GoalHorizon.MID_TERM]: 1,
  [GoalHorizon.IMMEDIATE]: 2,
};

export enum GoalCategory {
  SKILL = 'SKILL',
  TRAINING = 'TRAINING',
  RELATIONSHIP = 'RELATIONSHIP',
  JOB_THRESHOLD = 'JOB_THRESHOLD',
  WEAKNESS = 'WEAKNESS',
  POSITION = 'POSITION',
  OTHER = 'OTHER',
  STRENGTH = 'STRENGTH',
}
registerEnumType(GoalCategory, {
  name: 'GoalCategory',
  valuesMap: { STRENGTH: { description: 'Building on a strength the client already has.' } },
});

export enum GoalStatus {
  DRAFT = 'DRAFT',
  ACTIVE = 'ACTIVE',
  ON_HOLD = 'ON_HOLD',
  ACHIEVED = 'ACHIEVED',
  ABANDONED = 'ABANDONED',
}
registerEnumType(GoalStatus, { name: 'GoalStatus' });

/** Who first put the goal forward: the seeds' "own desire" tip is met only when the client did. */
export enum GoalProposer {
  CLIENT = 'CLIENT',
  COACH = 'COACH',
  MANAGER = 'MANAGER',
  MENTOR = 'MENTOR',
  OTHER = 'OTHER',
}
registerEnumType(GoalProposer, { name: 'GoalProposer' });

/** How hard the goal is for the client: the seeds ask for an appropriate challenge. */
export enum ChallengeLevel {
  COMFORTABLE = 'COMFORTABLE',
  STRETCH = 'STRETCH',
  AMBITIOUS = 'AMBITIOUS',
}
registerEnumType(ChallengeLevel, { name: 'ChallengeLevel' });
