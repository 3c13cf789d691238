import { Role } from '#cairn/shared/auth';
import type { TenantTransaction } from '#cairn/shared/database';
import { IdentityErrors } from '../identity.errors.js';

/**
 * A firm that requires single sign-on (configureSso requireSso, enabled) refuses password sign-in to everyone
 * but its ADMINs, who keep a way in when the provider is down or misconfigured.
 */
export async function refusePasswordSignIn(tx: TenantTransaction, role: Role): Promise<void> {
  if (role === Role.ADMIN) return;
  const required = await tx.db
    .selectFrom('sso_configurations')
    .select('tenant_id')
    .where('enabled', '=', true)
    .where('require_sso', '=', true)
    .executeTakeFirst();
  if (required) throw IdentityErrors.ssoRequired();
}
