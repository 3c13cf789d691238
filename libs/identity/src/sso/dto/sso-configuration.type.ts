import { Field, InputType, ObjectType } from '@nestjs/graphql';
import { IsBoolean, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';

@ObjectType({ description: 'The firm’s OpenID Connect sign-in. The client secret is never shown again.' })
export class SsoConfiguration {
  @Field({ description: 'The identity provider’s issuer URL (its discovery document is read from it).' })
  issuer: string;

  @Field({ description: 'The client id Cairn has at the identity provider.' })
  clientId: string;

  @Field({ description: 'Only verified emails of this domain sign in, e.g. summit.example.' })
  emailDomain: string;

  @Field({ description: 'The firm frontend page the browser returns to, with `?code=sso_…` (or `?error=…`).' })
  returnUrl: string;

  @Field()
  enabled: boolean;

  @Field({ description: 'While enabled, people other than ADMINs cannot sign in or accept an invitation with a password.' })
  requireSso: boolean;

  @Field({ description: 'Register this as the redirect URI at the identity provider.' })
  callbackUrl: string;

  @Field({ description: 'Where a browser starts signing in to this firm.' })
  startUrl: string;

  @Field()
  updatedAt: Date;
}

@InputType()
export class ConfigureSsoInput {
  @Field({ description: 'https:// issuer URL of the identity provider; its discovery must answer now.' })
  @IsString()
  @MaxLength(500)
  @Matches(/^https?:\/\/[^\s?#]+$/, { message: 'issuer must be an http(s) URL without query or fragment' })
  issuer: string;

  @Field()
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  clientId: string;

  @Field({ description: 'Stored sealed; never readable back.' })
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  clientSecret: string;

  @Field({ description: 'The email domain of the firm’s people at the identity provider, e.g. summit.example.' })
  @IsString()
  @MaxLength(253)
  @Matches(/^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$/i, { message: 'emailDomain must be a domain name, e.g. summit.example' })
  emailDomain: string;

  @Field({ description: 'The firm frontend page that takes `?code=` and calls completeSsoSignIn.' })
  @IsString()
  @MaxLength(2000)
  @Matches(/^https?:\/\/[^\s#]+$/, { message: 'returnUrl must be an http(s) URL without a fragment' })
  returnUrl: string;

  @Field()
  @IsBoolean()
  enabled: boolean;

  @Field({
    nullable: true,
    description:
      'true: while enabled, only ADMINs may sign in (or accept an invitation) with a password; everyone else through the provider. Default false.',
  })
  @IsOptional()
  @IsBoolean()
  requireSso?: boolean;
}
