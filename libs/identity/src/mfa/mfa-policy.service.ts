import { Injectable } from '@nestjs/common';
import { AuditAction, recordPolicyChange } from '#cairn/shared/audit';
import { type Principal, Role } from '#cairn/shared/auth';
import { TenantDatabase } from '#cairn/shared/database';
import { IdentityErrors } from '../identity.errors.js';
import { MfaPolicy } from './dto/mfa.inputs.js';
import { mfaRequiredFor } from './mfa-policy.js';

const REQUIRABLE = [Role.ADMIN, Role.COACH];

@Injectable()
export class MfaPolicyService {
  constructor(private readonly tenantDb: TenantDatabase) {}

  get(): Promise<MfaPolicy> {
    return this.tenantDb.read(async (tx) => ({ requiredFor: await mfaRequiredFor(tx) }));
  }

  /**
   * Takes effect at each person's next sign-in: someone without MFA then enrols before getting a session.
   * Sessions already open are left alone.
   */
  set(principal: Principal, requiredFor: Role[]): Promise<MfaPolicy> {
    if (requiredFor.some((role) => !REQUIRABLE.includes(role))) throw IdentityErrors.mfaPolicyRole();
    const roles = REQUIRABLE.filter((role) => requiredFor.includes(role));
    return this.tenantDb.transaction(async (tx) => {
      const values = {
        required_for: roles,
        updated_by_user_id: principal.userId ?? null,
        updated_at: new Date(),
      };
      await tx.db
        .insertInto('mfa_policies')
        .values(values)
        .onConflict((oc) => oc.column('tenant_id').doUpdateSet(values))
        .execute();
      await recordPolicyChange(tx, principal, AuditAction.MFA_POLICY_CHANGED, { requiredFor: roles });
      return { requiredFor: roles };
    });
  }
}
