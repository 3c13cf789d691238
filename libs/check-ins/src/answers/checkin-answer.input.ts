import { Field, Float, InputType, Int } from '@nestjs/graphql';
import { IsBoolean, IsInt, IsNumber, IsOptional, IsString, MaxLength } from 'class-validator';
import { PROMPT_LIMITS } from '../templates/checkin-prompt.model.js';

/** The answer to one prompt; set only the field of the prompt's type. */
@InputType()
export class CheckInAnswerInput {
  @Field({ description: 'The prompt’s key.' })
  @IsString()
  @MaxLength(PROMPT_LIMITS.key)
  key: string;

  @Field(() => Int, { nullable: true, description: 'SCALE.' })
  @IsOptional()
  @IsInt()
  scale?: number;

  @Field({ nullable: true, description: 'YES_NO.' })
  @IsOptional()
  @IsBoolean()
  yesNo?: boolean;

  @Field({ nullable: true, description: `TEXT: up to the prompt's maxLength (at most ${PROMPT_LIMITS.textMax}).` })
  @IsOptional()
  @IsString()
  @MaxLength(PROMPT_LIMITS.textMax)
  text?: string;

  @Field(() => Float, { nullable: true, description: 'NUMBER.' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  number?: number;

  @Field(() => [String], { nullable: true, description: 'CHOICE: one option, or several when the prompt allows.' })
  @IsOptional()
  @IsString({ each: true })
  choices?: string[];
}
