import { Field, ID, InputType, Int, IntersectionType, OmitType, PartialType } from '@nestjs/graphql';
import { IsInt, IsOptional, IsString, IsUUID, MaxLength, Min } from 'class-validator';
import {
  AddDevelopmentItemInput,
  DISMISS_REASON_MAX,
  ITEM_NOTES_MAX,
  ITEM_TITLE_MAX,
} from './add-development-item.input.js';

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

/**
 * Omitted fields stay as they are; `notes: null` clears the notes. Only OPEN items can be edited.
 * addDevelopmentItem's fields, each optional (a null passes validation and leaves the field as it is, as before).
 */
@InputType()
export class UpdateDevelopmentItemInput extends IntersectionType(
  DevelopmentItemVersionInput,
  PartialType(OmitType(AddDevelopmentItemInput, ['clientId'] as const)),
) {
  // Descriptions that differ from addDevelopmentItem's.
  @Field({ nullable: true, description: `1 to ${ITEM_TITLE_MAX} characters.` })
  override title?: string;

  @Field(() => String, { nullable: true, description: `Up to ${ITEM_NOTES_MAX} characters; null clears.` })
  override notes?: string | null;

  @Field(() => Int, { nullable: true, description: '1 to 5.' })
  override valueScore?: number;

  @Field(() => Int, { nullable: true, description: '1 to 5.' })
  override motivationScore?: number;
}

@InputType()
export class DismissDevelopmentItemInput extends DevelopmentItemVersionInput {
  @Field({ nullable: true, description: `Why it was set aside; up to ${DISMISS_REASON_MAX} characters.` })
  @IsOptional()
  @IsString()
  @MaxLength(DISMISS_REASON_MAX)
  reason?: string;
}
