import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { type Principal, type SupporterTokenClaims, SupporterVerifier } from '#cairn/shared/auth';
import { prepareQuery, TenantDatabase } from '#cairn/shared/database';
import { RequestContext } from '#cairn/shared/tenancy';
import { SupporterErrors } from '../supporters.errors.js';

interface SupporterCredentialRow {
  client_id: string;
  alive: boolean;
}

/**
 * The supporter, their session and the firm's switch in one statement: the session open and unexpired, the
 * supporter not revoked, the client still active and supporters still on. Read on every request (sent with the
 * request's BEGIN), so a revocation or the firm's switch stops the token at once.
 */
const SUPPORTER_CREDENTIAL = prepareQuery((db, p: { supporterId: string; sessionId: string; clientId: string }) =>
  db
    .selectFrom('supporters as s')
    .innerJoin('users as u', 'u.id', 's.client_id')
    .where('s.id', '=', p.supporterId)
    .where('s.client_id', '=', p.clientId)
    .select((eb) => [
      's.client_id',
      eb
        .and([
          eb('s.revoked_at', 'is', null),
          eb('u.status', '=', 'ACTIVE'),
          eb.exists(
            eb
              .selectFrom('supporter_sessions as ss')
              .select(sql.lit(1).as('one'))
              .where('ss.id', '=', p.sessionId)
              .whereRef('ss.supporter_id', '=', 's.id')
              .where('ss.revoked_at', 'is', null)
              .where('ss.expires_at', '>', sql<Date>`now()`),
          ),
          eb.not(
            eb.exists(
              eb.selectFrom('supporter_policies as sp').select(sql.lit(1).as('one')).where(sql<boolean>`NOT sp.enabled`),
            ),
          ),
        ])
        .as('alive'),
    ])
    .$castTo<SupporterCredentialRow>(),
);

@Injectable()
export class SupporterSessionVerifier extends SupporterVerifier {
  constructor(private readonly tenantDb: TenantDatabase) {
    super();
  }

  verifySupporterToken(claims: SupporterTokenClaims): Promise<Principal> {
    return RequestContext.runAs({ tenantId: claims.tid }, () =>
      this.tenantDb.readStartingWith<SupporterCredentialRow, Principal>(
        SUPPORTER_CREDENTIAL.with({ supporterId: claims.sub, sessionId: claims.sid, clientId: claims.cid }),
        ([row], tx) => {
          if (!row?.alive) throw SupporterErrors.sessionEnded();
          return { kind: 'supporter', tenantId: tx.tenantId, supporterId: claims.sub, clientId: row.client_id, scopes: null };
        },
      ),
    );
  }
}
