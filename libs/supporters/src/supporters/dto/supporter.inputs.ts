import { Field, ID, InputType } from '@nestjs/graphql';
import { IsBoolean, IsEmail, IsEnum, IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import { SupporterRelationship } from '../supporter.enums.js';

export const NAME_MAX = 120;
export const CONSENT_NOTE_MAX = 500;

@InputType()
export class InviteSupporterInput {
  @Field(() => ID)
  @IsUUID()
  clientId: string;

  @Field()
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  email: string;

  @Field({ description: `1 to ${NAME_MAX} characters.` })
  @IsString()
  @MinLength(1)
  @MaxLength(NAME_MAX)
  displayName: string;

  @Field(() => SupporterRelationship)
  @IsEnum(SupporterRelationship)
  relationship: SupporterRelationship;

  @Field(() => String, { nullable: true, description: 'The supporter’s IANA zone (their digest’s clock).' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  timezone?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'Coaches only, and required for them: the client agreed to this invitation.',
  })
  @IsOptional()
  @IsBoolean()
  clientConsent?: boolean | null;

  @Field(() => String, { nullable: true, description: `How the client consented (coaches), up to ${CONSENT_NOTE_MAX} characters.` })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(CONSENT_NOTE_MAX)
  consentNote?: string | null;
}

@InputType()
export class GoalShareInput {
  @Field(() => ID)
  @IsUUID()
  supporterId: string;

  @Field(() => ID)
  @IsUUID()
  goalId: string;
}
