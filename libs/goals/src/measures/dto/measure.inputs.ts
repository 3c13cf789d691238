import { Field, Float, ID, InputType, Int } from '@nestjs/graphql';
import {
  IsEnum,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { LocalDateScalar } from '#cairn/shared/graphql';
import { GoalEditInput } from '../../goals/dto/update-goal.input.js';
import { GOAL_LIMITS } from '../../goals/goal.limits.js';
import { MeasureDirection, MeasureKind } from '../measure.enums.js';

const MAX_MAGNITUDE = 1e12;
const present = (field: string) => ValidateIf((o: Record<string, unknown>) => o[field] !== undefined);

@InputType({ isAbstract: true })
class MeasureFieldsInput extends GoalEditInput {
  @Field(() => String, {
    nullable: true,
    description: 'NUMERIC and COUNT: the unit ("reports", "conferences"). Up to 40 characters.',
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(GOAL_LIMITS.unit)
  unit?: string | null;

  @Field(() => Float, {
    nullable: true,
    description: 'NUMERIC (default 0) and PERCENTAGE (0–100, default 0): the level at the start.',
  })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-MAX_MAGNITUDE)
  @Max(MAX_MAGNITUDE)
  baseline?: number | null;

  @Field(() => Float, {
    nullable: true,
    description:
      'NUMERIC and PERCENTAGE (0–100): the level to reach, ≠ baseline; COUNT: a whole number ≥ 1 of occurrences.',
  })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-MAX_MAGNITUDE)
  @Max(MAX_MAGNITUDE)
  target?: number | null;

  @Field(() => MeasureDirection, {
    nullable: true,
    description:
      'NUMERIC and PERCENTAGE; inferred from baseline → target when omitted, and must agree with it.',
  })
  @IsOptional()
  @IsEnum(MeasureDirection)
  direction?: MeasureDirection | null;

  @Field(() => LocalDateScalar, {
    nullable: true,
    description: 'COUNT: first day of the period; default the goal’s start date, else today (client’s zone).',
  })
  @IsOptional()
  periodStart?: string | null;

  @Field(() => Int, { nullable: true, description: 'COUNT: length of the period, 1 to 120 months.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(120)
  periodMonths?: number | null;
}

@InputType({ description: 'Adds a measure of success; bumps the goal’s version and records a revision.' })
export class AddGoalMeasureInput extends MeasureFieldsInput {
  @Field(() => ID)
  @IsUUID()
  goalId: string;

  @Field(() => MeasureKind)
  @IsEnum(MeasureKind)
  kind: MeasureKind;

  @Field({ description: `What is measured, 1 to ${GOAL_LIMITS.measureTitle} characters.` })
  @IsString()
  @MinLength(1)
  @MaxLength(GOAL_LIMITS.measureTitle)
  title: string;
}

@InputType({
  description:
    'Changes a measure (not its kind: remove it and add another); omitted fields stay, null clears. Bumps the goal’s version.',
})
export class UpdateGoalMeasureInput extends MeasureFieldsInput {
  @Field(() => ID)
  @IsUUID()
  measureId: string;

  @Field(() => String, { nullable: true, description: `1 to ${GOAL_LIMITS.measureTitle} characters.` })
  @present('title')
  @IsString()
  @MinLength(1)
  @MaxLength(GOAL_LIMITS.measureTitle)
  title?: string;
}

@InputType({ description: 'Removes a measure from its goal; its progress updates are kept for the record.' })
export class RemoveGoalMeasureInput extends GoalEditInput {
  @Field(() => ID)
  @IsUUID()
  measureId: string;
}

@InputType({
  description: 'Records progress on a measure. Needs no expectedVersion: progress does not edit the goal.',
})
export class RecordProgressInput {
  @Field(() => ID)
  @IsUUID()
  measureId: string;

  @Field(() => Float, {
    description:
      'MILESTONE: 1 done (0 undoes); NUMERIC: the level reached; PERCENTAGE: 0–100; COUNT: occurrences to add (whole number ≥ 1).',
  })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-MAX_MAGNITUDE)
  @Max(MAX_MAGNITUDE)
  value: number;

  @Field(() => String, { nullable: true, description: `Up to ${GOAL_LIMITS.note} characters.` })
  @IsOptional()
  @IsString()
  @MaxLength(GOAL_LIMITS.note)
  note?: string | null;

  @Field(() => LocalDateScalar, {
    nullable: true,
    description:
      'The day it happened: default today in the client’s zone; never later; for COUNT within the period.',
  })
  @IsOptional()
  occurredOn?: string | null;
}
