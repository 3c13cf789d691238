import { Role } from '#cairn/shared/auth';
import type { TenantTransaction } from '#cairn/shared/database';

/** Roles the firm requires a second factor of, as of this transaction; none without a policy row. */
export async function mfaRequiredFor(tx: TenantTransaction): Promise<Role[]> {
  const row = await tx.db.selectFrom('mfa_policies').select('required_for').executeTakeFirst();
  return (row?.required_for ?? []) as Role[];
}

/** The person's MFA: `enabled` once the first code confirmed enrolment. */
export async function mfaStateOf(tx: TenantTransaction, userId: string) {
  return tx.db
    .selectFrom('user_mfa')
    .select(['secret_sealed', 'enabled_at', 'last_used_step'])
    .where('user_id', '=', userId)
    .executeTakeFirst();
}

/**
 * Whether the firm requires a second factor of this person's role and they have none: their sessions stop
 * refreshing, so `login` (which then enrols them) is the way back. People linked to the firm's identity
 * provider are exempt: their second factor is the provider's (README, Single sign-on).
 */
export async function lacksRequiredFactor(tx: TenantTransaction, user: { id: string; role: Role }): Promise<boolean> {
  if (!(await mfaRequiredFor(tx)).includes(user.role)) return false;
  if ((await mfaStateOf(tx, user.id))?.enabled_at) return false;
  const linked = await tx.db.selectFrom('sso_identities').select('user_id').where('user_id', '=', user.id).executeTakeFirst();
  return !linked;
}
