import { Injectable } from '@nestjs/common';
import type { Principal } from '#cairn/shared/auth';
import { TenantDatabase, TenantTransaction } from '#cairn/shared/database';
import { RequestContext } from '#cairn/shared/tenancy';
import { GoalPolicyRow } from './goal-policy.entity.js';
import { GoalPolicy } from './smart-check.model.js';
import { ALL_CRITERIA, DEFAULT_REQUIRED_CRITERIA, SmartCriterion } from './smart-criterion.enum.js';

const inEnumOrder = (criteria: readonly SmartCriterion[]) => ALL_CRITERIA.filter((c) => criteria.includes(c));

@Injectable()
export class GoalPolicyService {
  constructor(private readonly tenantDb: TenantDatabase) {}

  async policyOf(tx: TenantTransaction): Promise<GoalPolicy> {
    const row = await tx.repo(GoalPolicyRow).findOne({});
    if (!row)
      return {
        requiredCriteria: DEFAULT_REQUIRED_CRITERIA,
        isDefault: true,
        updatedByUserId: null,
        updatedAt: null,
      };
    return {
      requiredCriteria: inEnumOrder(row.requiredCriteria),
      isDefault: false,
      updatedByUserId: row.updatedByUserId,
      updatedAt: row.updatedAt,
    };
  }

  get(): Promise<GoalPolicy> {
    return this.tenantDb.transaction((tx) => this.policyOf(tx));
  }

  /** The policy, read once per request however many goals' SMART lists are resolved. */
  forRequest(): Promise<GoalPolicy> {
    return RequestContext.item(Symbol.for('goals:policy'), () => this.get());
  }

  update(principal: Principal, requiredCriteria: readonly SmartCriterion[]): Promise<GoalPolicy> {
    return this.tenantDb.transaction(async (tx) => {
      await tx.manager.query(
        `INSERT INTO goal_policies (tenant_id, required_criteria, updated_by_user_id, updated_at)
         VALUES ($1, $2, $3, now())
         ON CONFLICT (tenant_id) DO UPDATE
           SET required_criteria = EXCLUDED.required_criteria, updated_by_user_id = EXCLUDED.updated_by_user_id,
               updated_at = now()`,
        [tx.tenantId, inEnumOrder(requiredCriteria), principal.userId ?? null],
      );
      return this.policyOf(tx);
    });
  }
}
