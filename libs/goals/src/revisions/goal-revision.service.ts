import { Injectable } from '@nestjs/common';
import type { QueryDeepPartialEntity } from 'typeorm';
import type { Principal } from '#cairn/shared/auth';
import { anyOf, TenantDatabase, TenantTransaction } from '#cairn/shared/database';
import { requestGroupLoader } from '#cairn/shared/graphql';
import { GoalErrors } from '../goals.errors.js';
import { Goal } from '../goals/goal.entity.js';
import { selectGoals, toGoal } from '../goals/goal.rows.js';
import { GoalFieldChange, GoalRevision } from './goal-revision.entity.js';
import { GoalRevisionAction } from './revision-action.enum.js';

type Tracked = (goal: Goal) => unknown;

/** The goal fields whose changes revisions record, by the name a revision shows. */
export const TRACKED_FIELDS: Record<string, Tracked> = {
  title: (g) => g.title,
  description: (g) => g.description,
  horizon: (g) => g.horizon,
  category: (g) => g.category,
  status: (g) => g.status,
  priority: (g) => g.priority,
  startDate: (g) => g.startDate,
  targetDate: (g) => g.targetDate,
  parentId: (g) => g.parentId,
  proposedBy: (g) => g.proposedBy,
  attainabilityNotes: (g) => g.attainabilityNotes,
  skillsGap: (g) => g.skillsGap,
  challengeLevel: (g) => g.challengeLevel,
  'why.motivation': (g) => g.motivation,
  'why.energizesWorkLife': (g) => g.whyEnergizes,
  'why.fulfilsPersonally': (g) => g.whyFulfils,
  'why.alignsWithValues': (g) => g.whyAlignsValues,
  'why.strength': (g) => g.whyStrength,
  'why.values': (g) => g.linkedValues,
  'why.strengths': (g) => g.linkedStrengths,
};

/** Revision values are text: lists as JSON, empty values (null, '', []) as null. */
export function asRevisionValue(value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (Array.isArray(value)) return value.length === 0 ? null : JSON.stringify(value);
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

/** The tracked fields that differ between two states of a goal (`before` null: every non-empty field). */
export function diffGoals(before: Goal | null, after: Goal): GoalFieldChange[] {
  const changes: GoalFieldChange[] = [];
  for (const [field, read] of Object.entries(TRACKED_FIELDS)) {
    const previousValue = before ? asRevisionValue(read(before)) : null;
    const newValue = asRevisionValue(read(after));
    if (previousValue !== newValue) changes.push({ field, previousValue, newValue });
  }
  return changes;
}

/**
 * Changes to what the client committed to: a target, a target date (a count's period end included) or the
 * horizon. Such a revision needs a reason ("evolve your goals consciously"). Setting one that was empty is not
 * a change of commitment and needs none; clearing one does.
 */
const COMMITMENT_FIELDS = ['horizon', 'targetDate', 'measure.target', 'measure.periodEnd'];

export const commitmentsChanged = (changes: readonly GoalFieldChange[]) =>
  changes.filter((c) => COMMITMENT_FIELDS.includes(c.field) && c.previousValue !== null).map((c) => c.field);

export interface GoalEdit {
  expectedVersion: number;
  action: GoalRevisionAction;
  changes: GoalFieldChange[];
  reason?: string | null;
  measureId?: string | null;
  /** Columns to change along with the version; empty for measure edits, which only move the version. */
  patch?: QueryDeepPartialEntity<Goal>;
}

export const authorOf = (principal: Principal) => ({
  userId: principal.userId ?? null,
  apiKeyId: principal.apiKeyId ?? null,
});

@Injectable()
export class GoalRevisionService {
  constructor(private readonly tenantDb: TenantDatabase) {}

  /** Revision 1 of a new goal; `extra`: changes beyond its own columns (its profile links). */
  async recordCreation(
    tx: TenantTransaction,
    principal: Principal,
    goal: Goal,
    extra: readonly GoalFieldChange[] = [],
  ): Promise<void> {
    await this.insert(tx, principal, goal.id, 1, {
      expectedVersion: 0,
      action: GoalRevisionAction.CREATED,
      changes: [...diffGoals(null, goal), ...extra],
      reason: null,
    });
  }

  /**
   * Applies an edit of a goal (locked by GoalAccess.editable in the same transaction): moves the version from
   * `expectedVersion` to the next one (a concurrent writer makes that affect no row → CONFLICT) and records the
   * revision for the new version. Returns the goal as stored now.
   */
  async commit(tx: TenantTransaction, principal: Principal, goal: Goal, edit: GoalEdit): Promise<Goal> {
    const unexplained = edit.reason?.trim() ? [] : commitmentsChanged(edit.changes);
    if (unexplained.length > 0) throw GoalErrors.reasonRequired(unexplained);
    const next = edit.expectedVersion + 1;
    const changed = await tx
      .repo(Goal)
      .update({ id: goal.id, version: edit.expectedVersion }, { ...(edit.patch ?? {}), version: next });
    if (changed === 0) throw GoalErrors.staleVersion();
    await this.insert(tx, principal, goal.id, next, edit);
    return toGoal(await selectGoals(tx.db).where('g.id', '=', goal.id).executeTakeFirstOrThrow());
  }

  private async insert(
    tx: TenantTransaction,
    principal: Principal,
    goalId: string,
    version: number,
    edit: GoalEdit,
  ) {
    const author = authorOf(principal);
    await tx.repo(GoalRevision).insert({
      goalId,
      version,
      action: edit.action,
      changes: edit.changes,
      measureId: edit.measureId ?? null,
      reason: edit.reason?.trim() || null,
      changedByUserId: author.userId,
      changedByApiKeyId: author.apiKeyId,
    });
  }

  /** Newest first: up to `first` revisions older than `beforeVersion`; batched over the goals of a page. */
  page(goalId: string, first: number, beforeVersion: number | null): Promise<GoalRevision[]> {
    return requestGroupLoader(
      `goals:revisions:${first}:${beforeVersion ?? 'latest'}`,
      (goalIds: readonly string[]) =>
        this.tenantDb.read(async (tx) => {
          const rows = await tx.db
            .selectFrom('goal_revisions as r')
            .select([
              'r.id',
              'r.tenant_id as tenantId',
              'r.goal_id as goalId',
              'r.version',
              'r.action',
              'r.changes',
              'r.measure_id as measureId',
              'r.reason',
              'r.changed_by_user_id as changedByUserId',
              'r.changed_by_api_key_id as changedByApiKeyId',
              'r.created_at as createdAt',
            ])
            .where('r.id', 'in', (eb) =>
              eb
                .selectFrom((inner) =>
                  inner
                    .selectFrom('goal_revisions as q')
                    .select((w) => [
                      'q.id',
                      w.fn
                        .agg<number>('row_number')
                        .over((over) => over.partitionBy('q.goal_id').orderBy('q.version', 'desc'))
                        .as('n'),
                    ])
                    .where('q.goal_id', '=', anyOf(goalIds, 'uuid'))
                    .$if(beforeVersion !== null, (q) => q.where('q.version', '<', beforeVersion!))
                    .as('ranked'),
                )
                .select('ranked.id')
                .where('ranked.n', '<=', first),
            )
            .orderBy('r.version', 'desc')
            .execute();
          return rows.map((row) =>
            Object.assign(new GoalRevision(), row, {
              action: row.action as GoalRevisionAction,
              changes: row.changes as unknown as GoalFieldChange[],
            }),
          );
        }),
      (revision: GoalRevision) => revision.goalId,
    ).load(goalId);
  }
}
