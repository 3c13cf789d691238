import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { User } from '#cairn/identity';
import { TenantDatabase } from '#cairn/shared/database';
import { requestLoader } from '#cairn/shared/graphql';
import { Goal } from './goal.entity.js';

/**
 * Request-batched lookups for fields resolved on every goal of a page. Parents and children belong to the
 * same client as the goal they hang off, so the caller's reach was already checked for that goal.
 */
@Injectable()
export class GoalLoader {
  constructor(private readonly tenantDb: TenantDatabase) {}

  goal(id: string): Promise<Goal | null> {
    return requestLoader<string, Goal>(
      'goals:by-id',
      (ids) => this.tenantDb.transaction((tx) => tx.repo(Goal).findBy({ id: In([...ids]) })),
      (goal) => goal.id,
    ).load(id);
  }

  /** Children by priority, then target date, then age. */
  async children(parentId: string): Promise<Goal[]> {
    const group = await requestLoader<string, { parentId: string; goals: Goal[] }>(
      'goals:children',
      (parentIds) =>
        this.tenantDb.transaction(async (tx) => {
          const goals = await tx.repo(Goal).find({
            where: { parentId: In([...parentIds]) },
            order: { priority: 'ASC', targetDate: 'ASC', createdAt: 'ASC', id: 'ASC' },
          });
          return parentIds.map((id) => ({ parentId: id, goals: goals.filter((g) => g.parentId === id) }));
        }),
      (g) => g.parentId,
    ).load(parentId);
    return group?.goals ?? [];
  }

  user(id: string | null): Promise<User | null> {
    if (!id) return Promise.resolve(null);
    return requestLoader<string, User>(
      'goals:users-by-id',
      (ids) => this.tenantDb.transaction((tx) => tx.repo(User).findBy({ id: In([...ids]) })),
      (user) => user.id,
    ).load(id);
  }
}
