import { Field, ID, InputType, Int, IntersectionType, OmitType, PartialType } from '@nestjs/graphql';
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
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { LocalDateScalar } from '#cairn/shared/graphql';
import { GoalProposer } from '../goal.enums.js';
import { GOAL_LIMITS } from '../goal.limits.js';
import { GoalWhyInput } from '../goal-why.model.js';
import { CreateGoalInput } from './create-goal.input.js';

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

/**
 * What an edit may change: createGoal's fields, each optional. A null passes only where createGoal may leave
 * the field empty (it clears it); priority, why and proposedBy have defaults at creation but no "empty"
 * afterwards, so they are declared below with null refused.
 */
const GoalChanges = PartialType(
  OmitType(CreateGoalInput, ['clientId', 'priority', 'why', 'proposedBy'] as const),
  {
    skipNullProperties: false,
  },
);

@InputType({
  description:
    'Omitted fields stay as they are; null clears an optional one (parentId: null makes it a root).',
})
export class UpdateGoalInput extends IntersectionType(GoalEditInput, GoalChanges) {
  @Field(() => ID)
  @IsUUID()
  id: string;

  // Descriptions that differ from createGoal's (the rules of a change, not of a creation).
  @Field(() => ID, {
    nullable: true,
    description: 'Re-parent the goal (same client, no cycles, horizon and date rules).',
  })
  override parentId?: string | null;

  @Field(() => String, { nullable: true, description: `1 to ${GOAL_LIMITS.title} characters.` })
  override title?: string;

  @Field(() => LocalDateScalar, {
    nullable: true,
    description:
      'A changed target date must be today or later (client’s zone), not after the parent’s, not before any sub-goal’s.',
  })
  override targetDate?: string | null;

  @Field(() => Int, { nullable: true, description: '1 (highest) to 5 (lowest).' })
  @present('priority')
  @IsInt()
  @Min(1)
  @Max(5)
  priority?: number;

  @Field(() => GoalWhyInput, { nullable: true, description: 'Merged into the current why.' })
  @present('why')
  @ValidateNested()
  @Type(() => GoalWhyInput)
  why?: GoalWhyInput;

  @Field(() => GoalProposer, { nullable: true })
  @present('proposedBy')
  @IsEnum(GoalProposer)
  proposedBy?: GoalProposer;
}
