import { Field, ID, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  ArrayUnique,
  IsArray,
  IsEnum,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { LocalDateScalar } from '#cairn/shared/graphql';
import { ChallengeLevel, GoalCategory, GoalHorizon, GoalProposer } from '../goal.enums.js';
import { GOAL_LIMITS } from '../goal.limits.js';
import { GoalWhyInput } from '../goal-why.model.js';
import { GoalAudience } from '../../visibility/goal-visibility.js';

@InputType({ description: 'A new goal; it starts as DRAFT and becomes ACTIVE through changeGoalStatus.' })
export class CreateGoalInput {
  @Field(() => ID, { description: 'The client who owns the goal.' })
  @IsUUID()
  clientId: string;

  @Field(() => ID, {
    nullable: true,
    description:
      'The goal this one supports: same client, same or longer horizon, target date not earlier than this one’s.',
  })
  @IsOptional()
  @IsUUID()
  parentId?: string | null;

  @Field(() => GoalHorizon)
  @IsEnum(GoalHorizon)
  horizon: GoalHorizon;

  @Field({ description: `The concrete outcome, 1 to ${GOAL_LIMITS.title} characters.` })
  @IsString()
  @MinLength(1)
  @MaxLength(GOAL_LIMITS.title)
  title: string;

  @Field(() => String, { nullable: true, description: `Up to ${GOAL_LIMITS.description} characters.` })
  @IsOptional()
  @IsString()
  @MaxLength(GOAL_LIMITS.description)
  description?: string | null;

  @Field(() => GoalCategory)
  @IsEnum(GoalCategory)
  category: GoalCategory;

  @Field(() => Int, { nullable: true, description: '1 (highest) to 5 (lowest); default 3.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(5)
  priority?: number | null;

  @Field(() => LocalDateScalar, {
    nullable: true,
    description: 'May lie in the past (a goal already under way).',
  })
  @IsOptional()
  startDate?: string | null;

  @Field(() => LocalDateScalar, {
    nullable: true,
    description:
      'Today or later in the client’s time zone, not before startDate, not after the parent’s target date.',
  })
  @IsOptional()
  targetDate?: string | null;

  @Field(() => [GoalAudience], {
    nullable: true,
    description:
      'Who besides the client may see it; only the client sets it here ([] = private). Default: the parent’s audiences, or everyone (COACHES and FIRM) for a top goal. A sub-goal may not name more than its parent’s.',
  })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsEnum(GoalAudience, { each: true })
  audiences?: GoalAudience[] | null;

  @Field(() => GoalWhyInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => GoalWhyInput)
  why?: GoalWhyInput | null;

  @Field(() => String, { nullable: true, description: `Up to ${GOAL_LIMITS.attainabilityText} characters.` })
  @IsOptional()
  @IsString()
  @MaxLength(GOAL_LIMITS.attainabilityText)
  attainabilityNotes?: string | null;

  @Field(() => String, { nullable: true, description: `Up to ${GOAL_LIMITS.attainabilityText} characters.` })
  @IsOptional()
  @IsString()
  @MaxLength(GOAL_LIMITS.attainabilityText)
  skillsGap?: string | null;

  @Field(() => ChallengeLevel, { nullable: true })
  @IsOptional()
  @IsEnum(ChallengeLevel)
  challengeLevel?: ChallengeLevel | null;

  @Field(() => GoalProposer, {
    nullable: true,
    description: 'Default: CLIENT when the client creates the goal, COACH otherwise.',
  })
  @IsOptional()
  @IsEnum(GoalProposer)
  proposedBy?: GoalProposer | null;
}
