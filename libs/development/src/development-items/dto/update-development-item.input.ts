import { Field, ID, InputType, Int } from '@nestjs/graphql';
import { IsEnum, IsInt, IsOptional, IsString, IsUUID, MinLength, Max, MaxLength, Min } from 'class-validator';
import { DevelopmentCategory, DevelopmentSource } from '../development-item.enums.js';
import { DISMISS_REASON_MAX, ITEM_NOTES_MAX, ITEM_TITLE_MAX } from './add-development-item.input.js';

@InputType()
export class DevelopmentItemVersionInput {
  @Field(() => ID)
  @IsUUID()
  id: string;

  @Field(() => Int, { description: 'The `version` you read; a different current one is a CONFLICT.' })
  @IsInt()
  @Min(1)
  expectedVersion: number;
}

/** Omitted fields stay as they are; `notes: null` clears the notes. Only OPEN items can be edited. */
@InputType()
export class UpdateDevelopmentItemInput extends DevelopmentItemVersionInput {
  @Field(() => DevelopmentCategory, { nullable: true })
  @IsOptional()
  @IsEnum(DevelopmentCategory)
  category?: DevelopmentCategory;

  @Field(() => DevelopmentSource, { nullable: true })
  @IsOptional()
  @IsEnum(DevelopmentSource)
  source?: DevelopmentSource;

  @Field({ nullable: true, description: `1 to ${ITEM_TITLE_MAX} characters.` })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(ITEM_TITLE_MAX)
  title?: string;

  @Field(() => String, { nullable: true, description: `Up to ${ITEM_NOTES_MAX} characters; null clears.` })
  @IsOptional()
  @IsString()
  @MaxLength(ITEM_NOTES_MAX)
  notes?: string | null;

  @Field(() => Int, { nullable: true, description: '1 to 5.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(5)
  valueScore?: number;

  @Field(() => Int, { nullable: true, description: '1 to 5.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(5)
  motivationScore?: number;
}

@InputType()
export class DismissDevelopmentItemInput extends DevelopmentItemVersionInput {
  @Field({ nullable: true, description: `Why it was set aside; up to ${DISMISS_REASON_MAX} characters.` })
  @IsOptional()
  @IsString()
  @MaxLength(DISMISS_REASON_MAX)
  reason?: string;
}
