import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { IsNull } from 'typeorm';
import { AppConfig } from '#cairn/shared/config';
import {
  AccessTokenService,
  formatOpaqueToken,
  hashSecret,
  newSecret,
  parseOpaqueToken,
  PasswordHasher,
  secretMatches,
} from '#cairn/shared/auth';
import { AuditAction, AuditTrail, userActor } from '#cairn/shared/audit';
import { SystemDatabase, TenantDatabase, TenantTransaction } from '#cairn/shared/database';
import { RequestContext } from '#cairn/shared/tenancy';
import { Firm } from '../firms/firm.entity.js';
import { IdentityErrors } from '../identity.errors.js';
import { User, UserStatus } from '../users/user.entity.js';
import { userWithPassword } from '../users/user-with-password.js';
import { challengeLoginPayload, MfaChallenges, NO_MFA } from '../mfa/mfa-challenges.js';
import { lacksRequiredFactor } from '../mfa/mfa-policy.js';
import { AuthPayload } from './dto/auth-payload.type.js';
import { LoginPayload } from './dto/login-payload.type.js';
import { ChangePasswordInput, LoginInput } from './dto/login.input.js';
import { RefreshToken } from './refresh-token.entity.js';
import { recordSignIn, recordSignInFailure } from './sign-in-audit.js';
import { refusePasswordSignIn } from '../sso/sso-policy.js';

export const REFRESH_PREFIX = 'crt';

@Injectable()
export class SessionService {
  constructor(
    private readonly tenantDb: TenantDatabase,
    private readonly systemDb: SystemDatabase,
    private readonly accessTokens: AccessTokenService,
    private readonly passwords: PasswordHasher,
    private readonly config: AppConfig,
    private readonly mfaChallenges: MfaChallenges,
  ) {}

  /** Starts a new login (a new refresh-token family) for a user inside the caller's transaction. */
  async issue(tx: TenantTransaction, user: User, familyId: string = randomUUID()): Promise<AuthPayload> {
    const secret = newSecret();
    const expiresAt = new Date(Date.now() + this.config.REFRESH_TOKEN_TTL_DAYS * 86_400_000);
    const row = await tx.repo(RefreshToken).insert({
      userId: user.id,
      familyId,
      secretHash: hashSecret(secret),
      expiresAt,
    });
    const access = await this.accessTokens.issue({ sub: user.id, tid: tx.tenantId, role: user.role, sid: familyId });
    return {
      accessToken: access.token,
      accessTokenExpiresAt: access.expiresAt,
      refreshToken: formatOpaqueToken(REFRESH_PREFIX, row.id, secret),
      refreshTokenExpiresAt: expiresAt,
      user,
    };
  }

  async login(input: LoginInput): Promise<LoginPayload> {
    // The firm is found by slug before any tenant is known: one of SystemDatabase's few uses.
    const firm = await this.systemDb.transaction((m) => m.findOne(Firm, { where: { slug: input.firmSlug } }));
    if (!firm) {
      await this.passwords.verify(null, input.password);
      throw IdentityErrors.invalidLogin();
    }
    return RequestContext.runAs({ tenantId: firm.id }, async () => {
      // A failure is recorded in the audit trail and committed, then thrown.
      const outcome = await this.tenantDb.transaction(async (tx) => {
        const user = await userWithPassword(tx, { email: input.email.toLowerCase() });
        const ok = await this.passwords.verify(user?.passwordHash, input.password);
        const failure = !user || !ok ? 'invalid' : user.status !== UserStatus.ACTIVE ? 'deactivated' : undefined;
        if (failure || !user) {
          const reason = failure === 'deactivated' ? 'DEACTIVATED' : user ? 'WRONG_PASSWORD' : 'UNKNOWN_ACCOUNT';
          await recordSignInFailure(tx, user?.id, reason);
          return { kind: failure ?? 'invalid', payload: undefined };
        }
        await refusePasswordSignIn(tx, user.role);
        delete (user as Partial<User>).passwordHash;
        const challenge = await this.mfaChallenges.openFor(tx, user);
        if (challenge) return { kind: 'ok', payload: challengeLoginPayload(challenge) };
        return { kind: 'ok', payload: { ...(await this.signIn(tx, user)), ...NO_MFA } };
      });
      if (outcome.kind === 'deactivated') throw IdentityErrors.accountDeactivated();
      if (!outcome.payload) throw IdentityErrors.invalidLogin();
      return outcome.payload;
    });
  }

  /**
   * The end of a successful sign-in, with or without a second factor (`details` says which), by password or
   * through the firm's identity provider (`action`).
   */
  async signIn(
    tx: TenantTransaction,
    user: User,
    details: Record<string, string> = {},
    action?: Parameters<typeof recordSignIn>[3],
  ): Promise<AuthPayload> {
    user.lastLoginAt = new Date();
    await tx.repo(User).update({ id: user.id }, { lastLoginAt: user.lastLoginAt });
    await recordSignIn(tx, user.id, details, action);
    return this.issue(tx, user);
  }

  async refresh(rawToken: string): Promise<AuthPayload> {
    const parsed = parseOpaqueToken(REFRESH_PREFIX, rawToken);
    if (!parsed) throw IdentityErrors.invalidRefreshToken();
    const tenantId = await this.tenantOf(parsed.id);
    if (!tenantId) throw IdentityErrors.invalidRefreshToken();

    return RequestContext.runAs({ tenantId }, async () => {
      const outcome = await this.tenantDb.transaction(async (tx) => {
        const tokens = tx.repo(RefreshToken);
        const current = await tokens.findOne({ id: parsed.id });
        const matches = secretMatches(parsed.secret, current?.secretHash);
        if (!current || !matches || current.revokedAt || current.expiresAt.getTime() <= Date.now()) {
          return { kind: 'invalid' as const };
        }
        // Claim the token atomically: of two concurrent refreshes with one token, exactly one wins.
        const claimed = await tokens.update({ id: current.id, usedAt: IsNull() }, { usedAt: new Date() });
        if (claimed === 0) {
          await tokens.update({ familyId: current.familyId, revokedAt: IsNull() }, { revokedAt: new Date() });
          return { kind: 'reused' as const };
        }
        const user = await tx.repo(User).findOne({ id: current.userId });
        if (!user || user.status !== UserStatus.ACTIVE) return { kind: 'invalid' as const };
        // A session from before the firm required a second factor of this role (or from accepting an
        // invitation) ends here: signing in again enrols them.
        if (await lacksRequiredFactor(tx, user)) {
          await tokens.update({ familyId: current.familyId, revokedAt: IsNull() }, { revokedAt: new Date() });
          return { kind: 'factor-required' as const };
        }
        return { kind: 'ok' as const, payload: await this.issue(tx, user, current.familyId) };
      });
      // Thrown after commit so the family revocation is kept.
      if (outcome.kind === 'factor-required') throw IdentityErrors.secondFactorRequired();
      if (outcome.kind === 'reused') throw IdentityErrors.refreshTokenReused();
      if (outcome.kind === 'invalid') throw IdentityErrors.invalidRefreshToken();
      return outcome.payload;
    });
  }

  /** Revokes the whole login the token belongs to. Unknown tokens are ignored so nothing leaks. */
  async logout(rawToken: string): Promise<void> {
    const parsed = parseOpaqueToken(REFRESH_PREFIX, rawToken);
    const tenantId = parsed && (await this.tenantOf(parsed.id));
    if (!parsed || !tenantId) return;
    await RequestContext.runAs({ tenantId }, () =>
      this.tenantDb.transaction(async (tx) => {
        const token = await tx.repo(RefreshToken).findOne({ id: parsed.id });
        const matches = secretMatches(parsed.secret, token?.secretHash);
        if (!token || !matches) return;
        await tx.repo(RefreshToken).update({ familyId: token.familyId, revokedAt: IsNull() }, { revokedAt: new Date() });
      }),
    );
  }

  async revokeAllForUser(tx: TenantTransaction, userId: string): Promise<void> {
    await tx.repo(RefreshToken).update({ userId, revokedAt: IsNull() }, { revokedAt: new Date() });
  }

  /** Sets a new password after checking the current one; every session of the user ends and a new one starts. */
  async changePassword(userId: string, input: ChangePasswordInput): Promise<AuthPayload> {
    const passwordHash = await this.passwords.hash(input.newPassword);
    return this.tenantDb.transaction(async (tx) => {
      const user = await userWithPassword(tx, { id: userId }, true);
      if (!user || user.status !== UserStatus.ACTIVE) throw IdentityErrors.tokenRevoked();
      if (!(await this.passwords.verify(user.passwordHash, input.currentPassword))) {
        throw IdentityErrors.wrongCurrentPassword();
      }
      await tx.repo(User).update({ id: user.id }, { passwordHash });
      await this.revokeAllForUser(tx, user.id);
      await AuditTrail.record(tx, { action: AuditAction.PASSWORD_CHANGED, actor: userActor(user.id) });
      delete (user as Partial<User>).passwordHash;
      return this.issue(tx, user);
    });
  }

  private tenantOf(tokenId: string): Promise<string | undefined> {
    return this.systemDb.transaction(async (m) => {
      const row = await m.findOne(RefreshToken, { where: { id: tokenId }, select: { id: true, tenantId: true } });
      return row?.tenantId;
    });
  }
}
