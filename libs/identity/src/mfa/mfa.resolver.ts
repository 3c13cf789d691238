import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { IdPipe } from '#cairn/shared/graphql';
import {
  ClientAddress,
  CurrentPrincipal,
  type Principal,
  Public,
  Role,
  Roles,
  Self,
  SignInLimiter,
} from '#cairn/shared/auth';
import {
  CompleteMfaLoginInput,
  ConfirmMfaEnrolmentInput,
  MfaChallengeInput,
  MfaCodeInput,
  MfaEnrolment,
  MfaLoginPayload,
  MfaPolicy,
  MfaRecoveryCodes,
  MfaStatus,
  UpdateMfaPolicyInput,
} from './dto/mfa.inputs.js';
import { MfaPolicyService } from './mfa-policy.service.js';
import { MfaService } from './mfa.service.js';

/** Every operation that checks a code counts failures with the sign-in limiter, per person and per address. */
@Resolver()
export class MfaResolver {
  constructor(
    private readonly mfa: MfaService,
    private readonly policy: MfaPolicyService,
    private readonly limits: SignInLimiter,
  ) {}

  @Self()
  @Query(() => MfaStatus, { description: 'Whether the signed-in person signs in with a second factor.' })
  mfaStatus(@CurrentPrincipal() principal: Principal): Promise<MfaStatus> {
    return this.mfa.status(principal.userId as string, principal.role as Role);
  }

  @Self()
  @Mutation(() => MfaEnrolment, {
    description: 'Starts TOTP enrolment (replacing one not yet confirmed). MFA already on: CONFLICT.',
  })
  beginMfaEnrolment(@CurrentPrincipal() principal: Principal): Promise<MfaEnrolment> {
    return this.mfa.begin(principal.userId as string);
  }

  @Public()
  @Mutation(() => MfaEnrolment, {
    description:
      'Starts enrolment for a person the firm requires MFA of, with the challenge `login` returned (`mfaEnrolmentRequired`); finish with `completeMfaLogin`.',
  })
  beginMfaEnrolmentAtSignIn(@Args('input') input: MfaChallengeInput): Promise<MfaEnrolment> {
    return this.mfa.beginAtSignIn(input.challengeToken);
  }

  @Self()
  @Mutation(() => MfaRecoveryCodes, {
    description: 'Turns MFA on with a first code; answers the recovery codes, once.',
  })
  confirmMfaEnrolment(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: ConfirmMfaEnrolmentInput,
    @ClientAddress() address: string | undefined,
  ): Promise<MfaRecoveryCodes> {
    const userId = principal.userId as string;
    return this.limits.guard('mfa', userId, address, () => this.mfa.confirm(userId, input.code));
  }

  @Self()
  @Mutation(() => MfaStatus, {
    description:
      'Turns MFA off with a code or a recovery code. FORBIDDEN while the firm requires it for your role.',
  })
  disableMfa(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: MfaCodeInput,
    @ClientAddress() address: string | undefined,
  ): Promise<MfaStatus> {
    const userId = principal.userId as string;
    return this.limits.guard('mfa', userId, address, () =>
      this.mfa.disable(userId, principal.role as Role, input),
    );
  }

  @Roles(Role.ADMIN)
  @Mutation(() => MfaStatus, {
    description:
      'Admins only. Turns off another person’s MFA when they lost their authenticator and recovery codes; their next ' +
      'sign-in enrols them again if the firm requires it. Not your own (disableMfa). No MFA on: CONFLICT.',
  })
  resetUserMfa(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID }, IdPipe) id: string,
  ): Promise<MfaStatus> {
    return this.mfa.reset(id, principal.userId as string);
  }

  @Self()
  @Mutation(() => MfaRecoveryCodes, {
    description: 'New recovery codes after a code from the app; the old ones stop working.',
  })
  regenerateRecoveryCodes(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: ConfirmMfaEnrolmentInput,
    @ClientAddress() address: string | undefined,
  ): Promise<MfaRecoveryCodes> {
    const userId = principal.userId as string;
    return this.limits.guard('mfa', userId, address, () =>
      this.mfa.regenerateRecoveryCodes(userId, input.code),
    );
  }

  @Public()
  @Mutation(() => MfaLoginPayload, {
    description:
      'The second step of `login`: the challenge token and a code (or a recovery code) give the session. Wrong code: BAD_USER_INPUT naming the field; bad, expired or used challenge: UNAUTHENTICATED; too many failures: RATE_LIMITED.',
  })
  async completeMfaLogin(
    @Args('input') input: CompleteMfaLoginInput,
    @ClientAddress() address: string | undefined,
  ): Promise<MfaLoginPayload> {
    const account = await this.mfa.accountOf(input.challengeToken);
    return this.limits.guard('mfa', account, address, () => this.mfa.completeLogin(input));
  }

  @Roles(Role.ADMIN)
  @Query(() => MfaPolicy, { description: 'Roles the firm requires a second factor of.' })
  mfaPolicy(): Promise<MfaPolicy> {
    return this.policy.get();
  }

  @Roles(Role.ADMIN)
  @Mutation(() => MfaPolicy, {
    description:
      'Requires a second factor of ADMIN and/or COACH (an empty list: nobody). Applies from each person’s next sign-in, which then enrols them first.',
  })
  updateMfaPolicy(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: UpdateMfaPolicyInput,
  ): Promise<MfaPolicy> {
    return this.policy.set(principal, input.requiredFor);
  }
}
