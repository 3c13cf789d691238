import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { User } from '#cairn/identity';
import { anyOf, TenantDatabase } from '#cairn/shared/database';
import type { Principal } from '#cairn/shared/auth';
import { requestLoader } from '#cairn/shared/graphql';
import { GoalFactsLoader } from '../progress/goal-facts.loader.js';
import { GoalVisibility } from '../visibility/goal-visibility.service.js';
import { Goal } from './goal.entity.js';
import { selectGoals, toGoal } from './goal.rows.js';

/**
 * Request-batched lookups for fields resolved on every goal of a page. Parents and children belong to the
 * same client as the goal they hang off, so the caller's reach was already checked for that goal; each goal's
 * own audiences are not, so `goal` and `children` leave out the goals the caller may not see.
 */
@Injectable()
export class GoalLoader {
  constructor(
    private readonly tenantDb: TenantDatabase,
    private readonly facts: GoalFactsLoader,
    private readonly visibility: GoalVisibility,
  ) {}

  /** The goal `id` hangs off something the caller reached; null when its audiences leave the caller out. */
  async goal(principal: Principal, id: string): Promise<Goal | null> {
    const goal = await this.anyGoal(id);
    return goal && this.visibility.admits(principal, goal) ? goal : null;
  }

  private anyGoal(id: string): Promise<Goal | null> {
    return requestLoader<string, Goal>(
      'goals:by-id',
      (ids) =>
        this.tenantDb.read(async (tx) =>
          (await selectGoals(tx.db).where('g.id', '=', anyOf(ids, 'uuid')).execute()).map(toGoal),
        ),
      (goal) => goal.id,
    ).load(id);
  }

  /** Children by priority, then target date, then age; batched with the rest of the request. */
  async children(principal: Principal, parentId: string): Promise<Goal[]> {
    return (await this.facts.load(parentId)).children.filter((child) => this.visibility.admits(principal, child));
  }

  user(id: string | null): Promise<User | null> {
    if (!id) return Promise.resolve(null);
    return requestLoader<string, User>(
      'goals:users-by-id',
      (ids) => this.tenantDb.read((tx) => tx.repo(User).findBy({ id: In([...ids]) })),
      (user) => user.id,
    ).load(id);
  }
}
