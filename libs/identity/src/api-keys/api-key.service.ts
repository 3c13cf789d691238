import { Injectable } from '@nestjs/common';
import { IsNull } from 'typeorm';
import {
  formatOpaqueToken,
  hashSecret,
  newSecret,
  parseOpaqueToken,
  Principal,
  secretMatches,
} from '#cairn/shared/auth';
import { SystemDatabase, TenantDatabase } from '#cairn/shared/database';
import { ConnectionArgs, ConnectionShape, paginate } from '#cairn/shared/graphql';
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
      const { secretHash: _hidden, ...apiKey } = saved;
      return { apiKey: apiKey as ApiKey, secret: formatOpaqueToken(API_KEY_PREFIX, saved.id, secret) };
    });
  }

  revoke(id: string): Promise<ApiKey> {
    return this.tenantDb.transaction(async (tx) => {
      const key = await tx.repo(ApiKey).findOne({ id });
      if (!key) throw IdentityErrors.apiKeyNotFound();
      if (!key.revokedAt) {
        key.revokedAt = new Date();
        await tx.repo(ApiKey).update({ id }, { revokedAt: key.revokedAt });
      }
      return key;
    });
  }

  list(args: ConnectionArgs): Promise<ConnectionShape<ApiKey>> {
    return this.tenantDb.transaction((tx) => paginate(tx.repo(ApiKey).queryBuilder('k'), 'k', args));
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
    return this.systemDb.transaction(async (m) => {
      const key = await m
        .createQueryBuilder(ApiKey, 'k')
        .addSelect('k.secretHash')
        .where('k.id = :id', { id: parsed.id })
        .getOne();
      // Unknown, wrong and revoked keys: one path, one answer.
      const matches = secretMatches(parsed.secret, key?.secretHash);
      if (!key || !matches || key.revokedAt) throw IdentityErrors.invalidApiKey();
      if (!key.lastUsedAt || Date.now() - key.lastUsedAt.getTime() > LAST_USED_PRECISION_MS) {
        await m.update(ApiKey, { id: key.id, tenantId: key.tenantId }, { lastUsedAt: new Date() });
      }
      return { kind: 'api_key', tenantId: key.tenantId, apiKeyId: key.id, scopes: key.scopes };
    });
  }
}
