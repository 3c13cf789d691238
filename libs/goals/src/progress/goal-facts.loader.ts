import { Injectable } from '@nestjs/common';
import type DataLoader from 'dataloader';
import { TenantDatabase, type TenantTransaction } from '#cairn/shared/database';
import { requestLoader } from '#cairn/shared/graphql';
import { Goal } from '../goals/goal.entity.js';
import type { GoalMeasure } from '../measures/goal-measure.entity.js';
import { selectMeasures } from '../measures/measure.queries.js';
import { progressFrom } from './progress-formula.js';

/** The order of a goal's children everywhere they are listed. */
export const CHILDREN_ORDER = { priority: 'ASC', targetDate: 'ASC', createdAt: 'ASC', id: 'ASC' } as const;

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
          const goals = tx.repo(Goal);
          // UNION (not UNION ALL) stops on a repeated row, so even a corrupted cycle cannot loop forever.
          const subtrees = await goals.select(
            'g',
            (columns) => `SELECT ${columns} FROM goals g
               WHERE g.tenant_id = $1 AND g.id IN (WITH RECURSIVE tree(id) AS (
                 SELECT r.id FROM goals r WHERE r.tenant_id = $1 AND r.id = ANY($2::uuid[])
                 UNION
                 SELECT c.id FROM goals c JOIN tree t ON c.parent_id = t.id WHERE c.tenant_id = $1
               ) SELECT id FROM tree)
               ORDER BY ${goals.orderBy('g', CHILDREN_ORDER)}`,
            [goalIds],
          );
          const facts = await factsOf(tx, subtrees);
          const requested = new Set(goalIds);
          this.prime(tx, facts.filter((f) => !requested.has(f.goalId)));
          return facts.filter((f) => requested.has(f.goalId));
        }),
      (facts) => facts.goalId,
    );
  }
}

/**
 * The facts of every goal in `goals`, which must hold whole subtrees (every descendant of each goal listed),
 * in CHILDREN_ORDER: one statement for the measures.
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
