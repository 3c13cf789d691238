import { Injectable } from '@nestjs/common';
import { type Expression, type SqlBool, sql } from 'kysely';
import { GoalAudience, goalSharedWith, goalVisibleTo, GoalVisibility } from '#cairn/goals';
import type { Principal } from '#cairn/shared/auth';
import { anyOf, TenantDatabase, type TenantTransaction } from '#cairn/shared/database';
import { requestLoader } from '#cairn/shared/graphql';
import type { CheckInSubmission } from '../submissions/checkin-submission.entity.js';

interface HiddenPrompts {
  assignmentId: string;
  keys: Set<string>;
}

/**
 * An answer to a prompt bound to a goal measure is progress on that goal: whoever may not see the goal does not
 * see the answer either (nor its progress issue). The goal's visibility decides, through GoalVisibility.
 */
@Injectable()
export class BoundAnswerVisibility {
  constructor(
    private readonly tenantDb: TenantDatabase,
    private readonly visibility: GoalVisibility,
  ) {}

  /** Per assignment: the prompt keys bound to measures of goals the caller may not see. */
  hiddenKeys(tx: TenantTransaction, principal: Principal, assignmentIds: readonly string[]): Promise<Map<string, Set<string>>> {
    const viewer = this.visibility.viewerOf(principal);
    return this.keysWhere(tx, assignmentIds, (g) => goalVisibleTo(tx, viewer, g));
  }

  /**
   * The progress issues the client's coaches may read (the `checkin.submitted` feed entry): those of prompts bound
   * to goals the client shares with coaches.
   */
  async issuesForCoaches(tx: TenantTransaction, assignmentId: string, issues: readonly string[]): Promise<string[]> {
    if (issues.length === 0) return [];
    const hidden = (await this.keysWhere(tx, [assignmentId], (g) => goalSharedWith(g, [GoalAudience.COACHES]))).get(
      assignmentId,
    );
    return issues.filter((issue) => ![...(hidden ?? [])].some((key) => issue.startsWith(`${key}:`)));
  }

  private async keysWhere(
    tx: TenantTransaction,
    assignmentIds: readonly string[],
    visible: (goalAlias: string) => Expression<SqlBool>,
  ): Promise<Map<string, Set<string>>> {
    const result = new Map<string, Set<string>>(assignmentIds.map((id) => [id, new Set()]));
    if (assignmentIds.length === 0) return result;
    const rows = await tx.db
      .selectFrom('checkin_assignments as a')
      .innerJoin(sql<{ value: unknown }>`jsonb_array_elements(a.measure_bindings)`.as('b'), (join) => join.onTrue())
      .innerJoin('goal_measures as m', (join) => join.on(sql<boolean>`m.id = (b.value->>'measureId')::uuid`))
      .innerJoin('goals as g', 'g.id', 'm.goal_id')
      .select(['a.id as assignmentId', sql<string>`b.value->>'promptKey'`.as('promptKey')])
      .where('a.id', '=', anyOf(assignmentIds, 'uuid'))
      .where(sql<boolean>`NOT ${visible('g')}`)
      .execute();
    for (const row of rows) result.get(row.assignmentId)?.add(row.promptKey);
    return result;
  }

  /** `hiddenKeys` of one assignment, batched with the rest of the request. */
  private async hiddenOf(principal: Principal, assignmentId: string): Promise<Set<string>> {
    const loaded = await requestLoader<string, HiddenPrompts>(
      'checkins:hidden-bound-prompts',
      (ids) =>
        this.tenantDb.read(async (tx) =>
          [...(await this.hiddenKeys(tx, principal, ids))].map(([id, keys]) => ({ assignmentId: id, keys })),
        ),
      (hidden) => hidden.assignmentId,
    ).load(assignmentId);
    return loaded?.keys ?? new Set();
  }

  /** The submissions as the caller may see them: answers bound to hidden goals left out. */
  async redact(
    principal: Principal,
    assignmentId: string,
    submissions: readonly CheckInSubmission[],
  ): Promise<CheckInSubmission[]> {
    const hidden = await this.hiddenOf(principal, assignmentId);
    if (hidden.size === 0) return [...submissions];
    return submissions.map((s) =>
      Object.assign(Object.create(Object.getPrototypeOf(s) as object) as CheckInSubmission, s, {
        answers: s.answers.filter((a) => !hidden.has(a.key)),
        progressIssues: s.progressIssues.filter((issue) => ![...hidden].some((key) => issue.startsWith(`${key}:`))),
        progressUpdateIds: [],
      }),
    );
  }
}
