import { Field, InputType } from '@nestjs/graphql';
import { IsEmail, IsString, IsTimeZone, Matches, MaxLength, MinLength } from 'class-validator';

export const PASSWORD_MIN_LENGTH = 12;

@InputType()
export class SignUpFirmInput {
  @Field()
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  firmName: string;

  @Field({ description: '3–50 characters: lower-case letters, digits and inner hyphens. Used to log in.' })
  @Matches(/^[a-z0-9][a-z0-9-]{1,48}[a-z0-9]$/, {
    message: 'firmSlug must be 3-50 lower-case letters, digits or inner hyphens',
  })
  firmSlug: string;

  @Field({ description: 'IANA time zone, e.g. Europe/Berlin.' })
  @IsTimeZone({ message: 'timezone must be an IANA time zone such as Europe/Berlin' })
  timezone: string;

  @Field()
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  adminName: string;

  @Field()
  @IsEmail({}, { message: 'adminEmail must be an email address' })
  @MaxLength(254)
  adminEmail: string;

  @Field({ description: `At least ${PASSWORD_MIN_LENGTH} characters.` })
  @IsString()
  @MinLength(PASSWORD_MIN_LENGTH)
  @MaxLength(200)
  adminPassword: string;
}
