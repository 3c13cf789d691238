import { Injectable } from '@nestjs/common';
import { IsNull } from 'typeorm';
import {
  formatOpaqueToken,
  hashSecret,
  newSecret,
  parseOpaqueToken,
  Principal,
  scopeName,
  secretMatches,
} from '#cairn/shared/auth';
import { AuditAction, AuditSubjectType, AuditTrail, userActor } from '#cairn/shared/audit';
import { SystemDatabase, TenantDatabase } from '#cairn/shared/database';
import { asNode, ConnectionArgs, ConnectionShape, paginate } from '#cairn/shared/graphql';
import { IdentityErrors } from '../identity.errors.js';
import { ApiKey } from './api-key.entity.js';
import { CreateApiKeyInput, CreatedApiKey } from './dto/create-api-key.input.js';

const API_KEY_PREFIX = 'cak';
// Recording every use would turn each partner request into a write; a minute's precision is plenty.
const LAST_USED_PRECISION_MS = 60_000;

@Injectable()
export class ApiKeyService {
  constructor(
    private readonly tenantDb: TenantDatabase,
    private readonly systemDb: SystemDatabase,
  ) {}

  create(input: CreateApiKeyInput, createdByUserId: string): Promise<CreatedApiKey> {
    return this.tenantDb.transaction(async (tx) => {
      const secret = newSecret();
      const saved = await tx.repo(ApiKey).insert({
        name: input.name.trim(),
        scopes: input.scopes,
        secretHash: hashSecret(secret),
        createdByUserId,
      });
      await AuditTrail.record(tx, {
        action: AuditAction.API_KEY_CREATED,
        actor: userActor(createdByUserId),
        subject: { type: AuditSubjectType.API_KEY, id: saved.id },
        details: { scopes: input.scopes.map(scopeName) },
      });
      const { secretHash: _hidden, ...apiKey } = saved;
      return { apiKey: apiKey as ApiKey, secret: formatOpaqueToken(API_KEY_PREFIX, saved.id, secret) };
    });
  }

  revoke(id: string, revokedByUserId: string): Promise<ApiKey> {
    return this.tenantDb.transaction(async (tx) => {
      const key = await tx.repo(ApiKey).findOne({ id });
      if (!key) throw IdentityErrors.apiKeyNotFound();
      if (!key.revokedAt) {
        key.revokedAt = new Date();
        await tx.repo(ApiKey).update({ id }, { revokedAt: key.revokedAt });
        await AuditTrail.record(tx, {
          action: AuditAction.API_KEY_REVOKED,
          actor: userActor(revokedByUserId),
          subject: { type: AuditSubjectType.API_KEY, id },
        });
      }
      return key;
    });
  }

  list(args: ConnectionArgs): Promise<ConnectionShape<ApiKey>> {
    return this.tenantDb.transaction((tx) =>
      paginate(
        tx.db
          .selectFrom('api_keys as k')
          .select([
            'k.id',
            'k.name',
            'k.scopes',
            'k.created_by_user_id as createdByUserId',
            'k.created_at as createdAt',
            'k.last_used_at as lastUsedAt',
            'k.revoked_at as revokedAt',
          ]),
        'k',
        args,
        { node: asNode(ApiKey) },
      ),
    );
  }

  /** Scopes of a key that is still valid, for minting client tokens; null when revoked or gone. */
  async activeScopes(id: string): Promise<ApiKey['scopes'] | null> {
    const key = await this.tenantDb.transaction((tx) => tx.repo(ApiKey).findOne({ id, revokedAt: IsNull() }));
    return key?.scopes ?? null;
  }

  /** Resolves a raw key to its tenant; runs before any tenant is known, hence SystemDatabase. */
  async authenticate(rawKey: string): Promise<Principal> {
    const parsed = parseOpaqueToken(API_KEY_PREFIX, rawKey);
    if (!parsed) throw IdentityErrors.invalidApiKey();
    return this.systemDb.transaction(async (_m, db) => {
      const key = await db
        .selectFrom('api_keys')
        .select(['id', 'tenant_id', 'scopes', 'secret_hash', 'last_used_at', 'revoked_at'])
        .where('id', '=', parsed.id)
        .executeTakeFirst();
      // Unknown, wrong and revoked keys: one path, one answer.
      const matches = secretMatches(parsed.secret, key?.secret_hash);
      if (!key || !matches || key.revoked_at) throw IdentityErrors.invalidApiKey();
      if (!key.last_used_at || Date.now() - key.last_used_at.getTime() > LAST_USED_PRECISION_MS) {
        await db
          .updateTable('api_keys')
          .set({ last_used_at: new Date() })
          .where('id', '=', key.id)
          .where('tenant_id', '=', key.tenant_id)
          .execute();
      }
      return {
        kind: 'api_key',
        tenantId: key.tenant_id,
        apiKeyId: key.id,
        scopes: key.scopes as ApiKey['scopes'],
      };
    });
  }
}
