import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { AuditAction, recordPolicyChange } from '#cairn/shared/audit';
import type { Principal } from '#cairn/shared/auth';
import { TenantDatabase, TenantTransaction } from '#cairn/shared/database';
import { RequestContext } from '#cairn/shared/tenancy';
import { GoalPolicy } from './smart-check.model.js';
import { ALL_AUTHENTICITY_CRITERIA, AuthenticityCriterion } from '../authenticity/authenticity-criterion.enum.js';
import { ALL_CRITERIA, DEFAULT_REQUIRED_CRITERIA, SmartCriterion } from './smart-criterion.enum.js';

const inEnumOrder = (criteria: readonly SmartCriterion[]) => ALL_CRITERIA.filter((c) => criteria.includes(c));
const inAuthenticityOrder = (criteria: readonly AuthenticityCriterion[]) =>
  ALL_AUTHENTICITY_CRITERIA.filter((c) => criteria.includes(c));

@Injectable()
export class GoalPolicyService {
  constructor(private readonly tenantDb: TenantDatabase) {}

  async policyOf(tx: TenantTransaction): Promise<GoalPolicy> {
    const row = await tx.db
      .selectFrom('goal_policies')
      .select(['required_criteria', 'required_authenticity', 'updated_by_user_id', 'updated_at'])
      .executeTakeFirst();
    if (!row)
      return {
        requiredCriteria: DEFAULT_REQUIRED_CRITERIA,
        requiredAuthenticity: [],
        isDefault: true,
        updatedByUserId: null,
        updatedAt: null,
      };
    return {
      requiredCriteria: inEnumOrder(row.required_criteria as SmartCriterion[]),
      requiredAuthenticity: inAuthenticityOrder(row.required_authenticity as AuthenticityCriterion[]),
      isDefault: false,
      updatedByUserId: row.updated_by_user_id,
      updatedAt: row.updated_at,
    };
  }

  get(): Promise<GoalPolicy> {
    return this.tenantDb.transaction((tx) => this.policyOf(tx));
  }

  /** The policy, read once per request however many goals' SMART lists are resolved. */
  forRequest(): Promise<GoalPolicy> {
    return RequestContext.item(Symbol.for('goals:policy'), () => this.get());
  }

  /** `requiredAuthenticity` undefined keeps what the firm had (none when it had no policy yet). */
  update(
    principal: Principal,
    requiredCriteria: readonly SmartCriterion[],
    requiredAuthenticity?: readonly AuthenticityCriterion[],
  ): Promise<GoalPolicy> {
    return this.tenantDb.transaction(async (tx) => {
      const values = {
        required_criteria: inEnumOrder(requiredCriteria),
        ...(requiredAuthenticity ? { required_authenticity: inAuthenticityOrder(requiredAuthenticity) } : {}),
        updated_by_user_id: principal.userId ?? null,
      };
      await tx.db
        .insertInto('goal_policies')
        .values({ ...values, updated_at: sql`now()` })
        .onConflict((oc) => oc.column('tenant_id').doUpdateSet({ ...values, updated_at: sql`now()` }))
        .execute();
      const policy = await this.policyOf(tx);
      await recordPolicyChange(tx, principal, AuditAction.GOAL_POLICY_CHANGED, {
        requiredCriteria: policy.requiredCriteria,
        requiredAuthenticity: policy.requiredAuthenticity,
      });
      return policy;
    });
  }
}
