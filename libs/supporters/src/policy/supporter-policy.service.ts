import { Injectable } from '@nestjs/common';
import { AuditAction, recordPolicyChange } from '#cairn/shared/audit';
import type { Principal } from '#cairn/shared/auth';
import { TenantDatabase } from '#cairn/shared/database';
import { SupporterPolicy, supportersEnabled } from './supporter-policy.js';

@Injectable()
export class SupporterPolicyService {
  constructor(private readonly tenantDb: TenantDatabase) {}

  get(): Promise<SupporterPolicy> {
    return this.tenantDb.read(async (tx) => ({ enabled: await supportersEnabled(tx) }));
  }

  /** Off ends every supporter session of the firm for good; turning it on again needs new links. */
  set(principal: Principal, enabled: boolean): Promise<SupporterPolicy> {
    return this.tenantDb.transaction(async (tx) => {
      const now = new Date();
      await tx.db
        .insertInto('supporter_policies')
        .values({ enabled, updated_by_user_id: principal.userId ?? null, updated_at: now })
        .onConflict((oc) => oc.column('tenant_id').doUpdateSet({ enabled, updated_by_user_id: principal.userId ?? null, updated_at: now }))
        .execute();
      await recordPolicyChange(tx, principal, AuditAction.SUPPORTER_POLICY_CHANGED, { enabled });
      if (!enabled) {
        await tx.db.updateTable('supporter_sessions').set({ revoked_at: now }).where('revoked_at', 'is', null).execute();
      }
      return { enabled };
    });
  }
}
