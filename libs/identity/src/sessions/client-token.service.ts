import { Injectable } from '@nestjs/common';
import { AccessTokenService, ApiScope, Principal, Role } from '#cairn/shared/auth';
import { AuditAction, auditActorOf, AuditSubjectType, AuditTrail } from '#cairn/shared/audit';
import { TenantDatabase } from '#cairn/shared/database';
import { ApiKeyService } from '../api-keys/api-key.service.js';
import { IdentityErrors } from '../identity.errors.js';
import { User, UserStatus } from '../users/user.entity.js';
import { AccessTokenPayload } from './dto/auth-payload.type.js';

/**
 * Lets a partner backend, holding an API key, act as one of the firm's clients (e.g. to render a client's
 * check-ins in the partner's own app). The token carries the key's scopes minus the power to mint more.
 */
@Injectable()
export class ClientTokenService {
  constructor(
    private readonly tenantDb: TenantDatabase,
    private readonly apiKeys: ApiKeyService,
    private readonly accessTokens: AccessTokenService,
  ) {}

  async mint(principal: Principal, clientId: string): Promise<AccessTokenPayload> {
    const keyId = principal.apiKeyId as string;
    // The mint is recorded with the lookup: a token the caller never received leaves an entry, never the reverse.
    const client = await this.tenantDb.transaction(async (tx) => {
      const found = await tx.repo(User).findOne({ id: clientId, role: Role.CLIENT, status: UserStatus.ACTIVE });
      if (found) {
        await AuditTrail.record(tx, {
          action: AuditAction.CLIENT_TOKEN_MINTED,
          actor: auditActorOf(principal),
          subject: { type: AuditSubjectType.USER, id: found.id },
        });
      }
      return found;
    });
    if (!client) throw IdentityErrors.clientNotFound();
    const keyScopes = (await this.apiKeys.activeScopes(keyId)) ?? [];
    const scopes = keyScopes.filter((s) => s !== ApiScope.CLIENTS_ACT);
    const issued = await this.accessTokens.issue({
      sub: client.id,
      tid: client.tenantId,
      role: Role.CLIENT,
      act: keyId,
      scp: scopes,
    });
    return { accessToken: issued.token, expiresAt: issued.expiresAt };
  }
}
