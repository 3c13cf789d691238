import { Injectable } from '@nestjs/common';
import { TenantTransaction } from '#cairn/shared/database';
import { GoalStatus } from '../goals/goal.enums.js';
import { selectMeasures } from '../measures/measure.queries.js';
import { GoalFactsLoader } from './goal-facts.loader.js';
import { fieldAsOf, fieldsBeforeJoin, goalRevisionsOf } from '../revisions/fields-as-of.js';
import { GoalNode, progressFrom } from './progress-formula.js';

/** Goal progress (0–100, null when there is nothing to measure), derived at read time; see `rollUpProgress`. */
@Injectable()
export class GoalProgressService {
  constructor(private readonly facts: GoalFactsLoader) {}

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
    return progressFrom(nodes, measures, goalIds);
  }

  /** One goal's progress as of now, batched with the rest of the request (see GoalFactsLoader). */
  async load(goalId: string): Promise<number | null> {
    return (await this.facts.load(goalId)).progress;
  }
}
