import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, type Principal, Public, Role, Roles } from '#cairn/shared/auth';
import { AuthPayload } from '../sessions/dto/auth-payload.type.js';
import { ConfigureSsoInput, SsoConfiguration } from './dto/sso-configuration.type.js';
import { SsoService } from './sso.service.js';

@Resolver()
export class SsoResolver {
  constructor(private readonly sso: SsoService) {}

  @Roles(Role.ADMIN)
  @Query(() => SsoConfiguration, { nullable: true, description: 'The firm’s single sign-on, without its secret; null when none.' })
  ssoConfiguration(): Promise<SsoConfiguration | null> {
    return this.sso.configuration();
  }

  @Roles(Role.ADMIN)
  @Mutation(() => SsoConfiguration, {
    description:
      'Sets the firm’s OpenID Connect provider (replacing any). The issuer’s discovery is read now: failing, BAD_USER_INPUT on issuer.',
  })
  configureSso(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: ConfigureSsoInput,
  ): Promise<SsoConfiguration> {
    return this.sso.configure(principal, input);
  }

  @Public()
  @Mutation(() => AuthPayload, {
    description:
      'Trades the one-time `sso_…` code the sign-in callback put in the return URL for a session (once, within 2 minutes).',
  })
  // No sign-in limit: the code is 256 random bits, used once, and lives 2 minutes (nothing to guess).
  completeSsoSignIn(@Args('code') code: string): Promise<AuthPayload> {
    return this.sso.complete(code);
  }
}
