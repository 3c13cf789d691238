import { Injectable } from '@nestjs/common';
import { LessThan } from 'typeorm';
import { SystemDatabase } from '#cairn/shared/database';
import { JobHandler } from '#cairn/shared/queue';
import { RefreshToken } from '../sessions/refresh-token.entity.js';

/** Refresh tokens are kept a week past expiry (for reuse forensics), then deleted, across all tenants. */
export const EXPIRED_TOKEN_RETENTION_MS = 7 * 86_400_000;
const SSO_SIGN_IN_RETENTION_MS = 86_400_000;

@Injectable()
export class PurgeExpiredCredentialsJob {
  constructor(private readonly systemDb: SystemDatabase) {}

  @JobHandler('identity.purge-expired-credentials')
  async run(): Promise<{ deleted: number; ssoSignIns: number }> {
    const cutoff = new Date(Date.now() - EXPIRED_TOKEN_RETENTION_MS);
    const result = await this.systemDb.transaction((m) => m.delete(RefreshToken, { expiresAt: LessThan(cutoff) }));
    // Single sign-ins live ten minutes; a day later nothing can come of them.
    const signIns = await this.systemDb.transaction((_m, db) =>
      db.deleteFrom('sso_sign_ins').where('expires_at', '<', new Date(Date.now() - SSO_SIGN_IN_RETENTION_MS)).executeTakeFirst(),
    );
    return { deleted: result.affected ?? 0, ssoSignIns: Number(signIns.numDeletedRows) };
  }
}
