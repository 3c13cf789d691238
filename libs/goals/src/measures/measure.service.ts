import { Injectable } from '@nestjs/common';
import type { Principal } from '#cairn/shared/auth';
import { todayIn } from '#cairn/shared/calendar';
import { TenantDatabase, TenantTransaction } from '#cairn/shared/database';
import { requestLoader } from '#cairn/shared/graphql';
import { GoalErrors } from '../goals.errors.js';
import { GoalAccess, type GoalInReach } from '../goals/goal-access.service.js';
import { Goal } from '../goals/goal.entity.js';
import { GoalFieldChange } from '../revisions/goal-revision.entity.js';
import { asRevisionValue, authorOf, GoalRevisionService } from '../revisions/goal-revision.service.js';
import { GoalRevisionAction } from '../revisions/revision-action.enum.js';
import {
  AddGoalMeasureInput,
  RecordProgressInput,
  RemoveGoalMeasureInput,
  UpdateGoalMeasureInput,
} from './dto/measure.inputs.js';
import { GoalMeasure } from './goal-measure.entity.js';
import {
  checkProgressValue,
  describeMeasure,
  MeasureSpec,
  ResolvedMeasure,
  resolveMeasure,
} from './measure-rules.js';
import { GoalMeasurePayload, RecordProgressPayload } from './measure.payloads.js';
import { selectMeasures } from './measure.queries.js';
import { MeasureKind } from './measure.enums.js';
import { ProgressUpdate } from './progress-update.entity.js';

const SPEC_FIELDS = [
  'title',
  'unit',
  'baseline',
  'target',
  'direction',
  'periodStart',
  'periodMonths',
] as const;

const resolvedOf = (m: GoalMeasure): ResolvedMeasure => ({
  title: m.title,
  unit: m.unit,
  baseline: m.baseline,
  target: m.target,
  direction: m.direction,
  periodStart: m.periodStart,
  periodEnd: m.periodEnd,
  periodMonths: m.periodMonths,
});

@Injectable()
export class MeasureService {
  constructor(
    private readonly tenantDb: TenantDatabase,
    private readonly access: GoalAccess,
    private readonly revisions: GoalRevisionService,
  ) {}

  add(principal: Principal, input: AddGoalMeasureInput): Promise<GoalMeasurePayload> {
    return this.tenantDb.transaction(async (tx) => {
      const reach = await this.access.editable(tx, principal, input.goalId);
      if (reach.goal.version !== input.expectedVersion) throw GoalErrors.staleVersion();
      const resolved = resolveMeasure(input.kind, this.specOf(input), this.defaultPeriodStart(reach));
      const inserted = await tx
        .repo(GoalMeasure)
        .insert({ goalId: reach.goal.id, kind: input.kind, ...resolved, removedAt: null });
      const goal = await this.revisions.commit(tx, principal, reach.goal, {
        expectedVersion: input.expectedVersion,
        action: GoalRevisionAction.MEASURE_ADDED,
        changes: [{ field: 'measure', previousValue: null, newValue: describeMeasure(input.kind, resolved) }],
        reason: input.reason,
        measureId: inserted.id,
      });
      return { goal, measure: await this.fresh(tx, inserted.id) };
    });
  }

  update(principal: Principal, input: UpdateGoalMeasureInput): Promise<GoalMeasurePayload> {
    return this.tenantDb.transaction(async (tx) => {
      const { reach, measure } = await this.editableMeasure(tx, principal, input.measureId);
      if (reach.goal.version !== input.expectedVersion) throw GoalErrors.staleVersion();
      const given = this.specOf(input);
      // Unchanged fields keep their stored values; direction is re-inferred unless given, so a new target may flip it.
      const stored = resolvedOf(measure);
      const merged: Record<string, unknown> = {};
      for (const field of SPEC_FIELDS)
        merged[field] = given[field] !== undefined ? given[field] : stored[field];
      if (given.direction === undefined) merged.direction = undefined;
      const resolved = resolveMeasure(
        measure.kind,
        merged as unknown as MeasureSpec,
        this.defaultPeriodStart(reach),
      );
      const before = stored;
      const changes: GoalFieldChange[] = (Object.keys(resolved) as (keyof ResolvedMeasure)[])
        .map((field) => ({
          field: `measure.${field}`,
          previousValue: asRevisionValue(before[field]),
          newValue: asRevisionValue(resolved[field]),
        }))
        .filter((c) => c.previousValue !== c.newValue);
      if (changes.length === 0) return { goal: reach.goal, measure };
      await tx.repo(GoalMeasure).update({ id: measure.id }, { ...resolved });
      const goal = await this.revisions.commit(tx, principal, reach.goal, {
        expectedVersion: input.expectedVersion,
        action: GoalRevisionAction.MEASURE_UPDATED,
        changes,
        reason: input.reason,
        measureId: measure.id,
      });
      return { goal, measure: await this.fresh(tx, measure.id) };
    });
  }

  remove(principal: Principal, input: RemoveGoalMeasureInput): Promise<Goal> {
    return this.tenantDb.transaction(async (tx) => {
      const { reach, measure } = await this.editableMeasure(tx, principal, input.measureId);
      if (reach.goal.version !== input.expectedVersion) throw GoalErrors.staleVersion();
      await tx.repo(GoalMeasure).update({ id: measure.id }, { removedAt: new Date() });
      return this.revisions.commit(tx, principal, reach.goal, {
        expectedVersion: input.expectedVersion,
        action: GoalRevisionAction.MEASURE_REMOVED,
        changes: [
          {
            field: 'measure',
            previousValue: describeMeasure(measure.kind, resolvedOf(measure)),
            newValue: null,
          },
        ],
        reason: input.reason,
        measureId: measure.id,
      });
    });
  }

  /** Clients record progress on their own goals too; progress is not an edit of the goal (no version bump). */
  record(principal: Principal, input: RecordProgressInput): Promise<RecordProgressPayload> {
    return this.tenantDb.transaction(async (tx) => {
      const { reach, measure } = await this.editableMeasure(tx, principal, input.measureId);
      checkProgressValue(measure.kind, input.value);
      const today = todayIn(reach.client.timezone);
      const occurredOn = input.occurredOn ?? today;
      if (occurredOn > today) throw GoalErrors.occurredInFuture(today);
      if (measure.kind === MeasureKind.COUNT && measure.periodStart && measure.periodEnd) {
        if (occurredOn < measure.periodStart || occurredOn > measure.periodEnd) {
          throw GoalErrors.occurredOutsidePeriod(measure.periodStart, measure.periodEnd);
        }
      }
      const author = authorOf(principal);
      const progressUpdate = await tx.repo(ProgressUpdate).insert({
        measureId: measure.id,
        goalId: reach.goal.id,
        value: input.value,
        note: input.note?.trim() || null,
        occurredOn,
        recordedByUserId: author.userId,
        recordedByApiKeyId: author.apiKeyId,
      });
      return { progressUpdate, measure: await this.fresh(tx, measure.id), goal: reach.goal };
    });
  }

  /** Live measures of a goal, with their figures; batched over a page of goals. */
  async ofGoal(goalId: string): Promise<GoalMeasure[]> {
    const group = await requestLoader<string, { goalId: string; measures: GoalMeasure[] }>(
      'goals:measures',
      (goalIds) =>
        this.tenantDb.transaction(async (tx) => {
          const measures = await selectMeasures(tx, 'goal_id', goalIds);
          return goalIds.map((id) => ({ goalId: id, measures: measures.filter((m) => m.goalId === id) }));
        }),
      (g) => g.goalId,
    ).load(goalId);
    return group?.measures ?? [];
  }

  /** The latest `last` updates of a measure, newest first; batched over the measures of a page. */
  async recentUpdates(measureId: string, last: number): Promise<ProgressUpdate[]> {
    const group = await requestLoader<string, { measureId: string; updates: ProgressUpdate[] }>(
      `goals:progress-updates:${last}`,
      (measureIds) =>
        this.tenantDb.transaction(async (tx) => {
          const updates = await tx
            .repo(ProgressUpdate)
            .queryBuilder('p')
            .andWhere('p.measure_id = ANY(:measureIds)', { measureIds })
            .andWhere(
              `p.id IN (SELECT ranked.id FROM (SELECT q.id, row_number() OVER (PARTITION BY q.measure_id
                 ORDER BY q.occurred_on DESC, q.created_at DESC) AS n FROM progress_updates q
                 WHERE q.tenant_id = :tenantId AND q.measure_id = ANY(:measureIds)) ranked WHERE ranked.n <= :last)`,
              { last },
            )
            .orderBy('p.occurred_on', 'DESC')
            .addOrderBy('p.created_at', 'DESC')
            .getMany();
          return measureIds.map((id) => ({
            measureId: id,
            updates: updates.filter((u) => u.measureId === id),
          }));
        }),
      (g) => g.measureId,
    ).load(measureId);
    return group?.updates ?? [];
  }

  private specOf(input: Partial<Record<(typeof SPEC_FIELDS)[number], unknown>>): MeasureSpec {
    const spec: Record<string, unknown> = {};
    for (const field of SPEC_FIELDS) if (input[field] !== undefined) spec[field] = input[field];
    return spec as unknown as MeasureSpec;
  }

  private defaultPeriodStart(reach: GoalInReach): string {
    return reach.goal.startDate ?? todayIn(reach.client.timezone);
  }

  /** The measure (not removed) and its goal, if the caller may edit the goal; NOT_FOUND otherwise. */
  private async editableMeasure(tx: TenantTransaction, principal: Principal, measureId: string) {
    const row = await tx.repo(GoalMeasure).findOne({ id: measureId });
    if (!row || row.removedAt) throw GoalErrors.measureNotFound();
    const reach = await this.access.editable(tx, principal, row.goalId).catch((error: unknown) => {
      throw (error as { code?: string }).code === 'NOT_FOUND' ? GoalErrors.measureNotFound() : error;
    });
    return { reach, measure: await this.fresh(tx, measureId) };
  }

  private async fresh(tx: TenantTransaction, measureId: string): Promise<GoalMeasure> {
    const [measure] = await selectMeasures(tx, 'id', [measureId]);
    if (!measure) throw GoalErrors.measureNotFound();
    return measure;
  }
}
