import { Field, Float, ID, InputType, Int, IntersectionType, PartialType, PickType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  MinLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { MaxDecimalPlaces } from '#cairn/shared/graphql';

export const PATH_TITLE_MAX = 200;
export const STEP_TITLE_MAX = 120;
export const CAREER_TEXT_MAX = 2000;
export const MAX_STEPS = 30;
export const MAX_STEP_YEARS = 50;

@InputType()
export class CareerStepInput {
  @Field({ description: `The role, 1 to ${STEP_TITLE_MAX} characters, e.g. "Sales Manager".` })
  @IsString()
  @MinLength(1)
  @MaxLength(STEP_TITLE_MAX)
  title: string;

  @Field(() => String, { nullable: true, description: `Up to ${CAREER_TEXT_MAX} characters.` })
  @IsOptional()
  @IsString()
  @MaxLength(CAREER_TEXT_MAX)
  description?: string | null;

  @Field(() => Float, {
    defaultValue: 0,
    description: `Estimated years to reach this step from the one before it, 0 to ${MAX_STEP_YEARS}, at most one decimal.`,
  })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @MaxDecimalPlaces(1)
  @Min(0)
  @Max(MAX_STEP_YEARS)
  estimatedYears: number = 0;
}

@InputType()
export class CreateCareerPathInput {
  @Field(() => ID)
  @IsUUID()
  clientId: string;

  @Field({ description: `1 to ${PATH_TITLE_MAX} characters, e.g. "Sales leadership".` })
  @IsString()
  @MinLength(1)
  @MaxLength(PATH_TITLE_MAX)
  title: string;

  @Field(() => String, { nullable: true, description: `Up to ${CAREER_TEXT_MAX} characters.` })
  @IsOptional()
  @IsString()
  @MaxLength(CAREER_TEXT_MAX)
  description?: string | null;

  @Field(() => [CareerStepInput], { description: `The ladder from the lowest rung to the top, 1 to ${MAX_STEPS} steps.` })
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_STEPS)
  @ValidateNested({ each: true })
  @Type(() => CareerStepInput)
  steps: CareerStepInput[];

  @Field(() => Int, { nullable: true, description: 'Position (1-based) of the step the client holds now, if any.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_STEPS)
  currentStepPosition?: number;
}

@InputType()
export class CareerPathVersionInput {
  @Field(() => ID)
  @IsUUID()
  id: string;

  @Field(() => Int, { description: 'The path `version` you read; a different current one is a CONFLICT.' })
  @IsInt()
  @Min(1)
  expectedVersion: number;
}

/**
 * Omitted fields stay as they are; `description: null` clears it. createCareerPath's title and description, each
 * optional (a null title passes validation and is ignored, as before).
 */
@InputType()
export class UpdateCareerPathInput extends IntersectionType(
  CareerPathVersionInput,
  PartialType(PickType(CreateCareerPathInput, ['title', 'description'] as const)),
) {
  // Descriptions that differ from createCareerPath's.
  @Field({ nullable: true, description: `1 to ${PATH_TITLE_MAX} characters.` })
  override title?: string;

  @Field(() => String, { nullable: true, description: `Up to ${CAREER_TEXT_MAX} characters; null clears.` })
  override description?: string | null;
}

@InputType()
export class AddCareerStepInput extends CareerStepInput {
  @Field(() => ID)
  @IsUUID()
  pathId: string;

  @Field(() => Int, { description: 'The path `version` you read.' })
  @IsInt()
  @Min(1)
  expectedVersion: number;

  @Field(() => Int, {
    nullable: true,
    description: 'Where to insert (1-based); later steps move up one. Default: on top of the ladder.',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_STEPS)
  position?: number;
}

/**
 * Omitted fields stay as they are; `description: null` clears it. A step's title and description as
 * CareerStepInput validates them; estimatedYears is declared here because CareerStepInput initialises it to 0,
 * which a mapped type would copy into every edit.
 */
@InputType()
export class UpdateCareerStepInput extends PartialType(PickType(CareerStepInput, ['title', 'description'] as const)) {
  @Field(() => ID)
  @IsUUID()
  id: string;

  @Field(() => Int, { description: 'The `version` of the step’s path you read.' })
  @IsInt()
  @Min(1)
  expectedVersion: number;

  @Field(() => Float, { nullable: true, description: `0 to ${MAX_STEP_YEARS}, at most one decimal.` })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @MaxDecimalPlaces(1)
  @Min(0)
  @Max(MAX_STEP_YEARS)
  estimatedYears?: number;

  // Descriptions that differ from CareerStepInput's.
  @Field({ nullable: true, description: `1 to ${STEP_TITLE_MAX} characters.` })
  override title?: string;

  @Field(() => String, { nullable: true, description: `Up to ${CAREER_TEXT_MAX} characters; null clears.` })
  override description?: string | null;
}

@InputType()
export class RemoveCareerStepInput {
  @Field(() => ID)
  @IsUUID()
  id: string;

  @Field(() => Int, { description: 'The `version` of the step’s path you read.' })
  @IsInt()
  @Min(1)
  expectedVersion: number;
}

@InputType()
export class ReorderCareerStepsInput {
  @Field(() => ID)
  @IsUUID()
  pathId: string;

  @Field(() => Int)
  @IsInt()
  @Min(1)
  expectedVersion: number;

  @Field(() => [ID], { description: 'Every step of the path exactly once, from the lowest rung to the top.' })
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_STEPS)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  stepIds: string[];
}

@InputType()
export class SetCurrentCareerStepInput {
  @Field(() => ID)
  @IsUUID()
  pathId: string;

  @Field(() => Int)
  @IsInt()
  @Min(1)
  expectedVersion: number;

  @Field(() => ID, { nullable: true, description: 'A step of this path; null: the client is not on the ladder yet.' })
  @IsOptional()
  @IsUUID()
  stepId?: string | null;
}

@InputType()
export class LinkGoalToCareerStepInput {
  @Field(() => ID)
  @IsUUID()
  goalId: string;

  @Field(() => ID, {
    nullable: true,
    description: 'A step of the active career path of the goal’s own client; null unlinks.',
  })
  @IsOptional()
  @IsUUID()
  stepId?: string | null;
}
