import { Field, ID, InputType, Int } from '@nestjs/graphql';
import { IsEnum, IsInt, IsOptional, IsString, IsUUID, MinLength, Max, MaxLength, Min } from 'class-validator';
import { DevelopmentCategory, DevelopmentSource } from '../development-item.enums.js';

export const ITEM_TITLE_MAX = 200;
export const ITEM_NOTES_MAX = 2000;
export const DISMISS_REASON_MAX = 500;

@InputType()
export class AddDevelopmentItemInput {
  @Field(() => ID)
  @IsUUID()
  clientId: string;

  @Field(() => DevelopmentCategory)
  @IsEnum(DevelopmentCategory)
  category: DevelopmentCategory;

  @Field(() => DevelopmentSource, {
    description: 'Where the insight came from; clients may record any source, not only their self-reflection.',
  })
  @IsEnum(DevelopmentSource)
  source: DevelopmentSource;

  @Field({ description: `1 to ${ITEM_TITLE_MAX} characters, e.g. "Sales report writing".` })
  @IsString()
  @MinLength(1)
  @MaxLength(ITEM_TITLE_MAX)
  title: string;

  @Field(() => String, { nullable: true, description: `Up to ${ITEM_NOTES_MAX} characters.` })
  @IsOptional()
  @IsString()
  @MaxLength(ITEM_NOTES_MAX)
  notes?: string | null;

  @Field(() => Int, { description: 'Value towards the client’s goal, 1 (little) to 5 (most).' })
  @IsInt()
  @Min(1)
  @Max(5)
  valueScore: number;

  @Field(() => Int, { description: 'The client’s motivation to act on it, 1 (barely) to 5 (eager).' })
  @IsInt()
  @Min(1)
  @Max(5)
  motivationScore: number;
}
