import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { AccessTokenClaims, Principal, PrincipalVerifier, Role } from '#cairn/shared/auth';
import { prepareQuery, TenantDatabase } from '#cairn/shared/database';
import { RequestContext } from '#cairn/shared/tenancy';
import { ApiKeyService } from './api-keys/api-key.service.js';
import { IdentityErrors } from './identity.errors.js';
import { UserStatus } from './users/user.entity.js';

/**
 * Checks that a signed token still speaks for someone: the user exists and is active, and a token minted
 * with an API key dies with the key. The tenant is the token's own (its signature was verified).
 */
interface CredentialRow {
  role: Role;
  status: UserStatus;
  alive: boolean;
  key_scopes: string[] | null;
}

/** A token minted with an API key: the user, and whether the key is unrevoked (with its scopes). */
const KEY_CREDENTIAL = prepareQuery((db, p: { userId: string; keyId: string }) =>
  db
    .selectFrom('users as u')
    .where('u.id', '=', p.userId)
    .leftJoin('api_keys as k', (join) => join.on('k.id', '=', p.keyId))
    .select((eb) => ['u.role', 'u.status', eb('k.revoked_at', 'is', null).as('alive'), 'k.scopes as key_scopes'])
    .$castTo<CredentialRow>(),
);

/** A person's token: the user, and whether its login session is unrevoked. */
const SESSION_CREDENTIAL = prepareQuery((db, p: { userId: string; sessionId: string | null }) =>
  db
    .selectFrom('users as u')
    .where('u.id', '=', p.userId)
    .select((eb) => [
      'u.role',
      'u.status',
      sql<string[] | null>`NULL`.as('key_scopes'),
      eb
        .exists(
          eb
            .selectFrom('refresh_tokens as t')
            .select(sql.lit(1).as('one'))
            .where('t.family_id', '=', p.sessionId)
            .whereRef('t.user_id', '=', 'u.id')
            .where('t.revoked_at', 'is', null),
        )
        .as('alive'),
    ])
    .$castTo<CredentialRow>(),
);

@Injectable()
export class IdentityPrincipalVerifier extends PrincipalVerifier {
  constructor(
    private readonly tenantDb: TenantDatabase,
    private readonly apiKeys: ApiKeyService,
  ) {
    super();
  }

  /**
   * One statement, in the request's shared read transaction and sent with its BEGIN: the user with their
   * status, and whether the token's login session (or the API key it was minted with) is still alive. Checked
   * on every request, so a logout, a deactivation or a revoked key stops the token at once. The statements
   * are built once (prepareQuery): building them cost more CPU than the database spends on them.
   */
  verifyAccessToken(claims: AccessTokenClaims): Promise<Principal> {
    return RequestContext.runAs({ tenantId: claims.tid, userId: claims.sub }, () =>
      // A person's token lives only as long as its login session; tokens without one are from before sids.
      this.tenantDb.readStartingWith<CredentialRow, Principal>(
        claims.act
          ? KEY_CREDENTIAL.with({ userId: claims.sub, keyId: claims.act })
          : SESSION_CREDENTIAL.with({ userId: claims.sub, sessionId: claims.sid ?? null }),
        ([row], tx) => {
          if (!row) throw IdentityErrors.tokenRevoked();
          if (row.status !== UserStatus.ACTIVE) throw IdentityErrors.accountDeactivated();
          if (!claims.act) {
            if (!claims.sid || !row.alive) throw IdentityErrors.sessionEnded();
            return { kind: 'user', tenantId: tx.tenantId, userId: claims.sub, role: row.role, apiKeyId: undefined, scopes: null };
          }
          if (!row.alive || !row.key_scopes) throw IdentityErrors.apiKeyRevoked();
          // A minted token can never do more than its key can do now.
          const scopes = (claims.scp ?? []).filter((s) => row.key_scopes!.includes(s));
          return { kind: 'user', tenantId: tx.tenantId, userId: claims.sub, role: row.role, apiKeyId: claims.act, scopes };
        },
      ),
    );
  }

  verifyApiKey(rawKey: string): Promise<Principal> {
    return this.apiKeys.authenticate(rawKey);
  }
}
