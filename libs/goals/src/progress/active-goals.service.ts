import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import type { TenantTransaction } from '#cairn/shared/database';
import { Goal } from '../goals/goal.entity.js';
import { GoalStatus } from '../goals/goal.enums.js';
import { CHILDREN_ORDER, GoalLoader } from '../goals/goal.loader.js';
import { selectMeasures } from '../measures/measure.queries.js';
import { MeasureService } from '../measures/measure.service.js';
import { GoalProgressService, progressFrom } from './goal-progress.service.js';

export interface ActiveGoal {
  goal: Goal;
  progress: number | null;
}

/** The ACTIVE goals of a page of clients with their progress, for overviews such as the coach dashboard. */
@Injectable()
export class ActiveGoalsService {
  constructor(
    private readonly goals: GoalLoader,
    private readonly measures: MeasureService,
    private readonly progress: GoalProgressService,
  ) {}

  /**
   * Two statements whatever the number of clients: every goal of the clients (so each active goal's subtree
   * is at hand without a recursive query), then the live measures of those subtrees. What was read is handed
   * to the request's loaders (children, measures, progress), so the fields a page asks for next are not read
   * again. Per client, in CHILDREN_ORDER. No access check: pass clients the caller may see. Reads as of now.
   */
  async ofClients(tx: TenantTransaction, clientIds: readonly string[]): Promise<Map<string, ActiveGoal[]>> {
    const result = new Map<string, ActiveGoal[]>(clientIds.map((id) => [id, []]));
    if (clientIds.length === 0) return result;
    const all = await tx.repo(Goal).find({ where: { clientId: In([...clientIds]) }, order: CHILDREN_ORDER });
    const children = new Map<string, Goal[]>(all.map((g) => [g.id, []]));
    for (const goal of all) if (goal.parentId) children.get(goal.parentId)?.push(goal);

    const active = all.filter((g) => g.status === GoalStatus.ACTIVE);
    const inTrees = new Set<string>();
    const pending = active.map((g) => g.id);
    while (pending.length > 0) {
      const id = pending.pop() as string;
      if (inTrees.has(id)) continue;
      inTrees.add(id);
      for (const child of children.get(id) ?? []) pending.push(child.id);
    }
    const measures = await selectMeasures(tx, 'goal_id', [...inTrees]);
    const nodes = all.filter((g) => inTrees.has(g.id)).map((g) => ({ id: g.id, parentId: g.parentId, status: g.status }));
    const progress = progressFrom(nodes, measures, active.map((g) => g.id));

    for (const [id, list] of children) this.goals.primeChildren(id, list);
    const measuresOf = new Map<string, typeof measures>([...inTrees].map((id) => [id, []]));
    for (const measure of measures) measuresOf.get(measure.goalId)?.push(measure);
    for (const [id, list] of measuresOf) this.measures.primeOfGoal(id, list);
    for (const goal of active) {
      const value = progress.get(goal.id) ?? null;
      this.progress.prime(goal.id, value);
      result.get(goal.clientId)?.push({ goal, progress: value });
    }
    return result;
  }
}
