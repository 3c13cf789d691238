import { Field, Float, GraphQLISODateTime, ID, Int, ObjectType } from '@nestjs/graphql';
import { TaskStatus, TaskStreak } from '#cairn/action-plans';
import { GoalHorizon, GoalStatus, MeasureKind } from '#cairn/goals';
import { LocalDateScalar } from '#cairn/shared/graphql';
import { SupporterRelationship, SupporterRequestStatus } from '../supporters/supporter.enums.js';

/*
 * What a supporter sees: plain types filled in one go, with no field resolvers that could reach further into the
 * client's data (sub-goals, revisions, the why), so the surface is exactly these fields of shared goals.
 */

@ObjectType({ description: 'A measure of a shared goal: milestones done, levels reached.' })
export class SharedMeasure {
  @Field(() => ID)
  id: string;

  @Field(() => MeasureKind)
  kind: MeasureKind;

  @Field()
  title: string;

  @Field(() => String, { nullable: true })
  unit: string | null;

  @Field(() => Float, { nullable: true })
  target: number | null;

  @Field(() => Float, { nullable: true })
  currentValue: number | null;

  @Field(() => Float, { description: '0–100.' })
  progress: number;

  @Field({ description: 'MILESTONE: done; others: progress reached 100.' })
  done: boolean;
}

@ObjectType({ description: 'A task of a shared goal’s action plan, with its streak when recurring.' })
export class SharedTask {
  @Field(() => ID)
  id: string;

  @Field()
  title: string;

  @Field(() => TaskStatus)
  status: TaskStatus;

  @Field(() => LocalDateScalar, { nullable: true })
  dueDate: string | null;

  @Field(() => TaskStreak, { nullable: true, description: 'Recurring tasks only.' })
  streak: TaskStreak | null;
}

@ObjectType({ description: 'A goal the client shares with you: its progress, milestones and streaks.' })
export class SharedGoal {
  @Field(() => ID)
  id: string;

  @Field()
  title: string;

  @Field(() => GoalHorizon)
  horizon: GoalHorizon;

  @Field(() => GoalStatus)
  status: GoalStatus;

  @Field(() => LocalDateScalar, { nullable: true })
  targetDate: string | null;

  @Field(() => Float, { nullable: true, description: '0–100; null when there is nothing to measure yet.' })
  progress: number | null;

  @Field(() => [SharedMeasure])
  measures: SharedMeasure[];

  @Field(() => [SharedTask])
  tasks: SharedTask[];
}

@ObjectType({ description: 'A question the client asked you: what should they develop to reach their goal?' })
export class SupporterRequestView {
  @Field(() => ID)
  id: string;

  @Field()
  question: string;

  @Field(() => SupporterRequestStatus)
  status: SupporterRequestStatus;

  @Field(() => GraphQLISODateTime)
  createdAt: Date;

  @Field(() => GraphQLISODateTime, { nullable: true })
  answeredAt: Date | null;

  @Field(() => ID, { nullable: true, description: 'The development item the answer became.' })
  developmentItemId: string | null;
}

@ObjectType({ description: 'The supporter page: who you support, and what they share with you.' })
export class SupporterHome {
  @Field(() => ID)
  supporterId: string;

  @Field()
  displayName: string;

  @Field(() => SupporterRelationship)
  relationship: SupporterRelationship;

  @Field({ description: 'The client’s name.' })
  clientName: string;

  @Field(() => [SharedGoal])
  goals: SharedGoal[];

  @Field(() => [SupporterRequestView], { description: 'Open first, then answered; newest first.' })
  requests: SupporterRequestView[];

  @Field(() => Int, { description: 'Encouragements you may still send today.' })
  encouragementsLeftToday: number;
}
