import { Field, ID, InputType } from '@nestjs/graphql';
import { IsEmail, IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import { LocalDateScalar } from '#cairn/shared/graphql';

export const PROFILE_TEXT_MAX = 120;

@InputType()
export class CreateClientInput {
  @Field()
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  email: string;

  @Field({ description: `1 to ${PROFILE_TEXT_MAX} characters.` })
  @IsString()
  @MinLength(1)
  @MaxLength(PROFILE_TEXT_MAX)
  displayName: string;

  @Field(() => String, { nullable: true, description: 'IANA time zone; the firm default applies when empty.' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  timezone?: string | null;

  @Field(() => String, { nullable: true, description: `Up to ${PROFILE_TEXT_MAX} characters.` })
  @IsOptional()
  @IsString()
  @MaxLength(PROFILE_TEXT_MAX)
  jobTitle?: string | null;

  @Field(() => String, { nullable: true, description: `Up to ${PROFILE_TEXT_MAX} characters.` })
  @IsOptional()
  @IsString()
  @MaxLength(PROFILE_TEXT_MAX)
  organization?: string | null;

  @Field(() => ID, {
    nullable: true,
    description: 'Primary coach. Required for admins and API keys; a coach who creates a client becomes it.',
  })
  @IsOptional()
  @IsUUID()
  coachId?: string;

  @Field(() => LocalDateScalar, { nullable: true, description: 'Start of the engagement; default today.' })
  @IsOptional()
  startsOn?: string;
}
