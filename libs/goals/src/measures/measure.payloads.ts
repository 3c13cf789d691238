import { Field, ObjectType } from '@nestjs/graphql';
import { Goal } from '../goals/goal.entity.js';
import { GoalMeasure } from './goal-measure.entity.js';
import { ProgressUpdate } from './progress-update.entity.js';

@ObjectType()
export class GoalMeasurePayload {
  @Field(() => Goal, { description: 'The goal with its new version.' })
  goal: Goal;

  @Field(() => GoalMeasure)
  measure: GoalMeasure;
}

@ObjectType()
export class RecordProgressPayload {
  @Field(() => ProgressUpdate)
  progressUpdate: ProgressUpdate;

  @Field(() => GoalMeasure, { description: 'The measure with its new current value and progress.' })
  measure: GoalMeasure;

  @Field(() => Goal)
  goal: Goal;
}
