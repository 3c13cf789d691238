import { Injectable } from '@nestjs/common';
import { LessThan } from 'typeorm';
import { SystemDatabase } from '#cairn/shared/database';
import { JobHandler } from '#cairn/shared/queue';
import { RefreshToken } from '../sessions/refresh-token.entity.js';

/**
 * Refresh tokens and MFA challenges are kept a week past expiry (for reuse forensics), then deleted, across all
 * tenants.
 */
export const EXPIRED_TOKEN_RETENTION_MS = 7 * 86_400_000;
const SSO_SIGN_IN_RETENTION_MS = 86_400_000;

@Injectable()
export class PurgeExpiredCredentialsJob {
  constructor(private readonly systemDb: SystemDatabase) {}

  @JobHandler('identity.purge-expired-credentials')
  async run(): Promise<{ deleted: number; ssoSignIns: number }> {
    const cutoff = new Date(Date.now() - EXPIRED_TOKEN_RETENTION_MS);
    return this.systemDb.transaction(async (m, db) => {
      const tokens = await m.delete(RefreshToken, { expiresAt: LessThan(cutoff) });
      const challenges = await db.deleteFrom('mfa_challenges').where('expires_at', '<', cutoff).executeTakeFirst();
      // Single sign-ins live ten minutes; a day later nothing can come of them.
      const signIns = await db
        .deleteFrom('sso_sign_ins')
        .where('expires_at', '<', new Date(Date.now() - SSO_SIGN_IN_RETENTION_MS))
        .executeTakeFirst();
      return {
        deleted: (tokens.affected ?? 0) + Number(challenges.numDeletedRows),
        ssoSignIns: Number(signIns.numDeletedRows),
      };
    });
  }
}
