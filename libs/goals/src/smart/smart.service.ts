import { Injectable } from '@nestjs/common';
import { anyOf, TenantDatabase, TenantTransaction } from '#cairn/shared/database';
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
  /** Links to values of the client's profile still in use. */
  profileValueCount: number;
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
    linkedValueCount: (goal.linkedValues?.length ?? 0) + (tree?.profileValueCount ?? 0),
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
    const rows = await tx.db
      .selectFrom('goals as g')
      .leftJoin('goals as p', 'p.id', 'g.parent_id')
      .select((eb) => [
        'g.id',
        eb
          .selectFrom('goal_measures as m')
          .select((s) => s.cast<number>(s.fn.countAll(), 'integer').as('n'))
          .whereRef('m.goal_id', '=', 'g.id')
          .where('m.removed_at', 'is', null)
          .as('measures'),
        eb.cast<string | null>('p.target_date', 'text').as('parent_target'),
        eb
          .selectFrom('goals as c')
          .select((s) => s.cast<string | null>(s.fn.max('c.target_date'), 'text').as('latest'))
          .whereRef('c.parent_id', '=', 'g.id')
          .where('c.status', '<>', 'ABANDONED')
          .as('child_target'),
        eb
          .selectFrom('goal_trait_links as l')
          .innerJoin('client_traits as t', 't.id', 'l.trait_id')
          .select((s) => s.cast<number>(s.fn.countAll(), 'integer').as('n'))
          .whereRef('l.goal_id', '=', 'g.id')
          .where('t.kind', '=', 'VALUE')
          .where('t.removed_at', 'is', null)
          .as('profile_values'),
      ])
      .where('g.id', '=', anyOf(goalIds, 'uuid'))
      .execute();
    return rows.map((r) => ({
      goalId: r.id,
      activeMeasureCount: r.measures ?? 0,
      parentTargetDate: r.parent_target,
      latestChildTargetDate: r.child_target,
      profileValueCount: r.profile_values ?? 0,
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
