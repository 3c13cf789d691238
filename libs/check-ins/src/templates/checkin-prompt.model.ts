import { Field, Float, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { IsBoolean, IsEnum, IsInt, IsNumber, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';

export enum PromptType {
  SCALE = 'SCALE',
  YES_NO = 'YES_NO',
  TEXT = 'TEXT',
  NUMBER = 'NUMBER',
  CHOICE = 'CHOICE',
}
registerEnumType(PromptType, {
  name: 'PromptType',
  description:
    'SCALE: a whole number in a range (default 1–10) with end labels; YES_NO; TEXT; NUMBER (may record progress ' +
    'on a goal measure); CHOICE: one or several of a list of options.',
});

export const PROMPT_LIMITS = {
  prompts: 30,
  key: 40,
  label: 300,
  help: 1000,
  scaleLabel: 60,
  textDefault: 2000,
  textMax: 5000,
  unit: 40,
  options: 20,
  option: 100,
} as const;

/** One question of a check-in template version, as stored (jsonb) and as shown. Immutable once saved. */
@ObjectType()
export class CheckInPrompt {
  @Field({ description: 'Stable id of the prompt within the template (answers refer to it).' })
  key: string;

  @Field()
  label: string;

  @Field(() => String, { nullable: true })
  help: string | null;

  @Field(() => PromptType)
  type: PromptType;

  @Field()
  required: boolean;

  @Field(() => Int, { nullable: true, description: 'SCALE: lowest value.' })
  scaleMin: number | null;

  @Field(() => Int, { nullable: true, description: 'SCALE: highest value.' })
  scaleMax: number | null;

  @Field(() => String, { nullable: true, description: 'SCALE: what the lowest value means.' })
  minLabel: string | null;

  @Field(() => String, { nullable: true, description: 'SCALE: what the highest value means.' })
  maxLabel: string | null;

  @Field(() => Int, { nullable: true, description: 'TEXT: longest answer accepted.' })
  maxLength: number | null;

  @Field(() => Float, { nullable: true, description: 'NUMBER: smallest value accepted.' })
  numberMin: number | null;

  @Field(() => Float, { nullable: true, description: 'NUMBER: largest value accepted.' })
  numberMax: number | null;

  @Field(() => String, { nullable: true, description: 'NUMBER: the unit ("calls", "km").' })
  unit: string | null;

  @Field({
    description: 'NUMBER: when the assignment binds this prompt to a goal measure, an answer records progress on it.',
  })
  recordsProgress: boolean;

  @Field(() => [String], { nullable: true, description: 'CHOICE: the options, in order.' })
  options: string[] | null;

  @Field({ description: 'CHOICE: whether several options may be picked.' })
  allowMultiple: boolean;
}

/** Flat on purpose (GraphQL has no input unions): only the fields of the prompt's type may be set. */
@InputType()
export class CheckInPromptInput {
  @Field({ description: `Lower-case letters, digits and _; up to ${PROMPT_LIMITS.key} characters; unique in the template.` })
  @Matches(/^[a-z][a-z0-9_]*$/, { message: 'key must start with a letter and use only a-z, 0-9 and _' })
  @MaxLength(PROMPT_LIMITS.key)
  key: string;

  @Field({ description: `1 to ${PROMPT_LIMITS.label} characters.` })
  @IsString()
  @MinLength(1)
  @MaxLength(PROMPT_LIMITS.label)
  label: string;

  @Field({ nullable: true, description: `Up to ${PROMPT_LIMITS.help} characters.` })
  @IsOptional()
  @IsString()
  @MaxLength(PROMPT_LIMITS.help)
  help?: string;

  @Field(() => PromptType)
  @IsEnum(PromptType)
  type: PromptType;

  @Field({ defaultValue: true })
  @IsOptional()
  @IsBoolean()
  required: boolean = true;

  @Field(() => Int, { nullable: true, description: 'SCALE: 0–9, default 1.' })
  @IsOptional()
  @IsInt()
  scaleMin?: number;

  @Field(() => Int, { nullable: true, description: 'SCALE: up to 10 and above scaleMin, default 10.' })
  @IsOptional()
  @IsInt()
  scaleMax?: number;

  @Field({ nullable: true, description: `SCALE: up to ${PROMPT_LIMITS.scaleLabel} characters.` })
  @IsOptional()
  @IsString()
  @MaxLength(PROMPT_LIMITS.scaleLabel)
  minLabel?: string;

  @Field({ nullable: true, description: `SCALE: up to ${PROMPT_LIMITS.scaleLabel} characters.` })
  @IsOptional()
  @IsString()
  @MaxLength(PROMPT_LIMITS.scaleLabel)
  maxLabel?: string;

  @Field(() => Int, { nullable: true, description: `TEXT: 1 to ${PROMPT_LIMITS.textMax}, default ${PROMPT_LIMITS.textDefault}.` })
  @IsOptional()
  @IsInt()
  maxLength?: number;

  @Field(() => Float, { nullable: true })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  numberMin?: number;

  @Field(() => Float, { nullable: true })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  numberMax?: number;

  @Field({ nullable: true, description: `NUMBER: up to ${PROMPT_LIMITS.unit} characters.` })
  @IsOptional()
  @IsString()
  @MaxLength(PROMPT_LIMITS.unit)
  unit?: string;

  @Field({ nullable: true, description: 'NUMBER only.' })
  @IsOptional()
  @IsBoolean()
  recordsProgress?: boolean;

  @Field(() => [String], {
    nullable: true,
    description: `CHOICE: 2 to ${PROMPT_LIMITS.options} distinct options of 1 to ${PROMPT_LIMITS.option} characters.`,
  })
  @IsOptional()
  @IsString({ each: true })
  options?: string[];

  @Field({ nullable: true, description: 'CHOICE only.' })
  @IsOptional()
  @IsBoolean()
  allowMultiple?: boolean;
}
