import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { User } from '#cairn/identity';
import { TenantDatabase } from '#cairn/shared/database';
import { requestLoader } from '#cairn/shared/graphql';
import { Goal } from './goal.entity.js';

/** The order of a goal's children everywhere they are listed. */
export const CHILDREN_ORDER = { priority: 'ASC', targetDate: 'ASC', createdAt: 'ASC', id: 'ASC' } as const;

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
      (ids) => this.tenantDb.read((tx) => tx.repo(Goal).findBy({ id: In([...ids]) })),
      (goal) => goal.id,
    ).load(id);
  }

  /** Children by priority, then target date, then age. */
  async children(parentId: string): Promise<Goal[]> {
    return (await this.childrenLoader().load(parentId))?.goals ?? [];
  }

  /** Hands children already read (whole sibling lists, in CHILDREN_ORDER) to the rest of the request. */
  primeChildren(parentId: string, goals: Goal[]): void {
    this.childrenLoader().prime(parentId, { parentId, goals });
  }

  private childrenLoader() {
    return requestLoader<string, { parentId: string; goals: Goal[] }>(
      'goals:children',
      (parentIds) =>
        this.tenantDb.read(async (tx) => {
          const goals = await tx.repo(Goal).find({ where: { parentId: In([...parentIds]) }, order: CHILDREN_ORDER });
          return parentIds.map((id) => ({ parentId: id, goals: goals.filter((g) => g.parentId === id) }));
        }),
      (g) => g.parentId,
    );
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
