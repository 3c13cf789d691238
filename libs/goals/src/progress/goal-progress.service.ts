import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { anyOf, TenantTransaction } from '#cairn/shared/database';
import { GoalStatus } from '../goals/goal.enums.js';
import { selectMeasures } from '../measures/measure.queries.js';
import type { Principal } from '#cairn/shared/auth';
import type { Goal } from '../goals/goal.entity.js';
import { GoalVisibility } from '../visibility/goal-visibility.service.js';
import { type GoalAudienceColumns } from '../visibility/goal-visibility.js';
import { GoalFactsLoader, progressAsSeen } from './goal-facts.loader.js';
import { fieldAsOf, fieldsBefore, goalRevisionsOf } from '../revisions/fields-as-of.js';
import { progressFrom, withoutHidden } from './progress-formula.js';

/** Goal progress (0–100, null when there is nothing to measure), derived at read time; see `rollUpProgress`. */
@Injectable()
export class GoalProgressService {
  constructor(
    private readonly facts: GoalFactsLoader,
    private readonly visibility: GoalVisibility,
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
    options: {
      asOf?: Date;
      /** Who reads the figure sees only these sub-goals: the others (and what is below them) do not count. */
      seen?: (goal: { id: string } & GoalAudienceColumns) => boolean;
    } = {},
  ): Promise<Map<string, number | null>> {
    if (goalIds.length === 0) return new Map();
    const asOf = options.asOf;
    // UNION (not UNION ALL) stops on a repeated row, so even a corrupted cycle cannot loop forever.
    const rows = await tx.db
      .withRecursive(
        'tree(id, parent_id, status, tenant_id, visible_to_coaches, visible_to_firm, client_id)',
        (db) =>
          db
            .selectFrom('goals as g')
            .select([
              'g.id',
              'g.parent_id',
              'g.status',
              'g.tenant_id',
              'g.visible_to_coaches',
              'g.visible_to_firm',
              'g.client_id',
            ])
            .where('g.id', '=', anyOf(goalIds, 'uuid'))
            .$if(asOf !== undefined, (q) => q.where('g.created_at', '<=', asOf!))
            .union((u) =>
              u
                .selectFrom('goals as c')
                .innerJoin('tree as t', 't.id', 'c.parent_id')
                .select([
                  'c.id',
                  'c.parent_id',
                  'c.status',
                  'c.tenant_id',
                  'c.visible_to_coaches',
                  'c.visible_to_firm',
                  'c.client_id',
                ])
                .$if(asOf !== undefined, (q) => q.where('c.created_at', '<=', asOf!)),
            ),
      )
      .selectFrom('tree as t')
      .$if(asOf !== undefined, (q) =>
        q.leftJoinLateral(fieldsBefore(goalRevisionsOf('t'), asOf!).as('was_then'), (join) => join.onTrue()),
      )
      .select([
        't.id',
        't.parent_id',
        't.visible_to_coaches',
        't.visible_to_firm',
        't.client_id',
        (asOf
          ? fieldAsOf<GoalStatus>('was_then', 'status', sql.ref('t.status'), 'text')
          : sql<GoalStatus>`t.status`
        ).as('status'),
      ])
      .execute();
    const { seen } = options;
    const all = rows.map((r) => ({ id: r.id, parentId: r.parent_id, status: r.status }));
    const row = new Map(rows.map((r) => [r.id, r]));
    const nodes = seen
      ? withoutHidden(all, new Set(goalIds), (id) => {
          const r = row.get(id)!;
          return !seen({
            id,
            clientId: r.client_id,
            visibleToCoaches: r.visible_to_coaches,
            visibleToFirm: r.visible_to_firm,
          });
        })
      : all;
    const measures = await selectMeasures(
      tx,
      'goal_id',
      nodes.map((n) => n.id),
      { asOf },
    );
    return progressFrom(nodes, measures, goalIds);
  }

  /**
   * One goal's progress as of now as `principal` sees it (sub-goals they may not see do not count), batched
   * with the rest of the request (see GoalFactsLoader).
   */
  async load(principal: Principal, goal: Goal): Promise<number | null> {
    const facts = await this.facts.subtree(goal.id);
    return progressAsSeen(goal, facts, (g) => this.visibility.admits(principal, g));
  }
}
