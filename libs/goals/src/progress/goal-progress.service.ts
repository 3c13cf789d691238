import { Injectable } from '@nestjs/common';
import { TenantDatabase, TenantTransaction } from '#cairn/shared/database';
import { requestLoader } from '#cairn/shared/graphql';
import { GoalStatus } from '../goals/goal.enums.js';
import type { GoalMeasure } from '../measures/goal-measure.entity.js';
import { selectMeasures } from '../measures/measure.queries.js';
import { MeasureService } from '../measures/measure.service.js';
import { fieldAsOf, fieldsBeforeJoin, goalRevisionsOf } from '../revisions/fields-as-of.js';
import { GoalNode, measureProgress, rollUpProgress } from './progress-formula.js';

/** The progress of `goalIds` from their trees' goals and live measures, read already. */
export function progressFrom(
  nodes: readonly GoalNode[],
  measures: readonly GoalMeasure[],
  goalIds: readonly string[],
): Map<string, number | null> {
  const byGoal = new Map<string, number[]>();
  for (const m of measures) {
    const list = byGoal.get(m.goalId) ?? [];
    list.push(measureProgress(m));
    byGoal.set(m.goalId, list);
  }
  return rollUpProgress(nodes, byGoal, goalIds);
}

/** Goal progress (0–100, null when there is nothing to measure), derived at read time; see `rollUpProgress`. */
@Injectable()
export class GoalProgressService {
  constructor(
    private readonly tenantDb: TenantDatabase,
    private readonly measureLoads: MeasureService,
  ) {}

  /**
   * Progress of many goals in two statements whatever their number: one recursive CTE for the goals and
   * their whole subtrees, one for the measures of all of them with their figures. No access check: pass ids
   * the caller may see.
   *
   * `asOf` (default: now) is the instant the progress is wanted at, for figures about a past period (a coach
   * report made after its period ended shows the progress at the period's end): only the progress updates
   * recorded by then count, on the measures the goals had then (added and not yet removed, with the baseline,
   * target and period they had), and the goals of the tree that existed then, with the status they had
   * (an ACHIEVED goal counts 100, an ABANDONED child not at all). A goal moved in the tree since is seen in
   * its current place. Omitted, nothing is cut off: the same as "now", as nothing is recorded in the future.
   */
  async progressOf(
    tx: TenantTransaction,
    goalIds: readonly string[],
    options: { asOf?: Date } = {},
  ): Promise<Map<string, number | null>> {
    if (goalIds.length === 0) return new Map();
    const asOf = options.asOf;
    const existed = asOf ? ' AND g.created_at <= $3' : '';
    const childExisted = asOf ? ' AND c.created_at <= $3' : '';
    // UNION (not UNION ALL) stops on a repeated row, so even a corrupted cycle cannot loop forever.
    const rows: { id: string; parent_id: string | null; status: GoalStatus }[] = await tx.manager.query(
      `WITH RECURSIVE tree AS (
         SELECT g.id, g.parent_id, g.status FROM goals g WHERE g.tenant_id = $1 AND g.id = ANY($2::uuid[])${existed}
         UNION
         SELECT c.id, c.parent_id, c.status FROM goals c JOIN tree t ON c.parent_id = t.id WHERE c.tenant_id = $1${childExisted}
       )
       ${
         asOf
           ? `SELECT t.id, t.parent_id, ${fieldAsOf('was_then', 'status', 't.status', 'text')} AS status
                FROM tree t ${fieldsBeforeJoin('was_then', goalRevisionsOf('$1', 't.id'), '$3')}`
           : 'SELECT id, parent_id, status FROM tree'
       }`,
      asOf ? [tx.tenantId, goalIds, asOf] : [tx.tenantId, goalIds],
    );
    const nodes: GoalNode[] = rows.map((r) => ({ id: r.id, parentId: r.parent_id, status: r.status }));
    const measures = await selectMeasures(
      tx,
      'goal_id',
      nodes.map((n) => n.id),
      { asOf },
    );
    if (asOf || !tx.readOnly) return progressFrom(nodes, measures, goalIds);
    // A read as of now: the subtrees' measures and progress are what their own fields would read next (the
    // next level of a goal tree), so hand them to the request's loaders.
    const everyNode = progressFrom(nodes, measures, nodes.map((n) => n.id));
    const measuresOf = new Map<string, GoalMeasure[]>(nodes.map((n) => [n.id, []]));
    for (const measure of measures) measuresOf.get(measure.goalId)?.push(measure);
    for (const [goalId, list] of measuresOf) this.measureLoads.primeOfGoal(goalId, list);
    for (const [goalId, progress] of everyNode) this.prime(goalId, progress);
    return new Map(goalIds.map((id) => [id, everyNode.get(id) ?? null]));
  }

  /** One goal's progress, batched with every other `load` of the request. */
  async load(goalId: string): Promise<number | null> {
    return (await this.progressLoader().load(goalId))?.progress ?? null;
  }

  /** Hands progress already derived (as of now) to the rest of the request. */
  prime(goalId: string, progress: number | null): void {
    this.progressLoader().prime(goalId, { goalId, progress });
  }

  private progressLoader() {
    return requestLoader<string, { goalId: string; progress: number | null }>(
      'goals:progress',
      (ids) =>
        this.tenantDb.read(async (tx) => {
          const progress = await this.progressOf(tx, ids);
          return ids.map((id) => ({ goalId: id, progress: progress.get(id) ?? null }));
        }),
      (e) => e.goalId,
    );
  }
}
