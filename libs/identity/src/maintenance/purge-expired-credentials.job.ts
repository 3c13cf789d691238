import { Injectable } from '@nestjs/common';
import { LessThan } from 'typeorm';
import { SystemDatabase } from '#cairn/shared/database';
import { JobHandler } from '#cairn/shared/queue';
import { RefreshToken } from '../sessions/refresh-token.entity.js';

/** Refresh tokens are kept a week past expiry (for reuse forensics), then deleted, across all tenants. */
export const EXPIRED_TOKEN_RETENTION_MS = 7 * 86_400_000;

@Injectable()
export class PurgeExpiredCredentialsJob {
  constructor(private readonly systemDb: SystemDatabase) {}

  @JobHandler('identity.purge-expired-credentials')
  async run(): Promise<{ deleted: number }> {
    const cutoff = new Date(Date.now() - EXPIRED_TOKEN_RETENTION_MS);
    const result = await this.systemDb.transaction((m) => m.delete(RefreshToken, { expiresAt: LessThan(cutoff) }));
    return { deleted: result.affected ?? 0 };
  }
}
