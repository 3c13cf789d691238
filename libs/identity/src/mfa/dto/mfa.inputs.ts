import { Field, InputType, ObjectType } from '@nestjs/graphql';
import { ArrayUnique, IsEnum, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { Role } from '#cairn/shared/auth';
import { AuthPayload } from '../../sessions/dto/auth-payload.type.js';

export const TOTP_CODE = /^\d{6}$/;
export const RECOVERY_CODE = /^[a-z2-7]{4}(-?[a-z2-7]{4}){3}$/i;

@InputType({ description: 'A code from the authenticator app, or one of the recovery codes: exactly one.' })
export class MfaCodeInput {
  @Field({ nullable: true, description: 'The 6 digits the authenticator app shows now.' })
  @IsOptional()
  @Matches(TOTP_CODE, { message: 'code must be 6 digits' })
  code?: string;

  @Field({ nullable: true, description: 'An unused recovery code (`xxxx-xxxx-xxxx-xxxx`); each works once.' })
  @IsOptional()
  @Matches(RECOVERY_CODE, { message: 'recoveryCode is not a recovery code' })
  recoveryCode?: string;
}

@InputType()
export class ConfirmMfaEnrolmentInput {
  @Field({ description: 'The 6 digits the authenticator app shows after scanning the provisioning URI.' })
  @Matches(TOTP_CODE, { message: 'code must be 6 digits' })
  code: string;
}

@InputType()
export class CompleteMfaLoginInput extends MfaCodeInput {
  @Field({ description: 'The `mfaChallengeToken` `login` returned.' })
  @IsString()
  @MaxLength(200)
  challengeToken: string;
}

@InputType()
export class MfaChallengeInput {
  @Field({ description: 'The `mfaChallengeToken` `login` returned with `mfaEnrolmentRequired`.' })
  @IsString()
  @MaxLength(200)
  challengeToken: string;
}

@InputType()
export class UpdateMfaPolicyInput {
  @Field(() => [Role], {
    description: 'Roles whose people must sign in with a second factor: ADMIN and/or COACH.',
  })
  @ArrayUnique()
  @IsEnum(Role, { each: true })
  requiredFor: Role[];
}

@ObjectType({
  description:
    'Scan `provisioningUri` (or type `secret`) into an authenticator app, then confirm with a code.',
})
export class MfaEnrolment {
  @Field({ description: 'otpauth:// URI, for a QR code.' })
  provisioningUri: string;

  @Field({ description: 'The same secret in base32, for typing in.' })
  secret: string;
}

@ObjectType()
export class MfaRecoveryCodes {
  @Field(() => [String], { description: 'Shown once: Cairn keeps only their hashes. Each works once.' })
  recoveryCodes: string[];
}

@ObjectType()
export class MfaStatus {
  @Field({ description: 'Sign-in asks for a code.' })
  enabled: boolean;

  @Field({ description: 'The firm requires MFA for this person’s role.' })
  required: boolean;

  @Field({ description: 'Unused recovery codes left.' })
  recoveryCodesLeft: number;
}

@ObjectType()
export class MfaPolicy {
  @Field(() => [Role], { description: 'Roles that must sign in with a second factor.' })
  requiredFor: Role[];
}

@ObjectType({
  description: 'A session after the second factor; `recoveryCodes` only when this sign-in also enrolled.',
})
export class MfaLoginPayload extends AuthPayload {
  @Field(() => [String], {
    nullable: true,
    description: 'Shown once, when the sign-in completed an enrolment the firm required.',
  })
  recoveryCodes?: string[];
}
