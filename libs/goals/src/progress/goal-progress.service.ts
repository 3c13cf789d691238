import { Injectable } from '@nestjs/common';
import { TenantDatabase, TenantTransaction } from '#cairn/shared/database';
import { requestLoader } from '#cairn/shared/graphql';
import { GoalStatus } from '../goals/goal.enums.js';
import { selectMeasures } from '../measures/measure.queries.js';
import { GoalNode, measureProgress, rollUpProgress } from './progress-formula.js';

/** Goal progress (0–100, null when there is nothing to measure), derived at read time; see `rollUpProgress`. */
@Injectable()
export class GoalProgressService {
  constructor(private readonly tenantDb: TenantDatabase) {}

  /**
   * Progress of many goals in two statements whatever their number: one recursive CTE for the goals and
   * their whole subtrees, one for the measures of all of them with their figures. No access check: pass ids
   * the caller may see.
   */
  async progressOf(tx: TenantTransaction, goalIds: readonly string[]): Promise<Map<string, number | null>> {
    if (goalIds.length === 0) return new Map();
    // UNION (not UNION ALL) stops on a repeated row, so even a corrupted cycle cannot loop forever.
    const rows: { id: string; parent_id: string | null; status: GoalStatus }[] = await tx.manager.query(
      `WITH RECURSIVE tree AS (
         SELECT g.id, g.parent_id, g.status FROM goals g WHERE g.tenant_id = $1 AND g.id = ANY($2::uuid[])
         UNION
         SELECT c.id, c.parent_id, c.status FROM goals c JOIN tree t ON c.parent_id = t.id WHERE c.tenant_id = $1
       )
       SELECT id, parent_id, status FROM tree`,
      [tx.tenantId, goalIds],
    );
    const nodes: GoalNode[] = rows.map((r) => ({ id: r.id, parentId: r.parent_id, status: r.status }));
    const measures = await selectMeasures(
      tx,
      'goal_id',
      nodes.map((n) => n.id),
    );
    const byGoal = new Map<string, number[]>();
    for (const m of measures) {
      const list = byGoal.get(m.goalId) ?? [];
      list.push(measureProgress(m));
      byGoal.set(m.goalId, list);
    }
    return rollUpProgress(nodes, byGoal, goalIds);
  }

  /** One goal's progress, batched with every other `load` of the request. */
  async load(goalId: string): Promise<number | null> {
    const entry = await requestLoader<string, { goalId: string; progress: number | null }>(
      'goals:progress',
      (ids) =>
        this.tenantDb.transaction(async (tx) => {
          const progress = await this.progressOf(tx, ids);
          return ids.map((id) => ({ goalId: id, progress: progress.get(id) ?? null }));
        }),
      (e) => e.goalId,
    ).load(goalId);
    return entry?.progress ?? null;
  }
}
