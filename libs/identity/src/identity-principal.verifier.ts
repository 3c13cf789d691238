import { Injectable } from '@nestjs/common';
import { AccessTokenClaims, Principal, PrincipalVerifier, Role } from '#cairn/shared/auth';
import { TenantDatabase } from '#cairn/shared/database';
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
   * on every request, so a logout, a deactivation or a revoked key stops the token at once.
   */
  verifyAccessToken(claims: AccessTokenClaims): Promise<Principal> {
    return RequestContext.runAs({ tenantId: claims.tid, userId: claims.sub }, () =>
      this.tenantDb.readStartingWith<CredentialRow, Principal>(
        {
          text: claims.act
            ? `SELECT u.role, u.status, k.revoked_at IS NULL AS alive, k.scopes AS key_scopes
                 FROM users u LEFT JOIN api_keys k ON k.tenant_id = u.tenant_id AND k.id = $3
                WHERE u.tenant_id = $1 AND u.id = $2`
            : `SELECT u.role, u.status, NULL AS key_scopes, EXISTS (SELECT 1 FROM refresh_tokens t
                 WHERE t.tenant_id = u.tenant_id AND t.family_id = $3 AND t.user_id = u.id AND t.revoked_at IS NULL) AS alive
                 FROM users u WHERE u.tenant_id = $1 AND u.id = $2`,
          // A person's token lives only as long as its login session; tokens without one are from before sids.
          values: [claims.tid, claims.sub, claims.act ?? claims.sid ?? null],
        },
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
