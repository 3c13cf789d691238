import { Injectable } from '@nestjs/common';
import { CaseloadAccess } from '#cairn/clients';
import type { Principal } from '#cairn/shared/auth';
import { TenantDatabase, TenantTransaction } from '#cairn/shared/database';
import { GoalErrors } from '../goals.errors.js';
import { GoalAccess } from '../goals/goal-access.service.js';
import { Goal } from '../goals/goal.entity.js';
import { selectGoals, toGoal } from '../goals/goal.rows.js';
import { GoalFieldChange } from '../revisions/goal-revision.entity.js';
import { GoalRevisionService } from '../revisions/goal-revision.service.js';
import { GoalRevisionAction } from '../revisions/revision-action.enum.js';
import { SetGoalVisibilityInput } from './dto/set-goal-visibility.input.js';
import { ALL_AUDIENCES, audienceColumns, audiencesOf, GoalAudience } from './goal-visibility.js';

/** Audiences in revisions: a JSON list in the stable order, `[]` for private. */
const asValue = (audiences: readonly GoalAudience[]) => JSON.stringify(ALL_AUDIENCES.filter((a) => audiences.includes(a)));
const within = (audiences: readonly GoalAudience[], ceiling: readonly GoalAudience[]) =>
  audiences.every((a) => ceiling.includes(a));
const intersect = (audiences: readonly GoalAudience[], ceiling: readonly GoalAudience[]) =>
  ALL_AUDIENCES.filter((a) => audiences.includes(a) && ceiling.includes(a));

export const FOLLOWS_PARENT_REASON = 'Follows its parent goal, made more private';

/**
 * Changes who may see a goal, and keeps the tree's rule: a sub-goal is never more visible than its parent unless
 * the client said so (`exceedsParent`). Locks go parent before child everywhere (the parent row FOR SHARE, then
 * the goal FOR UPDATE; a parent's change locks its children after itself), so a parent narrowing and a child
 * widening at once serialize instead of leaving a child wider than its parent.
 */
@Injectable()
export class GoalVisibilityChanges {
  constructor(
    private readonly tenantDb: TenantDatabase,
    private readonly caseload: CaseloadAccess,
    private readonly access: GoalAccess,
    private readonly revisions: GoalRevisionService,
  ) {}

  set(principal: Principal, input: SetGoalVisibilityInput): Promise<Goal> {
    return this.tenantDb.transaction(async (tx) => {
      const byClient = this.caseload.scopeOf(principal).kind === 'client';
      const consent = input.consentNote?.trim() || null;
      if (!byClient && input.exceedParent) throw GoalErrors.exceedParentClientOnly();

      const peek = await tx.db.selectFrom('goals').select('parent_id').where('id', '=', input.id).executeTakeFirst();
      const parent = peek?.parent_id
        ? toGoal(await selectGoals(tx.db).where('g.id', '=', peek.parent_id).forShare().executeTakeFirstOrThrow())
        : null;
      const { goal } = await this.access.editable(tx, principal, input.id);
      if (goal.version !== input.expectedVersion || goal.parentId !== (parent?.id ?? null))
        throw GoalErrors.staleVersion();
      // Checked after the goal is found, so a caller who may not see it learns nothing from this error.
      if (!byClient && !consent) throw GoalErrors.consentRequired();

      const wanted = intersect(input.audiences, ALL_AUDIENCES);
      const exceeds = byClient && parent !== null && Boolean(input.exceedParent);
      if (parent && !exceeds && !within(wanted, audiencesOf(parent)))
        throw GoalErrors.moreVisibleThanParent(audiencesOf(parent));

      const audiencesChange = GoalVisibilityChanges.change(audiencesOf(goal), wanted);
      const changes: GoalFieldChange[] = audiencesChange ? [audiencesChange] : [];
      if (goal.exceedsParent !== exceeds)
        changes.push({ field: 'exceedsParent', previousValue: String(goal.exceedsParent), newValue: String(exceeds) });
      if (changes.length === 0) return goal;

      const changed = await this.revisions.commit(tx, principal, goal, {
        expectedVersion: input.expectedVersion,
        action: GoalRevisionAction.VISIBILITY_CHANGED,
        changes,
        reason: byClient ? null : `Client’s consent: ${consent}`,
        patch: { ...audienceColumns(wanted), exceedsParent: exceeds },
      });
      await this.narrowDescendants(tx, principal, changed.id, wanted);
      return changed;
    });
  }

  /**
   * The audiences a goal placed under `parent` may have: `wanted` as it is when the goal exceeds its parent by
   * the client's choice, else no more than the parent's.
   */
  placedUnder(parent: Goal | null, wanted: readonly GoalAudience[], exceedsParent: boolean): GoalAudience[] {
    return parent && !exceedsParent ? intersect(wanted, audiencesOf(parent)) : [...wanted];
  }

  /**
   * After `goalId` became no more visible than `audiences`: each sub-goal that does not exceed its parent by the
   * client's choice loses what its parent lost (a revision each, by the same author), and so on down the tree.
   */
  async narrowDescendants(
    tx: TenantTransaction,
    principal: Principal,
    goalId: string,
    audiences: readonly GoalAudience[],
  ): Promise<void> {
    const children = (
      await selectGoals(tx.db)
        .where('g.parent_id', '=', goalId)
        .where('g.exceeds_parent', '=', false)
        .orderBy('g.id')
        .forUpdate()
        .execute()
    ).map(toGoal);
    for (const child of children) {
      const after = intersect(audiencesOf(child), audiences);
      const change = GoalVisibilityChanges.change(audiencesOf(child), after);
      if (!change) continue;
      await this.revisions.commit(tx, principal, child, {
        expectedVersion: child.version,
        action: GoalRevisionAction.VISIBILITY_CHANGED,
        changes: [change],
        reason: FOLLOWS_PARENT_REASON,
        patch: audienceColumns(after),
      });
      await this.narrowDescendants(tx, principal, child.id, after);
    }
  }

  /** The revision change for a goal whose audiences moved with its placement (create, re-parent). */
  static change(before: readonly GoalAudience[], after: readonly GoalAudience[]): GoalFieldChange | null {
    return asValue(before) === asValue(after)
      ? null
      : { field: 'audiences', previousValue: asValue(before), newValue: asValue(after) };
  }
}
