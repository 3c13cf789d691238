import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import type DataLoader from 'dataloader';
import { anyOf, prepareQuery, TenantDatabase, type TenantTransaction } from '#cairn/shared/database';
import { requestLoader } from '#cairn/shared/graphql';
import type { Goal } from '../goals/goal.entity.js';
import { inChildrenOrder, selectGoals, toGoal } from '../goals/goal.rows.js';
import type { GoalMeasure } from '../measures/goal-measure.entity.js';
import { selectMeasures } from '../measures/measure.queries.js';
import { progressFrom, withoutHidden } from './progress-formula.js';

/**
 * The requested goals' whole subtrees (whole rows), in children order. UNION (not UNION ALL) stops on a
 * repeated row, so even a corrupted cycle cannot loop forever. Read on every goal tree: built once.
 */
const subtreesQuery = prepareQuery((db, p: { ids: readonly string[] }) =>
  inChildrenOrder(
    selectGoals(
      db.withRecursive('tree(id)', (cte) =>
        cte
          .selectFrom('goals as r')
          .select('r.id')
          .where('r.id', '=', anyOf(p.ids, 'uuid'))
          .union((u) =>
            u.selectFrom('goals as c').innerJoin('tree as t', 't.id', 'c.parent_id').select('c.id'),
          ),
      ),
    )
      // `selectGoals` is typed on the tables, not this CTE: the CTE's ids by name.
      .where('g.id', 'in', sql<string>`(SELECT tree.id FROM tree)`),
  ),
);

/** What a goal's derived fields show, read as of now: its children, its live measures and its progress. */
export interface GoalFacts {
  goalId: string;
  children: Goal[];
  measures: GoalMeasure[];
  progress: number | null;
}

/**
 * One request loader behind a goal's `children`, `measures` and `progress`. A goal's progress needs its whole
 * subtree with the subtree's measures, and those are exactly what the next levels' fields show: so one batch
 * reads the requested goals' subtrees (whole rows) and their measures, in two statements, and hands every
 * goal of those subtrees its facts. A goal tree of any depth then costs two statements, not three per level.
 */
@Injectable()
export class GoalFactsLoader {
  constructor(private readonly tenantDb: TenantDatabase) {}

  load(goalId: string): Promise<GoalFacts> {
    return this.loader()
      .load(goalId)
      .then((facts) => facts ?? { goalId, children: [], measures: [], progress: null });
  }

  /** The facts of `goal` and of every goal below it: the first load read the whole subtree, so no statement. */
  async subtree(goalId: string): Promise<Map<string, GoalFacts>> {
    const all = new Map<string, GoalFacts>();
    for (let level = [goalId]; level.length > 0;) {
      const facts = await Promise.all(level.filter((id) => !all.has(id)).map((id) => this.load(id)));
      for (const f of facts) all.set(f.goalId, f);
      level = facts.flatMap((f) => f.children.map((c) => c.id));
    }
    return all;
  }

  /**
   * Hands facts read elsewhere to the rest of the request. Only from a read (`tx.readOnly`), as of now, with
   * every child and live measure of the goal: what a write transaction reads may still change.
   */
  prime(tx: TenantTransaction, facts: Iterable<GoalFacts>): void {
    if (!tx.readOnly) return;
    const loader = this.loader();
    for (const entry of facts) loader.prime(entry.goalId, entry);
  }

  private loader(): DataLoader<string, GoalFacts | null> {
    return requestLoader<string, GoalFacts>(
      'goals:facts',
      (goalIds) =>
        this.tenantDb.read(async (tx) => {
          const subtrees = (await subtreesQuery.execute(tx, { ids: goalIds })).map(toGoal);
          const facts = await factsOf(tx, subtrees);
          const requested = new Set(goalIds);
          this.prime(
            tx,
            facts.filter((f) => !requested.has(f.goalId)),
          );
          return facts.filter((f) => requested.has(f.goalId));
        }),
      (facts) => facts.goalId,
    );
  }
}

/**
 * The facts of every goal in `goals`, which must hold whole subtrees (every descendant of each goal listed),
 * in children order (inChildrenOrder): one statement for the measures.
 */
export async function factsOf(tx: TenantTransaction, goals: readonly Goal[]): Promise<GoalFacts[]> {
  const measures = await selectMeasures(
    tx,
    'goal_id',
    goals.map((g) => g.id),
  );
  const facts = new Map<string, GoalFacts>(
    goals.map((g) => [g.id, { goalId: g.id, children: [], measures: [], progress: null }]),
  );
  for (const goal of goals) if (goal.parentId) facts.get(goal.parentId)?.children.push(goal);
  for (const measure of measures) facts.get(measure.goalId)?.measures.push(measure);
  const progress = progressFrom(
    goals.map((g) => ({ id: g.id, parentId: g.parentId, status: g.status })),
    measures,
    goals.map((g) => g.id),
  );
  for (const entry of facts.values()) entry.progress = progress.get(entry.goalId) ?? null;
  return [...facts.values()];
}

/**
 * `root`'s progress as someone sees it who sees only the sub-goals `seen` admits: a sub-goal they may not see
 * is left out with everything below it, so a parent's progress never gives away a private sub-goal's. The same
 * figure as `progress` when nothing below is hidden. `facts` holds the root's whole subtree.
 */
export function progressAsSeen(
  root: Pick<Goal, 'id' | 'status'>,
  facts: ReadonlyMap<string, GoalFacts>,
  seen: (goal: Goal) => boolean,
): number | null {
  const goals: Pick<Goal, 'id' | 'parentId' | 'status'>[] = [
    { id: root.id, parentId: null, status: root.status },
  ];
  const unseen = new Set<string>();
  for (let i = 0; i < goals.length; i++)
    for (const child of facts.get(goals[i].id)?.children ?? []) {
      goals.push(child);
      if (!seen(child)) unseen.add(child.id);
    }
  if (unseen.size === 0) return facts.get(root.id)?.progress ?? null;
  const nodes = withoutHidden(goals, new Set([root.id]), (id) => unseen.has(id));
  const measures = nodes.flatMap((n) => facts.get(n.id)?.measures ?? []);
  return progressFrom(nodes, measures, [root.id]).get(root.id) ?? null;
}
