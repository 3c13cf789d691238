import { Field, ID, InputType } from '@nestjs/graphql';
import { DevelopmentCategory } from '#cairn/development';
import { IsEnum, IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';

export const QUESTION_MAX = 500;

@InputType()
export class AskSupporterInput {
  @Field(() => ID)
  @IsUUID()
  supporterId: string;

  @Field({ description: `What you ask, e.g. "What should I develop to become Sales Manager?" (1–${QUESTION_MAX}).` })
  @IsString()
  @MinLength(1)
  @MaxLength(QUESTION_MAX)
  question: string;
}

@InputType()
export class AnswerSupporterRequestInput {
  @Field(() => ID)
  @IsUUID()
  requestId: string;

  @Field(() => DevelopmentCategory)
  @IsEnum(DevelopmentCategory)
  category: DevelopmentCategory;

  @Field({ description: 'What to develop, 1 to 200 characters: the title of the client’s development item.' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  title: string;

  @Field(() => String, { nullable: true, description: 'Why, or how, up to 2000 characters.' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  notes?: string | null;
}
