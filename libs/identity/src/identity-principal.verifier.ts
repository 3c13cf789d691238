import { Injectable } from '@nestjs/common';
import { AccessTokenClaims, Principal, PrincipalVerifier } from '#cairn/shared/auth';
import { TenantDatabase } from '#cairn/shared/database';
import { RequestContext } from '#cairn/shared/tenancy';
import { ApiKey } from './api-keys/api-key.entity.js';
import { ApiKeyService } from './api-keys/api-key.service.js';
import { IdentityErrors } from './identity.errors.js';
import { SessionService } from './sessions/session.service.js';
import { User, UserStatus } from './users/user.entity.js';

/**
 * Checks that a signed token still speaks for someone: the user exists and is active, and a token minted
 * with an API key dies with the key. The tenant is the token's own (its signature was verified).
 */
@Injectable()
export class IdentityPrincipalVerifier extends PrincipalVerifier {
  constructor(
    private readonly tenantDb: TenantDatabase,
    private readonly apiKeys: ApiKeyService,
    private readonly sessions: SessionService,
  ) {
    super();
  }

  verifyAccessToken(claims: AccessTokenClaims): Promise<Principal> {
    return RequestContext.runAs({ tenantId: claims.tid, userId: claims.sub }, () =>
      this.tenantDb.transaction(async (tx) => {
        const user = await tx.repo(User).findOne({ id: claims.sub });
        if (!user) throw IdentityErrors.tokenRevoked();
        if (user.status !== UserStatus.ACTIVE) throw IdentityErrors.accountDeactivated();
        let scopes: Principal['scopes'] = null;
        if (!claims.act) {
          // A person's token lives only as long as its login session; tokens without one are from before sids.
          if (!claims.sid || !(await this.sessions.isOpen(tx, user.id, claims.sid))) throw IdentityErrors.sessionEnded();
        } else {
          const key = await tx.repo(ApiKey).findOne({ id: claims.act });
          if (!key || key.revokedAt) throw IdentityErrors.apiKeyRevoked();
          // A minted token can never do more than its key can do now.
          scopes = (claims.scp ?? []).filter((s) => key.scopes.includes(s));
        }
        return { kind: 'user', tenantId: tx.tenantId, userId: user.id, role: user.role, apiKeyId: claims.act, scopes };
      }),
    );
  }

  verifyApiKey(rawKey: string): Promise<Principal> {
    return this.apiKeys.authenticate(rawKey);
  }
}
