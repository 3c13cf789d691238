import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { CaseloadAccess, type ClientRef } from '#cairn/clients';
import type { Principal } from '#cairn/shared/auth';
import { todayIn } from '#cairn/shared/calendar';
import { TenantDatabase, TenantTransaction } from '#cairn/shared/database';
import { ConnectionShape, paginate } from '#cairn/shared/graphql';
import { EventOutbox } from '#cairn/shared/events';
import { AuthenticityService } from '../authenticity/authenticity.service.js';
import { GoalTraitLinks } from '../authenticity/goal-trait-links.service.js';
import { GoalErrors } from '../goals.errors.js';
import { authorOf, diffGoals, GoalRevisionService } from '../revisions/goal-revision.service.js';
import { GoalRevisionAction } from '../revisions/revision-action.enum.js';
import { unmetRequired } from '../smart/smart-assessment.js';
import { SmartService } from '../smart/smart.service.js';
import { ChangeGoalStatusInput } from './dto/change-goal-status.input.js';
import { CreateGoalInput } from './dto/create-goal.input.js';
import { GoalsArgs } from './dto/goals.args.js';
import { UpdateGoalInput } from './dto/update-goal.input.js';
import { GoalAccess } from './goal-access.service.js';
import { canMove, horizonFits } from './goal-rules.js';
import { Goal } from './goal.entity.js';
import { selectGoals, toGoal } from './goal.rows.js';
import { GoalHorizon, GoalProposer, GoalStatus, HORIZON_RANK } from './goal.enums.js';
import { GoalWhyInput } from './goal-why.model.js';
import { GoalVisibilityChanges } from '../visibility/goal-visibility-change.service.js';
import { ALL_AUDIENCES, audienceColumns, audiencesOf } from '../visibility/goal-visibility.js';
import { GoalVisibility } from '../visibility/goal-visibility.service.js';

const DEFAULT_PRIORITY = 3;

const text = (value: string | null | undefined) => value?.trim() || null;
const list = (values: string[] | null | undefined) => [
  ...new Set((values ?? []).map((v) => v.trim()).filter(Boolean)),
];

/** Goal columns from a why input; only the fields present in `why` (null clears). */
function whyColumns(why: GoalWhyInput): Partial<Goal> {
  const columns: Partial<Goal> = {};
  if (why.motivation !== undefined) columns.motivation = text(why.motivation);
  if (why.energizesWorkLife !== undefined) columns.whyEnergizes = text(why.energizesWorkLife);
  if (why.fulfilsPersonally !== undefined) columns.whyFulfils = text(why.fulfilsPersonally);
  if (why.alignsWithValues !== undefined) columns.whyAlignsValues = text(why.alignsWithValues);
  if (why.strength !== undefined) columns.whyStrength = why.strength ?? null;
  if (why.values !== undefined) columns.linkedValues = list(why.values);
  if (why.strengths !== undefined) columns.linkedStrengths = list(why.strengths);
  return columns;
}

/** The position a goal would take in its tree, checked before anything is written. */
interface Placement {
  id?: string;
  clientId: string;
  parentId: string | null;
  horizon: GoalHorizon;
  startDate: string | null;
  targetDate: string | null;
}

@Injectable()
export class GoalService {
  constructor(
    private readonly tenantDb: TenantDatabase,
    private readonly caseload: CaseloadAccess,
    private readonly access: GoalAccess,
    private readonly revisions: GoalRevisionService,
    private readonly smart: SmartService,
    private readonly authenticity: AuthenticityService,
    private readonly links: GoalTraitLinks,
    private readonly outbox: EventOutbox,
    private readonly visibility: GoalVisibility,
    private readonly visibilityChanges: GoalVisibilityChanges,
  ) {}

  get(principal: Principal, id: string): Promise<Goal> {
    return this.tenantDb.read(async (tx) => (await this.access.visible(tx, principal, id)).goal);
  }

  list(principal: Principal, args: GoalsArgs): Promise<ConnectionShape<Goal>> {
    return this.tenantDb.read(async (tx) => {
      let query = this.visibility.restrict(tx, selectGoals(tx.db), principal, 'g');
      if (args.clientId) {
        await this.caseload.visibleClient(tx, principal, args.clientId);
        query = query.where('g.client_id', '=', args.clientId);
      }
      if (args.parentId) {
        await this.access.visible(tx, principal, args.parentId);
        query = query.where('g.parent_id', '=', args.parentId);
      }
      if (args.rootsOnly) query = query.where('g.parent_id', 'is', null);
      if (args.status) query = query.where('g.status', '=', args.status);
      if (args.horizon) query = query.where('g.horizon', '=', args.horizon);
      return paginate(query, 'g', args, { node: toGoal });
    });
  }

  create(principal: Principal, input: CreateGoalInput): Promise<Goal> {
    return this.tenantDb.transaction((tx) => this.createInTx(tx, principal, input));
  }

  /**
   * Creates a DRAFT goal and its revision 1 inside the caller's transaction (the development list turns an
   * item into a goal this way). Applies every rule the API applies: the client must be editable by the
   * principal, the parent the same client's, horizons not inverted, dates in order and not in the past.
   */
  async createInTx(tx: TenantTransaction, principal: Principal, input: CreateGoalInput): Promise<Goal> {
    const client = await this.caseload.editableClient(tx, principal, input.clientId);
    const placement: Placement = {
      clientId: client.id,
      parentId: input.parentId ?? null,
      horizon: input.horizon,
      startDate: input.startDate ?? null,
      targetDate: input.targetDate ?? null,
    };
    if (placement.targetDate) this.assertNotPast(client, placement.targetDate);
    const parent = await this.assertPlacement(tx, principal, placement);
    const author = authorOf(principal);
    const isClient = this.caseload.scopeOf(principal).kind === 'client';
    if (input.audiences && !isClient) throw GoalErrors.audiencesClientOnly();
    const audiences = input.audiences ?? (parent ? audiencesOf(parent) : ALL_AUDIENCES);
    if (parent && this.visibilityChanges.placedUnder(parent, audiences, false).length < audiences.length)
      throw GoalErrors.moreVisibleThanParent(audiencesOf(parent));
    const goal = await tx.repo(Goal).insert({
      clientId: client.id,
      parentId: placement.parentId,
      horizon: input.horizon,
      title: input.title.trim(),
      description: text(input.description),
      category: input.category,
      status: GoalStatus.DRAFT,
      priority: input.priority ?? DEFAULT_PRIORITY,
      startDate: placement.startDate,
      targetDate: placement.targetDate,
      motivation: null,
      whyEnergizes: null,
      whyFulfils: null,
      whyAlignsValues: null,
      whyStrength: null,
      linkedValues: [],
      linkedStrengths: [],
      ...(input.why ? whyColumns(input.why) : {}),
      attainabilityNotes: text(input.attainabilityNotes),
      skillsGap: text(input.skillsGap),
      challengeLevel: input.challengeLevel ?? null,
      proposedBy: input.proposedBy ?? (isClient ? GoalProposer.CLIENT : GoalProposer.COACH),
      careerStepId: null,
      createdByUserId: author.userId,
      createdByApiKeyId: author.apiKeyId,
      achievedAt: null,
      ...audienceColumns(audiences),
      exceedsParent: false,
      version: 1,
    });
    const linkChanges = await this.links.replace(tx, goal, input.why);
    await this.revisions.recordCreation(tx, principal, goal, linkChanges);
    return goal;
  }

  /** Edits fields and the goal's place in its tree; a change of nothing returns the goal as it is. */
  update(principal: Principal, input: UpdateGoalInput): Promise<Goal> {
    return this.tenantDb.transaction(async (tx) => {
      const { goal, client } = await this.access.editable(tx, principal, input.id);
      if (goal.version !== input.expectedVersion) throw GoalErrors.staleVersion();

      const patch: Partial<Goal> = {};
      if (input.title !== undefined) patch.title = input.title.trim();
      if (input.description !== undefined) patch.description = text(input.description);
      if (input.horizon !== undefined) patch.horizon = input.horizon;
      if (input.category !== undefined) patch.category = input.category;
      if (input.priority !== undefined) patch.priority = input.priority;
      if (input.startDate !== undefined) patch.startDate = input.startDate;
      if (input.targetDate !== undefined) patch.targetDate = input.targetDate;
      if (input.parentId !== undefined) patch.parentId = input.parentId;
      if (input.attainabilityNotes !== undefined) patch.attainabilityNotes = text(input.attainabilityNotes);
      if (input.skillsGap !== undefined) patch.skillsGap = text(input.skillsGap);
      if (input.challengeLevel !== undefined) patch.challengeLevel = input.challengeLevel;
      if (input.proposedBy !== undefined) patch.proposedBy = input.proposedBy;
      if (input.why) Object.assign(patch, whyColumns(input.why));

      const after = Object.assign(new Goal(), goal, patch);
      const changes = [...diffGoals(goal, after), ...(await this.links.replace(tx, goal, input.why))];
      if (changes.length === 0) return goal;

      if (after.targetDate && after.targetDate !== goal.targetDate)
        this.assertNotPast(client, after.targetDate);
      const placementChanged = changes.some((c) =>
        ['parentId', 'horizon', 'startDate', 'targetDate'].includes(c.field),
      );
      let newParent: Goal | null = null;
      if (placementChanged) {
        newParent = await this.assertPlacement(tx, principal, {
          id: goal.id,
          clientId: goal.clientId,
          parentId: after.parentId,
          horizon: after.horizon,
          startDate: after.startDate,
          targetDate: after.targetDate,
        });
      }
      // A goal placed under a parent is no more visible than it, unless the client chose to exceed that very
      // parent: a move to another parent ends the choice (the client may make it again).
      const exceeds = goal.exceedsParent && after.parentId === goal.parentId;
      const audiences = this.visibilityChanges.placedUnder(newParent, audiencesOf(goal), exceeds);
      const narrowed = GoalVisibilityChanges.change(audiencesOf(goal), audiences);
      if (narrowed) {
        changes.push(narrowed);
        Object.assign(patch, audienceColumns(audiences));
      }
      if (exceeds !== goal.exceedsParent) {
        changes.push({ field: 'exceedsParent', previousValue: 'true', newValue: 'false' });
        patch.exceedsParent = false;
      }
      const updated = await this.revisions.commit(tx, principal, goal, {
        expectedVersion: input.expectedVersion,
        action: GoalRevisionAction.UPDATED,
        changes,
        reason: input.reason,
        patch,
      });
      if (narrowed) await this.visibilityChanges.narrowDescendants(tx, principal, goal.id, audiences);
      return updated;
    });
  }

  changeStatus(principal: Principal, input: ChangeGoalStatusInput): Promise<Goal> {
    return this.tenantDb.transaction(async (tx) => {
      const { goal } = await this.access.editable(tx, principal, input.id);
      if (goal.version !== input.expectedVersion) throw GoalErrors.staleVersion();
      if (!canMove(goal.status, input.status))
        throw GoalErrors.transitionNotAllowed(goal.status, input.status);
      if (input.status === GoalStatus.ACTIVE) {
        const unmet = unmetRequired(await this.smart.assessInTx(tx, goal));
        const unmetAuthenticity = (await this.authenticity.assessInTx(tx, goal)).filter((r) => r.required && !r.met);
        if (unmet.length > 0 || unmetAuthenticity.length > 0)
          throw GoalErrors.activationGateUnmet(unmet, unmetAuthenticity);
      }
      const achievedAt = input.status === GoalStatus.ACHIEVED ? new Date() : null;
      const changed = await this.revisions.commit(tx, principal, goal, {
        expectedVersion: input.expectedVersion,
        action: GoalRevisionAction.STATUS_CHANGED,
        changes: [{ field: 'status', previousValue: goal.status, newValue: input.status }],
        reason: input.reason,
        patch: { status: input.status, achievedAt },
      });
      const event = { goalId: goal.id, clientId: goal.clientId, previousStatus: goal.status, status: input.status };
      await this.outbox.emit(tx, 'goal.status_changed', event);
      if (achievedAt) await this.outbox.emit(tx, 'goal.achieved', event, achievedAt);
      return changed;
    });
  }

  private assertNotPast(client: ClientRef, targetDate: string): void {
    const today = todayIn(client.timezone);
    if (targetDate < today) throw GoalErrors.targetDateInPast(today);
  }

  /**
   * Tree and date rules: target not before start; the parent visible, the same client's, not ABANDONED, with a
   * horizon at least as long and a target date not earlier; no cycle; and, for an existing goal, its children
   * (not ABANDONED) neither longer in horizon nor due later than it. Returns the parent, if any.
   */
  private async assertPlacement(tx: TenantTransaction, principal: Principal, p: Placement): Promise<Goal | null> {
    if (p.startDate && p.targetDate && p.targetDate < p.startDate) throw GoalErrors.targetBeforeStart();
    let parentGoal: Goal | null = null;
    if (p.parentId) {
      if (p.parentId === p.id) throw GoalErrors.cycle();
      const { goal: parent } = await this.access.visible(tx, principal, p.parentId);
      parentGoal = parent;
      if (parent.clientId !== p.clientId) throw GoalErrors.parentOfOtherClient();
      if (parent.status === GoalStatus.ABANDONED) throw GoalErrors.parentAbandoned();
      if (!horizonFits(parent.horizon, p.horizon))
        throw GoalErrors.horizonInversion(p.horizon, parent.horizon);
      if (p.targetDate && parent.targetDate && p.targetDate > parent.targetDate) {
        throw GoalErrors.targetAfterParent(parent.targetDate);
      }
      if (p.id && (await this.isAncestorOrSelf(tx, p.id, p.parentId))) throw GoalErrors.cycle();
    }
    if (p.id) {
      const children = await tx.db
        .selectFrom('goals')
        .select((eb) => [
          eb.cast<string | null>(eb.fn.max('target_date'), 'text').as('latest_target'),
          eb.fn
            .min<number | null>(
              eb
                .case('horizon')
                .when(GoalHorizon.LONG_TERM)
                .then(sql.lit(HORIZON_RANK[GoalHorizon.LONG_TERM]))
                .when(GoalHorizon.MID_TERM)
                .then(sql.lit(HORIZON_RANK[GoalHorizon.MID_TERM]))
                .else(sql.lit(HORIZON_RANK[GoalHorizon.IMMEDIATE]))
                .end(),
            )
            .as('longest_rank'),
        ])
        .where('parent_id', '=', p.id)
        .where('status', '<>', GoalStatus.ABANDONED)
        .executeTakeFirstOrThrow();
      if (children.longest_rank !== null && children.longest_rank < HORIZON_RANK[p.horizon]) {
        throw GoalErrors.childHorizonInversion(p.horizon);
      }
      if (p.targetDate && children.latest_target && children.latest_target > p.targetDate) {
        throw GoalErrors.targetBeforeChildren(children.latest_target);
      }
    }
    return parentGoal;
  }

  /** Whether `goalId` is `candidateParentId` or one of its ancestors: then re-parenting would close a cycle. */
  private async isAncestorOrSelf(
    tx: TenantTransaction,
    goalId: string,
    candidateParentId: string,
  ): Promise<boolean> {
    const rows = await tx.db
      .withRecursive('up(id, parent_id)', (db) =>
        db
          .selectFrom('goals')
          .select(['id', 'parent_id'])
          .where('id', '=', candidateParentId)
          .union((u) => u.selectFrom('goals as g').innerJoin('up', 'up.parent_id', 'g.id').select(['g.id', 'g.parent_id'])),
      )
      .selectFrom('up')
      .select(sql.lit(1).as('one'))
      .where('up.id', '=', goalId)
      .limit(1)
      .execute();
    return rows.length > 0;
  }
}
