import { Injectable } from '@nestjs/common';
import {
  AccessTokenService,
  formatOpaqueToken,
  hashSecret,
  newSecret,
  parseOpaqueToken,
  secretMatches,
} from '#cairn/shared/auth';
import { AppConfig } from '#cairn/shared/config';
import { SystemDatabase, TenantDatabase, type TenantTransaction } from '#cairn/shared/database';
import { RequestContext } from '#cairn/shared/tenancy';
import { supportersEnabled } from '../policy/supporter-policy.js';
import { SupporterErrors } from '../supporters.errors.js';
import { LINK_PREFIX } from '../supporters/supporter-links.js';
import { SupporterSession } from './supporter-session.types.js';

export const SESSION_PREFIX = 'sps';

/**
 * Supporters sign in without a password: a link (single use, expiring) becomes a session, whose refresh token
 * rotates on every use. A supporter token works like a client token limited to the supporter operations and
 * to one client; the credential check reads its session on every request (SupporterSessionVerifier).
 */
@Injectable()
export class SupporterSessionService {
  constructor(
    private readonly systemDb: SystemDatabase,
    private readonly tenantDb: TenantDatabase,
    private readonly accessTokens: AccessTokenService,
    private readonly config: AppConfig,
  ) {}

  exchangeLink(token: string): Promise<SupporterSession> {
    const parsed = parseOpaqueToken(LINK_PREFIX, token);
    if (!parsed) throw SupporterErrors.invalidLink();
    return this.asTenantOf('supporter_links', parsed.id, SupporterErrors.invalidLink, (tx) =>
      this.claimLink(tx, parsed.id, parsed.secret),
    );
  }

  async refresh(refreshToken: string): Promise<SupporterSession> {
    const parsed = parseOpaqueToken(SESSION_PREFIX, refreshToken);
    if (!parsed) throw SupporterErrors.invalidSession();
    // The refusal is thrown after commit: ending a leaked session must not roll back with the error.
    const outcome = await this.asTenantOf('supporter_sessions', parsed.id, SupporterErrors.invalidSession, async (tx) => {
      const session = await tx.db
        .selectFrom('supporter_sessions as ss')
        .innerJoin('supporters as s', 's.id', 'ss.supporter_id')
        .select(['ss.id', 'ss.secret_hash', 'ss.expires_at', 'ss.revoked_at', 's.id as supporter_id', 's.client_id', 's.revoked_at as supporter_revoked_at'])
        .where('ss.id', '=', parsed.id)
        .forUpdate('ss')
        .executeTakeFirst();
      if (!secretMatches(parsed.secret, session?.secret_hash) || !session) {
        // A known session with the wrong secret: an old refresh token presented again, so it leaked. End it.
        if (session) await tx.db.updateTable('supporter_sessions').set({ revoked_at: new Date() }).where('id', '=', session.id).execute();
        return null;
      }
      if (session.revoked_at || session.supporter_revoked_at || session.expires_at.getTime() <= Date.now()) return null;
      if (!(await supportersEnabled(tx))) return null;
      const secret = newSecret();
      await tx.db.updateTable('supporter_sessions').set({ secret_hash: hashSecret(secret) }).where('id', '=', session.id).execute();
      return this.tokens(tx, { sessionId: session.id, supporterId: session.supporter_id, clientId: session.client_id, secret, expiresAt: session.expires_at });
    });
    if (!outcome) throw SupporterErrors.invalidSession();
    return outcome;
  }

  /** Ends the session of this refresh token; unknown or ended ones are a no-op (true either way). */
  async end(refreshToken: string): Promise<boolean> {
    const parsed = parseOpaqueToken(SESSION_PREFIX, refreshToken);
    if (!parsed) return true;
    try {
      await this.asTenantOf('supporter_sessions', parsed.id, SupporterErrors.invalidSession, async (tx) => {
        const session = await tx.db.selectFrom('supporter_sessions').select('secret_hash').where('id', '=', parsed.id).executeTakeFirst();
        if (secretMatches(parsed.secret, session?.secret_hash)) {
          await tx.db.updateTable('supporter_sessions').set({ revoked_at: new Date() }).where('id', '=', parsed.id).where('revoked_at', 'is', null).execute();
        }
      });
    } catch {
      // Unknown session: nothing to end.
    }
    return true;
  }

  private async claimLink(tx: TenantTransaction, linkId: string, secret: string): Promise<SupporterSession> {
    const link = await tx.db
      .selectFrom('supporter_links as l')
      .innerJoin('supporters as s', 's.id', 'l.supporter_id')
      .innerJoin('users as u', 'u.id', 's.client_id')
      .select(['l.secret_hash', 'l.expires_at', 'l.used_at', 's.id as supporter_id', 's.client_id', 's.revoked_at', 'u.status'])
      .where('l.id', '=', linkId)
      .executeTakeFirst();
    const matches = secretMatches(secret, link?.secret_hash);
    if (!link || !matches || link.used_at || link.revoked_at || link.expires_at.getTime() <= Date.now() || link.status !== 'ACTIVE') {
      throw SupporterErrors.invalidLink();
    }
    if (!(await supportersEnabled(tx))) throw SupporterErrors.invalidLink();
    // Claim first: of two concurrent exchanges, one gets the session and the other is refused.
    const claimed = await tx.db
      .updateTable('supporter_links')
      .set({ used_at: new Date() })
      .where('id', '=', linkId)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    if (claimed.numUpdatedRows === 0n) throw SupporterErrors.invalidLink();
    const sessionSecret = newSecret();
    const expiresAt = new Date(Date.now() + this.config.REFRESH_TOKEN_TTL_DAYS * 86_400_000);
    const session = await tx.db
      .insertInto('supporter_sessions')
      .values({ supporter_id: link.supporter_id, secret_hash: hashSecret(sessionSecret), expires_at: expiresAt })
      .returning('id')
      .executeTakeFirstOrThrow();
    return this.tokens(tx, { sessionId: session.id, supporterId: link.supporter_id, clientId: link.client_id, secret: sessionSecret, expiresAt });
  }

  private async tokens(
    tx: TenantTransaction,
    s: { sessionId: string; supporterId: string; clientId: string; secret: string; expiresAt: Date },
  ): Promise<SupporterSession> {
    const access = await this.accessTokens.issueSupporter({ sub: s.supporterId, tid: tx.tenantId, sid: s.sessionId, cid: s.clientId });
    return {
      accessToken: access.token,
      accessTokenExpiresAt: access.expiresAt,
      refreshToken: formatOpaqueToken(SESSION_PREFIX, s.sessionId, s.secret),
      refreshTokenExpiresAt: s.expiresAt,
    };
  }

  /** The row's firm, looked up before any tenant is known (the token is the only credential), then its work. */
  private async asTenantOf<T>(
    table: 'supporter_links' | 'supporter_sessions',
    id: string,
    invalid: () => Error,
    work: (tx: TenantTransaction) => Promise<T>,
  ): Promise<T> {
    const row = await this.systemDb.transaction((_m, db) =>
      db.selectFrom(table).select('tenant_id').where('id', '=', id).executeTakeFirst(),
    );
    if (!row) {
      // The same hashing work as a known token, so unknown ones cannot be told apart by time.
      secretMatches('x', undefined);
      throw invalid();
    }
    return RequestContext.runAs({ tenantId: row.tenant_id }, () => this.tenantDb.transaction(work));
  }
}
