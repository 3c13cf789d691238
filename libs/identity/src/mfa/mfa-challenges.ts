import { Injectable } from '@nestjs/common';
import { formatOpaqueToken, hashSecret, newSecret, parseOpaqueToken } from '#cairn/shared/auth';
import { SystemDatabase, TenantTransaction } from '#cairn/shared/database';
import type { LoginPayload } from '../sessions/dto/login-payload.type.js';
import type { User } from '../users/user.entity.js';
import { mfaRequiredFor, mfaStateOf } from './mfa-policy.js';

export const MFA_CHALLENGE_PREFIX = 'cmc';
const CHALLENGE_TTL_MS = 5 * 60_000;

export type MfaChallengePurpose = 'SIGN_IN' | 'ENROL';

export interface OpenedChallenge {
  purpose: MfaChallengePurpose;
  token: string;
  expiresAt: Date;
}

/**
 * The step between a right password and a session. A person with MFA on gets a SIGN_IN challenge; one whose
 * role the firm requires MFA of, and who has none yet, gets an ENROL challenge that only lets them enrol (and
 * then signs them in): refusing them outright would lock them out with no way to enrol.
 */
@Injectable()
export class MfaChallenges {
  constructor(private readonly systemDb: SystemDatabase) {}

  /** A challenge for `user`, whose password was just checked, or null when no second factor is due. */
  async openFor(tx: TenantTransaction, user: User): Promise<OpenedChallenge | null> {
    const state = await mfaStateOf(tx, user.id);
    let purpose: MfaChallengePurpose;
    if (state?.enabled_at) purpose = 'SIGN_IN';
    else if ((await mfaRequiredFor(tx)).includes(user.role)) purpose = 'ENROL';
    else return null;
    const secret = newSecret();
    const expiresAt = new Date(Date.now() + CHALLENGE_TTL_MS);
    const row = await tx.db
      .insertInto('mfa_challenges')
      .values({ user_id: user.id, purpose, secret_hash: hashSecret(secret), expires_at: expiresAt })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { purpose, token: formatOpaqueToken(MFA_CHALLENGE_PREFIX, row.id, secret), expiresAt };
  }

  /** The tenant and person a challenge token names (unchecked: the secret is verified inside the tenant). */
  async ownerOf(rawToken: string): Promise<{ tenantId: string; userId: string } | null> {
    const parsed = parseOpaqueToken(MFA_CHALLENGE_PREFIX, rawToken);
    if (!parsed) return null;
    const row = await this.systemDb.transaction((_m, db) =>
      db
        .selectFrom('mfa_challenges')
        .select(['tenant_id', 'user_id'])
        .where('id', '=', parsed.id)
        .executeTakeFirst(),
    );
    return row ? { tenantId: row.tenant_id, userId: row.user_id } : null;
  }
}

/** What `login` answers when no second factor is due, next to the session. */
export const NO_MFA = { mfaRequired: false, mfaEnrolmentRequired: false };

/** What `login` answers instead of a session when a second factor is due. */
export function challengeLoginPayload(challenge: OpenedChallenge): LoginPayload {
  return {
    mfaRequired: true,
    mfaEnrolmentRequired: challenge.purpose === 'ENROL',
    mfaChallengeToken: challenge.token,
    mfaChallengeExpiresAt: challenge.expiresAt,
  };
}
