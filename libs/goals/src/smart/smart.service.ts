import { Injectable } from '@nestjs/common';
import { TenantDatabase, TenantTransaction } from '#cairn/shared/database';
import { requestLoader } from '#cairn/shared/graphql';
import { Goal } from '../goals/goal.entity.js';
import { GoalPolicyService } from './goal-policy.service.js';
import { assessSmart, SmartFacts, SmartResult } from './smart-assessment.js';

/** What the SMART check needs beyond the goal row itself. */
interface TreeFacts {
  goalId: string;
  activeMeasureCount: number;
  parentTargetDate: string | null;
  latestChildTargetDate: string | null;
}

const filled = (value: string | null) => Boolean(value && value.trim());

export function smartFactsOf(goal: Goal, tree: TreeFacts | null): SmartFacts {
  return {
    title: goal.title,
    activeMeasureCount: tree?.activeMeasureCount ?? 0,
    attainabilityNotes: goal.attainabilityNotes,
    skillsGap: goal.skillsGap,
    challengeLevel: goal.challengeLevel,
    hasWhy: [goal.motivation, goal.whyEnergizes, goal.whyFulfils, goal.whyAlignsValues].some(filled),
    linkedValueCount: goal.linkedValues?.length ?? 0,
    targetDate: goal.targetDate,
    parentTargetDate: tree?.parentTargetDate ?? null,
    latestChildTargetDate: tree?.latestChildTargetDate ?? null,
    proposedBy: goal.proposedBy,
  };
}

@Injectable()
export class SmartService {
  constructor(
    private readonly tenantDb: TenantDatabase,
    private readonly policies: GoalPolicyService,
  ) {}

  /** Measures, parent's and children's target dates of many goals, in one statement. */
  async treeFacts(tx: TenantTransaction, goalIds: readonly string[]): Promise<TreeFacts[]> {
    if (goalIds.length === 0) return [];
    const rows: {
      id: string;
      measures: number;
      parent_target: string | null;
      child_target: string | null;
    }[] = await tx.manager.query(
      `SELECT g.id,
                (SELECT count(*)::int FROM goal_measures m
                  WHERE m.tenant_id = g.tenant_id AND m.goal_id = g.id AND m.removed_at IS NULL) AS measures,
                p.target_date::text AS parent_target,
                (SELECT max(c.target_date)::text FROM goals c
                  WHERE c.tenant_id = g.tenant_id AND c.parent_id = g.id AND c.status <> 'ABANDONED') AS child_target
           FROM goals g
           LEFT JOIN goals p ON p.tenant_id = g.tenant_id AND p.id = g.parent_id
          WHERE g.tenant_id = $1 AND g.id = ANY($2::uuid[])`,
      [tx.tenantId, goalIds],
    );
    return rows.map((r) => ({
      goalId: r.id,
      activeMeasureCount: r.measures,
      parentTargetDate: r.parent_target,
      latestChildTargetDate: r.child_target,
    }));
  }

  /** Inside a write: the assessment as the transaction sees the goal now, against the current policy. */
  async assessInTx(tx: TenantTransaction, goal: Goal): Promise<SmartResult[]> {
    const [tree] = await this.treeFacts(tx, [goal.id]);
    const policy = await this.policies.policyOf(tx);
    return assessSmart(smartFactsOf(goal, tree ?? null), policy.requiredCriteria);
  }

  /** For `goal.smart`: batched over the page, the policy read once per request. */
  async load(goal: Goal): Promise<SmartResult[]> {
    const [tree, policy] = await Promise.all([
      requestLoader<string, TreeFacts>(
        'goals:smart-facts',
        (ids) => this.tenantDb.read((tx) => this.treeFacts(tx, ids)),
        (t) => t.goalId,
      ).load(goal.id),
      this.policies.forRequest(),
    ]);
    return assessSmart(smartFactsOf(goal, tree), policy.requiredCriteria);
  }
}
