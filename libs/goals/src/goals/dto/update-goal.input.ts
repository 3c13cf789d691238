import { Field, ID, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  IsEnum,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { LocalDateScalar } from '#cairn/shared/graphql';
import { ChallengeLevel, GoalCategory, GoalHorizon, GoalProposer } from '../goal.enums.js';
import { GOAL_LIMITS } from '../goal.limits.js';
import { GoalWhyInput } from '../goal-why.model.js';

// Fields that cannot be cleared: validated whenever present, so an explicit null is rejected.
const present = (field: string) => ValidateIf((o: Record<string, unknown>) => o[field] !== undefined);

/** The part every goal edit shares: which version you read, and why you change it. */
@InputType({ isAbstract: true })
export class GoalEditInput {
  @Field(() => Int, { description: 'The goal `version` you read; another current version is a CONFLICT.' })
  @IsInt()
  @Min(1)
  expectedVersion: number;

  @Field(() => String, {
    nullable: true,
    description: `Why it changes, kept in the revision. Up to ${GOAL_LIMITS.reason} characters.`,
  })
  @IsOptional()
  @IsString()
  @MaxLength(GOAL_LIMITS.reason)
  reason?: string | null;
}

@InputType({
  description:
    'Omitted fields stay as they are; null clears an optional one (parentId: null makes it a root).',
})
export class UpdateGoalInput extends GoalEditInput {
  @Field(() => ID)
  @IsUUID()
  id: string;

  @Field(() => ID, {
    nullable: true,
    description: 'Re-parent the goal (same client, no cycles, horizon and date rules).',
  })
  @IsOptional()
  @IsUUID()
  parentId?: string | null;

  @Field(() => GoalHorizon, { nullable: true })
  @present('horizon')
  @IsEnum(GoalHorizon)
  horizon?: GoalHorizon;

  @Field(() => String, { nullable: true, description: `1 to ${GOAL_LIMITS.title} characters.` })
  @present('title')
  @IsString()
  @MinLength(1)
  @MaxLength(GOAL_LIMITS.title)
  title?: string;

  @Field(() => String, { nullable: true, description: `Up to ${GOAL_LIMITS.description} characters.` })
  @IsOptional()
  @IsString()
  @MaxLength(GOAL_LIMITS.description)
  description?: string | null;

  @Field(() => GoalCategory, { nullable: true })
  @present('category')
  @IsEnum(GoalCategory)
  category?: GoalCategory;

  @Field(() => Int, { nullable: true, description: '1 (highest) to 5 (lowest).' })
  @present('priority')
  @IsInt()
  @Min(1)
  @Max(5)
  priority?: number;

  @Field(() => LocalDateScalar, { nullable: true })
  @IsOptional()
  startDate?: string | null;

  @Field(() => LocalDateScalar, {
    nullable: true,
    description:
      'A changed target date must be today or later (client’s zone), not after the parent’s, not before any sub-goal’s.',
  })
  @IsOptional()
  targetDate?: string | null;

  @Field(() => GoalWhyInput, { nullable: true, description: 'Merged into the current why.' })
  @present('why')
  @ValidateNested()
  @Type(() => GoalWhyInput)
  why?: GoalWhyInput;

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

  @Field(() => GoalProposer, { nullable: true })
  @present('proposedBy')
  @IsEnum(GoalProposer)
  proposedBy?: GoalProposer;
}
