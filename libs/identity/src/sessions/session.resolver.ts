import { Args, ID, Mutation, Resolver } from '@nestjs/graphql';
import {
  ApiScope,
  ClientAddress,
  CurrentPrincipal,
  parseOpaqueToken,
  type Principal,
  Public,
  RequireScopes,
  Roles,
  Self,
  SignInLimiter,
} from '#cairn/shared/auth';
import { IdPipe } from '#cairn/shared/graphql';
import { ClientTokenService } from './client-token.service.js';
import { AccessTokenPayload, AuthPayload } from './dto/auth-payload.type.js';
import { ChangePasswordInput, LoginInput, RefreshSessionInput } from './dto/login.input.js';
import { LoginPayload } from './dto/login-payload.type.js';
import { REFRESH_PREFIX, SessionService } from './session.service.js';

@Resolver()
export class SessionResolver {
  constructor(
    private readonly sessions: SessionService,
    private readonly clientTokens: ClientTokenService,
    private readonly limits: SignInLimiter,
  ) {}

  @Public()
  @Mutation(() => LoginPayload, {
    description:
      'A session, or with MFA `mfaRequired` and a challenge for `completeMfaLogin`. Too many failed attempts for the account or from the address: RATE_LIMITED (retryAfterSeconds).',
  })
  login(@Args('input') input: LoginInput, @ClientAddress() address: string | undefined): Promise<LoginPayload> {
    const account = `${input.firmSlug}\n${input.email.toLowerCase()}`;
    return this.limits.guard('login', account, address, () => this.sessions.login(input));
  }

  @Public()
  @Mutation(() => AuthPayload, {
    description:
      'Trades a refresh token for a new pair. Reusing a refresh token revokes the whole login. Too many failed attempts: RATE_LIMITED.',
  })
  refreshSession(
    @Args('input') input: RefreshSessionInput,
    @ClientAddress() address: string | undefined,
  ): Promise<AuthPayload> {
    const account = parseOpaqueToken(REFRESH_PREFIX, input.refreshToken)?.id ?? input.refreshToken;
    return this.limits.guard('refresh-session', account, address, () => this.sessions.refresh(input.refreshToken));
  }

  @Public()
  @Mutation(() => Boolean, { description: 'Ends the login the refresh token belongs to. Always returns true.' })
  async logout(@Args('input') input: RefreshSessionInput): Promise<boolean> {
    await this.sessions.logout(input.refreshToken);
    return true;
  }

  @Self()
  @Mutation(() => AuthPayload, {
    description:
      'Sets a new password (the current one is required). Ends every session of the user, this one included, and returns a fresh one. Too many wrong current passwords: RATE_LIMITED.',
  })
  changePassword(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: ChangePasswordInput,
    @ClientAddress() address: string | undefined,
  ): Promise<AuthPayload> {
    // A stolen access token must not become a way to guess the password and take the account over.
    const userId = principal.userId as string;
    return this.limits.guard('change-password', userId, address, () => this.sessions.changePassword(userId, input));
  }

  @Roles() // no person may call it: only an API key holding clients:act
  @RequireScopes(ApiScope.CLIENTS_ACT)
  @Mutation(() => AccessTokenPayload, {
    description: 'API keys only: a short-lived access token acting as the given client, limited to the key’s scopes.',
  })
  actAsClient(
    @CurrentPrincipal() principal: Principal,
    @Args('clientId', { type: () => ID }, IdPipe) clientId: string,
  ): Promise<AccessTokenPayload> {
    return this.clientTokens.mint(principal, clientId);
  }
}
