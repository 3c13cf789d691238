import { Injectable } from '@nestjs/common';
import { type SelectQueryBuilder, sql } from 'kysely';
import { CaseloadAccess } from '#cairn/clients';
import type { Principal } from '#cairn/shared/auth';
import { anyOf, type TenantTransaction } from '#cairn/shared/database';
import {
  audienceAdmits,
  type GoalAudience,
  type GoalAudienceColumns,
  goalSharedWith,
  goalVisibleTo,
  type GoalViewer,
  linkedGoalVisibleTo,
} from './goal-visibility.js';

/**
 * The one place that decides whether a principal may see a goal: every read of goals, and of anything hanging
 * off one, goes through `restrict`/`restrictLinked` (lists) or `admits` (one goal already in reach).
 */
@Injectable()
export class GoalVisibility {
  constructor(private readonly caseload: CaseloadAccess) {}

  viewerOf(principal: Principal): GoalViewer {
    return this.caseload.scopeOf(principal);
  }

  /** For a goal whose client the caller already reaches: whether its audiences admit the caller. */
  admits(principal: Principal, goal: GoalAudienceColumns): boolean {
    return audienceAdmits(this.viewerOf(principal), goal);
  }

  /** The goals of `clientIds` not shown to every one of `audiences` (see `goalSharedWith`). */
  async notSharedWith(
    tx: TenantTransaction,
    audiences: readonly GoalAudience[],
    clientIds: readonly string[],
  ): Promise<Set<string>> {
    if (clientIds.length === 0) return new Set();
    const rows = await tx.db
      .selectFrom('goals as g')
      .select('g.id')
      .where('g.client_id', '=', anyOf(clientIds, 'uuid'))
      .where(sql<boolean>`NOT ${goalSharedWith('g', audiences)}`)
      .execute();
    return new Set(rows.map((r) => r.id));
  }

  /** Narrows a query over `goals <goalAlias>` to the goals the caller may see (the client's reach included). */
  restrict<DB, TB extends keyof DB, O>(
    tx: TenantTransaction,
    query: SelectQueryBuilder<DB, TB, O>,
    principal: Principal,
    goalAlias: string,
  ): SelectQueryBuilder<DB, TB, O> {
    return query.where(goalVisibleTo(tx, this.viewerOf(principal), goalAlias) as never);
  }

  /** Narrows a query whose rows may name a goal in `goalIdColumn`: rows of goals the caller may not see go. */
  restrictLinked<DB, TB extends keyof DB, O>(
    tx: TenantTransaction,
    query: SelectQueryBuilder<DB, TB, O>,
    principal: Principal,
    goalIdColumn: string,
  ): SelectQueryBuilder<DB, TB, O> {
    return query.where(linkedGoalVisibleTo(tx, this.viewerOf(principal), goalIdColumn) as never);
  }
}
