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
