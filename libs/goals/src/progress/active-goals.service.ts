import { Injectable } from '@nestjs/common';
import { anyOf, prepareQuery, type TenantTransaction } from '#cairn/shared/database';
import type { Goal } from '../goals/goal.entity.js';
import { inChildrenOrder, selectGoals, toGoal } from '../goals/goal.rows.js';
import { GoalStatus } from '../goals/goal.enums.js';
import { audienceAdmits, type GoalViewer } from '../visibility/goal-visibility.js';
import { factsOf, GoalFactsLoader, progressAsSeen } from './goal-facts.loader.js';

/** Every goal of some clients, in children order; read on every dashboard: built once. */
const clientGoalsQuery = prepareQuery((db, p: { clientIds: readonly string[] }) =>
  inChildrenOrder(selectGoals(db).where('g.client_id', '=', anyOf(p.clientIds, 'uuid'))),
);

export interface ActiveGoal {
  goal: Goal;
  progress: number | null;
}

/** The ACTIVE goals of a page of clients with their progress, for overviews such as the coach dashboard. */
@Injectable()
export class ActiveGoalsService {
  constructor(private readonly facts: GoalFactsLoader) {}

  /**
   * Two statements whatever the number of clients: every goal of the clients (so each active goal's subtree
   * is at hand without a recursive query), then the live measures of those subtrees. The subtrees' facts go
   * to the request's GoalFactsLoader, so the `children`, `measures` and `progress` a page asks for next are not
   * read again. Per client, in children order, only the goals whose audiences admit `viewer`. No check of the
   * clients: pass clients the viewer may reach.
   */
  async ofClients(
    tx: TenantTransaction,
    clientIds: readonly string[],
    viewer: GoalViewer,
  ): Promise<Map<string, ActiveGoal[]>> {
    const result = new Map<string, ActiveGoal[]>(clientIds.map((id) => [id, []]));
    if (clientIds.length === 0) return result;
    const all = (await clientGoalsQuery.execute(tx, { clientIds })).map(toGoal);
    const children = new Map<string, Goal[]>(all.map((g) => [g.id, []]));
    for (const goal of all) if (goal.parentId) children.get(goal.parentId)?.push(goal);

    const active = all.filter((g) => g.status === GoalStatus.ACTIVE && audienceAdmits(viewer, g));
    const inTrees = new Set<string>();
    const pending = active.map((g) => g.id);
    while (pending.length > 0) {
      const id = pending.pop() as string;
      if (inTrees.has(id)) continue;
      inTrees.add(id);
      for (const child of children.get(id) ?? []) pending.push(child.id);
    }
    // Every goal below an active one is in `inTrees`: whole subtrees, as factsOf needs.
    const facts = await factsOf(
      tx,
      all.filter((g) => inTrees.has(g.id)),
    );
    this.facts.prime(tx, facts);
    const byGoal = new Map(facts.map((f) => [f.goalId, f]));
    for (const goal of active)
      result
        .get(goal.clientId)
        ?.push({ goal, progress: progressAsSeen(goal, byGoal, (g) => audienceAdmits(viewer, g)) });
    return result;
  }
}
