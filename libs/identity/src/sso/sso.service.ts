import { Injectable, Logger } from '@nestjs/common';
import * as oidc from 'openid-client';
import { IsNull } from 'typeorm';
import { AuditAction, recordPolicyChange } from '#cairn/shared/audit';
import {
  formatOpaqueToken,
  hashSecret,
  newSecret,
  parseOpaqueToken,
  type Principal,
  SecretBox,
  secretMatches,
} from '#cairn/shared/auth';
import { AppConfig } from '#cairn/shared/config';
import { isUniqueViolation, SystemDatabase, TenantDatabase, TenantTransaction } from '#cairn/shared/database';
import { AppError } from '#cairn/shared/graphql';
import { addressesOf, isPrivateAddress } from '#cairn/shared/net';
import { RequestContext } from '#cairn/shared/tenancy';
import { Firm } from '../firms/firm.entity.js';
import { IdentityErrors } from '../identity.errors.js';
import { Invitation } from '../invitations/invitation.entity.js';
import { AuthPayload } from '../sessions/dto/auth-payload.type.js';
import { SessionService } from '../sessions/session.service.js';
import { recordSignInFailure } from '../sessions/sign-in-audit.js';
import { User, UserStatus } from '../users/user.entity.js';
import { ConfigureSsoInput, SsoConfiguration } from './dto/sso-configuration.type.js';

export const SSO_CODE_PREFIX = 'sso';
/** How long a browser has between starting at Cairn and coming back from the identity provider. */
const SIGN_IN_TTL_MS = 10 * 60_000;
/** How long the frontend has to trade the one-time code for a session. */
const CODE_TTL_MS = 2 * 60_000;
const DISCOVERY_TIMEOUT_SECONDS = 10;

/** Why a sign-in that reached the callback did not produce a code; the frontend gets it as `?error=`. */
export type SsoRefusal =
  | 'access_denied'
  | 'sso_disabled'
  | 'browser_mismatch'
  | 'provider_error'
  | 'email_not_verified'
  | 'wrong_domain'
  | 'no_account'
  | 'account_linked_elsewhere'
  | 'account_deactivated';

/** Where the callback sends the browser: the firm's page with a code or an error, or nowhere (unknown sign-in). */
export type CallbackOutcome = { redirect: string } | { refused: string };

interface StoredConfiguration {
  issuer: string;
  client_id: string;
  client_secret: string;
  email_domain: string;
  return_url: string;
  enabled: boolean;
  require_sso: boolean;
  updated_at: Date;
}

/** The issuer resolves to an address SSO_ALLOW_PRIVATE_ISSUERS would have to allow. */
class PrivateIssuer extends Error {}

class Refused extends Error {
  constructor(readonly reason: SsoRefusal) {
    super(reason);
  }
}

/**
 * OpenID Connect sign-in per firm (authorization code flow with PKCE, state and nonce, through openid-client).
 * The browser starts at `GET /auth/sso/<firmSlug>/start`; the provider sends it back to `GET /auth/sso/callback`,
 * which verifies the ID token (issuer, audience, nonce, signature), requires a verified email of the firm's
 * domain, and finds that firm's user: by the linked provider account, else by email (then linked), else by an
 * open invitation (accepted: the user is created). Nobody else gets an account. The browser then returns to the
 * firm's page with a one-time code that `completeSsoSignIn` trades for Cairn's usual session, so no token is
 * ever put in a URL.
 */
@Injectable()
export class SsoService {
  private readonly logger = new Logger('SingleSignOn');

  constructor(
    private readonly tenantDb: TenantDatabase,
    private readonly systemDb: SystemDatabase,
    private readonly box: SecretBox,
    private readonly sessions: SessionService,
    private readonly config: AppConfig,
  ) {}

  get callbackUrl(): string {
    return `${this.config.publicBaseUrl}/auth/sso/callback`;
  }

  async configure(principal: Principal, input: ConfigureSsoInput): Promise<SsoConfiguration> {
    const issuer = input.issuer.trim().replace(/\/$/, '');
    if (!issuer.startsWith('https://') && !this.config.SSO_ALLOW_HTTP_ISSUERS) throw IdentityErrors.ssoIssuerNotHttps();
    try {
      await this.discover(issuer, input.clientId, input.clientSecret);
    } catch (error) {
      if (error instanceof PrivateIssuer) throw IdentityErrors.ssoIssuerPrivate();
      throw IdentityErrors.ssoIssuerUnreachable(error instanceof Error ? error.message : String(error));
    }
    const values = {
      issuer,
      client_id: input.clientId,
      client_secret: this.box.seal(input.clientSecret),
      email_domain: input.emailDomain.toLowerCase(),
      return_url: input.returnUrl,
      enabled: input.enabled,
      require_sso: input.requireSso ?? false,
    };
    return this.tenantDb.transaction(async (tx) => {
      const updated = await tx.db
        .updateTable('sso_configurations')
        .set((eb) => ({ ...values, updated_at: new Date(), version: eb('version', '+', 1) }))
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) === 0) {
        try {
          await tx.db.insertInto('sso_configurations').values(values).execute();
        } catch (error) {
          if (isUniqueViolation(error)) throw AppError.conflict('The single sign-on configuration changed meanwhile; try again');
          throw error;
        }
      }
      await recordPolicyChange(tx, principal, AuditAction.SSO_CONFIG_CHANGED, {
        enabled: values.enabled,
        requireSso: values.require_sso,
      });
      return (await this.get(tx))!;
    });
  }

  /** The firm's configuration without its secret, or null when it has none. */
  configuration(): Promise<SsoConfiguration | null> {
    return this.tenantDb.transaction((tx) => this.get(tx));
  }

  /** The provider's authorization URL for a new sign-in to the firm, and the state to bind to the browser. */
  async start(firmSlug: string): Promise<{ url: string; state: string } | null> {
    const firm = await this.systemDb.transaction((m) => m.findOne(Firm, { where: { slug: firmSlug } }));
    if (!firm) return null;
    return RequestContext.runAs({ tenantId: firm.id }, () =>
      this.tenantDb.transaction(async (tx) => {
        const stored = await this.stored(tx);
        if (!stored?.enabled) return null;
        const provider = await this.discover(stored.issuer, stored.client_id, this.box.open(stored.client_secret));
        const verifier = oidc.randomPKCECodeVerifier();
        const state = oidc.randomState();
        const nonce = oidc.randomNonce();
        await tx.db
          .insertInto('sso_sign_ins')
          .values({
            state_hash: hashSecret(state),
            nonce,
            code_verifier: this.box.seal(verifier),
            expires_at: new Date(Date.now() + SIGN_IN_TTL_MS),
          })
          .execute();
        const url = oidc.buildAuthorizationUrl(provider, {
          redirect_uri: this.callbackUrl,
          scope: 'openid email profile',
          code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
          code_challenge_method: 'S256',
          state,
          nonce,
        });
        return { url: url.href, state };
      }),
    );
  }

  /**
   * The provider's redirect back: `query` is the callback's query string, `browserState` the state the start
   * left in this browser's cookie. A sign-in is used once, whatever the outcome.
   */
  async callback(query: URLSearchParams, browserState: string | undefined): Promise<CallbackOutcome> {
    const state = query.get('state');
    const found = state
      ? await this.systemDb.transaction((_m, db) =>
          db.selectFrom('sso_sign_ins').select(['id', 'tenant_id']).where('state_hash', '=', hashSecret(state)).executeTakeFirst(),
        )
      : undefined;
    if (!state || !found) return { refused: 'Unknown sign-in: start again from your firm’s sign-in page' };
    return RequestContext.runAs({ tenantId: found.tenant_id }, async () => {
      // Claimed in a transaction of its own, so a replay is refused even when this attempt fails later.
      const signIn = await this.tenantDb.transaction((tx) =>
        tx.db
          .updateTable('sso_sign_ins')
          .set({ called_back_at: new Date() })
          .where('id', '=', found.id)
          .where('called_back_at', 'is', null)
          .where('expires_at', '>', new Date())
          .returning(['id', 'nonce', 'code_verifier'])
          .executeTakeFirst(),
      );
      if (!signIn) return { refused: 'This sign-in was already used or has expired: start again' };
      const stored = await this.tenantDb.transaction((tx) => this.stored(tx));
      if (!stored) return { refused: 'Single sign-on is not configured for this firm' };
      const back = (params: Record<string, string>) => {
        const url = new URL(stored.return_url);
        for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
        return { redirect: url.href };
      };
      try {
        if (!stored.enabled) throw new Refused('sso_disabled');
        // The browser that comes back must be the one that started: else a sign-in link could be planted.
        if (browserState !== state) throw new Refused('browser_mismatch');
        if (query.get('error')) throw new Refused('access_denied');
        const who = await this.verifiedEmail(stored, query, signIn);
        const code = newSecret();
        await this.tenantDb.transaction(async (tx) => {
          const user = await this.userFor(tx, stored.issuer, who);
          await tx.db
            .updateTable('sso_sign_ins')
            .set({ user_id: user.id, code_hash: hashSecret(code), code_expires_at: new Date(Date.now() + CODE_TTL_MS) })
            .where('id', '=', signIn.id)
            .execute();
        });
        return back({ code: formatOpaqueToken(SSO_CODE_PREFIX, signIn.id, code) });
      } catch (error) {
        const reason: SsoRefusal = error instanceof Refused ? error.reason : 'provider_error';
        if (!(error instanceof Refused)) {
          this.logger.warn(`Sign-in ${signIn.id} failed at the provider: ${error instanceof Error ? error.message : error}`);
        }
        // Committed on its own: the refusal is what the trail must show. Whoever tried is not known.
        await this.tenantDb.transaction((tx) => recordSignInFailure(tx, undefined, reason.toUpperCase(), 'SSO'));
        return back({ error: reason });
      }
    });
  }

  /** Trades the one-time code the callback gave the browser for a session; the code works once, briefly. */
  async complete(rawCode: string): Promise<AuthPayload> {
    const parsed = parseOpaqueToken(SSO_CODE_PREFIX, rawCode);
    if (!parsed) throw IdentityErrors.invalidSsoCode();
    const tenantId = await this.systemDb.transaction(
      async (_m, db) =>
        (await db.selectFrom('sso_sign_ins').select('tenant_id').where('id', '=', parsed.id).executeTakeFirst())?.tenant_id,
    );
    if (!tenantId) throw IdentityErrors.invalidSsoCode();
    return RequestContext.runAs({ tenantId }, () =>
      this.tenantDb.transaction(async (tx) => {
        const claimed = await tx.db
          .updateTable('sso_sign_ins')
          .set({ completed_at: new Date() })
          .where('id', '=', parsed.id)
          .where('completed_at', 'is', null)
          .where('code_expires_at', '>', new Date())
          .returning(['user_id', 'code_hash'])
          .executeTakeFirst();
        if (!claimed?.user_id || !secretMatches(parsed.secret, claimed.code_hash)) throw IdentityErrors.invalidSsoCode();
        const user = await tx.repo(User).findOne({ id: claimed.user_id });
        if (!user || user.status !== UserStatus.ACTIVE) throw IdentityErrors.accountDeactivated();
        return this.sessions.signIn(tx, user, {}, AuditAction.SSO_SIGN_IN);
      }),
    );
  }

  /** The code exchange and ID token checks (openid-client), then Cairn's own: a verified email of the domain. */
  private async verifiedEmail(
    stored: StoredConfiguration,
    query: URLSearchParams,
    signIn: { nonce: string; code_verifier: string },
  ): Promise<{ email: string; subject: string }> {
    const provider = await this.discover(stored.issuer, stored.client_id, this.box.open(stored.client_secret));
    const current = new URL(this.callbackUrl);
    current.search = query.toString();
    const tokens = await oidc.authorizationCodeGrant(provider, current, {
      pkceCodeVerifier: this.box.open(signIn.code_verifier),
      expectedState: query.get('state')!,
      expectedNonce: signIn.nonce,
      idTokenExpected: true,
    });
    const idToken = tokens.claims()!;
    // Providers that keep the ID token small put the email in userinfo, which is fetched for the same subject.
    const claims =
      idToken.email === undefined ? await oidc.fetchUserInfo(provider, tokens.access_token, idToken.sub) : idToken;
    if (claims.email_verified !== true || typeof claims.email !== 'string') throw new Refused('email_not_verified');
    const email = claims.email.toLowerCase();
    if (!email.endsWith(`@${stored.email_domain}`)) throw new Refused('wrong_domain');
    return { email, subject: idToken.sub };
  }

  /**
   * The firm's user this provider account signs in as. The link (issuer + subject) wins over the email, so an
   * account whose email changes at the provider stays the same person and cannot take over another's.
   */
  private async userFor(tx: TenantTransaction, issuer: string, who: { email: string; subject: string }): Promise<User> {
    const linked = await tx.db
      .selectFrom('sso_identities')
      .select(['id', 'user_id'])
      .where('issuer', '=', issuer)
      .where('subject', '=', who.subject)
      .executeTakeFirst();
    let user: User | null;
    if (linked) {
      user = await tx.repo(User).findOne({ id: linked.user_id });
      await tx.db.updateTable('sso_identities').set({ last_used_at: new Date() }).where('id', '=', linked.id).execute();
    } else {
      user = (await tx.repo(User).findOne({ email: who.email })) ?? (await this.acceptInvitation(tx, who.email));
      if (!user) throw new Refused('no_account');
      const other = await tx.db
        .selectFrom('sso_identities')
        .select('id')
        .where('user_id', '=', user.id)
        .where('issuer', '=', issuer)
        .executeTakeFirst();
      if (other) throw new Refused('account_linked_elsewhere');
      await tx.db
        .insertInto('sso_identities')
        .values({ user_id: user.id, issuer, subject: who.subject, last_used_at: new Date() })
        .execute();
    }
    if (!user || user.status !== UserStatus.ACTIVE) throw new Refused('account_deactivated');
    return user;
  }

  /** Just-in-time: the open invitation for this email is accepted and its user created (no password). */
  private async acceptInvitation(tx: TenantTransaction, email: string): Promise<User | null> {
    const invitation = await tx.repo(Invitation).findOne({ email, acceptedAt: IsNull(), revokedAt: IsNull() });
    if (!invitation || invitation.expiresAt.getTime() <= Date.now()) return null;
    const claimed = await tx
      .repo(Invitation)
      .update({ id: invitation.id, acceptedAt: IsNull(), revokedAt: IsNull() }, { acceptedAt: new Date() });
    if (claimed === 0) return null;
    return tx.repo(User).insert({
      email,
      displayName: invitation.displayName,
      role: invitation.role,
      status: UserStatus.ACTIVE,
      passwordHash: null,
    });
  }

  private async get(tx: TenantTransaction): Promise<SsoConfiguration | null> {
    const stored = await this.stored(tx);
    if (!stored) return null;
    const firm = await tx.db.selectFrom('tenants').select('slug').executeTakeFirstOrThrow();
    return {
      issuer: stored.issuer,
      clientId: stored.client_id,
      emailDomain: stored.email_domain,
      returnUrl: stored.return_url,
      enabled: stored.enabled,
      requireSso: stored.require_sso,
      callbackUrl: this.callbackUrl,
      startUrl: `${this.config.publicBaseUrl}/auth/sso/${firm.slug}/start`,
      updatedAt: stored.updated_at,
    };
  }

  private stored(tx: TenantTransaction): Promise<StoredConfiguration | undefined> {
    return tx.db
      .selectFrom('sso_configurations')
      .select(['issuer', 'client_id', 'client_secret', 'email_domain', 'return_url', 'enabled', 'require_sso', 'updated_at'])
      .executeTakeFirst();
  }

  /** The provider's metadata; first, unless allowed, its host must not be this machine or an internal network. */
  private async discover(issuer: string, clientId: string, clientSecret: string): Promise<oidc.Configuration> {
    if (!this.config.SSO_ALLOW_PRIVATE_ISSUERS && (await addressesOf(new URL(issuer).hostname)).some(isPrivateAddress)) {
      throw new PrivateIssuer();
    }
    return oidc.discovery(new URL(issuer), clientId, undefined, oidc.ClientSecretBasic(clientSecret), {
      execute: this.config.SSO_ALLOW_HTTP_ISSUERS ? [oidc.allowInsecureRequests] : [],
      timeout: DISCOVERY_TIMEOUT_SECONDS,
    });
  }
}
