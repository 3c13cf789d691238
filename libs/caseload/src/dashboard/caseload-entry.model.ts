import { Field, Float, Int, ObjectType } from '@nestjs/graphql';
import { ActionTask } from '#cairn/action-plans';
import { Client } from '#cairn/clients';
import { Goal } from '#cairn/goals';
import { LocalDateScalar } from '#cairn/shared/graphql';

@ObjectType({ description: 'An active goal with its derived progress.' })
export class GoalProgress {
  @Field(() => Goal)
  goal: Goal;

  @Field(() => Float, { nullable: true, description: '0–100, derived from measures and sub-goals; null when nothing is measured.' })
  progress: number | null;
}

/** One client on a coach's dashboard: what a partner needs to render the caseload row. */
@ObjectType()
export class CaseloadEntry {
  @Field(() => Client)
  client: Client;

  @Field(() => [GoalProgress], { description: 'ACTIVE goals, highest priority first.' })
  activeGoals: GoalProgress[];

  @Field(() => Float, { nullable: true, description: 'Mean progress of the active goals that have one.' })
  averageProgress: number | null;

  @Field(() => Int)
  overdueTaskCount: number;

  @Field(() => [ActionTask])
  overdueTasks: ActionTask[];

  @Field(() => LocalDateScalar, { nullable: true, description: 'The next date something is due, in the client’s time zone.' })
  nextDueOn: string | null;

  @Field(() => [ActionTask], { description: 'What is due on nextDueOn.' })
  nextDueTasks: ActionTask[];
}
