import { Injectable } from '@nestjs/common';
import type { Principal } from '#cairn/shared/auth';
import { todayIn } from '#cairn/shared/calendar';
import { anyOf, TenantDatabase, TenantTransaction } from '#cairn/shared/database';
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
import { GoalFactsLoader } from '../progress/goal-facts.loader.js';
import { selectMeasures } from './measure.queries.js';
import { MeasureKind } from './measure.enums.js';
import { counting, directUpdateOccurredAt } from './progress-history.js';
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
    private readonly facts: GoalFactsLoader,
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
  record(principal: Principal, input: RecordProgressInput, now = new Date()): Promise<RecordProgressPayload> {
    return this.tenantDb.transaction(async (tx) => {
      const { reach, measure } = await this.editableMeasure(tx, principal, input.measureId);
      checkProgressValue(measure.kind, input.value);
      const today = todayIn(reach.client.timezone, now);
      const occurredOn = input.occurredOn ?? today;
      if (occurredOn > today) throw GoalErrors.occurredInFuture(today);
      const occurredAt = directUpdateOccurredAt(occurredOn, reach.client.timezone, now);
      return this.insertUpdate(tx, principal, reach, measure, { ...input, occurredOn, occurredAt });
    });
  }

  /**
   * Progress from one answer (`source`, e.g. one prompt of one check-in) given at `occurredAt`, recorded
   * again when the answer is corrected. Records nothing (null) when the value equals what that answer last
   * recorded on the measure; otherwise the new update supersedes that one, so a COUNT's total holds the
   * corrected contribution instead of both, and (happening at the same instant) it cannot outrank a newer
   * update. A correction of a COUNT may be 0: the answer no longer contributes.
   */
  recordAnswer(
    principal: Principal,
    input: { measureId: string; value: number; note: string; occurredAt: Date; source: string },
  ): Promise<RecordProgressPayload | null> {
    return this.tenantDb.transaction(async (tx) => {
      const { reach, measure } = await this.editableMeasure(tx, principal, input.measureId);
      const earlier = await tx.db
        .selectFrom('progress_updates as p')
        .select(['p.id', 'p.value'])
        .where('p.source', '=', input.source)
        .where('p.measure_id', '=', measure.id)
        .where(counting('p'))
        .orderBy('p.created_at', 'desc')
        .limit(1)
        .executeTakeFirst();
      if (earlier?.value === input.value) return null;
      checkProgressValue(measure.kind, input.value, { replacing: earlier !== undefined });
      return this.insertUpdate(tx, principal, reach, measure, {
        ...input,
        occurredOn: todayIn(reach.client.timezone, input.occurredAt),
        supersedesId: earlier?.id ?? null,
      });
    });
  }

  private async insertUpdate(
    tx: TenantTransaction,
    principal: Principal,
    reach: GoalInReach,
    measure: GoalMeasure,
    update: {
      value: number;
      note?: string | null;
      occurredOn: string;
      occurredAt: Date;
      source?: string;
      supersedesId?: string | null;
    },
  ): Promise<RecordProgressPayload> {
    if (measure.kind === MeasureKind.COUNT && measure.periodStart && measure.periodEnd) {
      if (update.occurredOn < measure.periodStart || update.occurredOn > measure.periodEnd) {
        throw GoalErrors.occurredOutsidePeriod(measure.periodStart, measure.periodEnd);
      }
    }
    const author = authorOf(principal);
    const progressUpdate = await tx.repo(ProgressUpdate).insert({
      measureId: measure.id,
      goalId: reach.goal.id,
      value: update.value,
      note: update.note?.trim() || null,
      occurredOn: update.occurredOn,
      occurredAt: update.occurredAt,
      source: update.source ?? null,
      supersedesId: update.supersedesId ?? null,
      recordedByUserId: author.userId,
      recordedByApiKeyId: author.apiKeyId,
    });
    return { progressUpdate, measure: await this.fresh(tx, measure.id), goal: reach.goal };
  }

  /** Live measures of a goal, with their figures, as of now; batched with the rest of the request. */
  async ofGoal(goalId: string): Promise<GoalMeasure[]> {
    return (await this.facts.load(goalId)).measures;
  }

  /** The latest `last` updates of a measure by the history rule, corrected ones too; batched over a page. */
  async recentUpdates(measureId: string, last: number): Promise<ProgressUpdate[]> {
    const group = await requestLoader<string, { measureId: string; updates: ProgressUpdate[] }>(
      `goals:progress-updates:${last}`,
      (measureIds) =>
        this.tenantDb.read(async (tx) => {
          const rows = await tx.db
            .selectFrom('progress_updates as p')
            .select((eb) => [
              'p.id',
              'p.tenant_id as tenantId',
              'p.measure_id as measureId',
              'p.goal_id as goalId',
              'p.value',
              'p.note',
              eb.cast<string>('p.occurred_on', 'text').as('occurredOn'),
              'p.occurred_at as occurredAt',
              'p.source',
              'p.supersedes_id as supersedesId',
              eb
                .selectFrom('progress_updates as s')
                .select('s.id')
                .whereRef('s.supersedes_id', '=', 'p.id')
                .as('supersededById'),
              'p.recorded_by_user_id as recordedByUserId',
              'p.recorded_by_api_key_id as recordedByApiKeyId',
              'p.created_at as createdAt',
            ])
            .where('p.id', 'in', (eb) =>
              eb
                .selectFrom((inner) =>
                  inner
                    .selectFrom('progress_updates as q')
                    .select((w) => [
                      'q.id',
                      // The history rule's order, latest first (progress-history.ts).
                      w.fn
                        .agg<number>('row_number')
                        .over((over) =>
                          over.partitionBy('q.measure_id').orderBy('q.occurred_at', 'desc').orderBy('q.created_at', 'desc'),
                        )
                        .as('n'),
                    ])
                    .where('q.measure_id', '=', anyOf(measureIds, 'uuid'))
                    .as('ranked'),
                )
                .select('ranked.id')
                .where('ranked.n', '<=', last),
            )
            .where('p.measure_id', '=', anyOf(measureIds, 'uuid'))
            .orderBy('p.occurred_at', 'desc')
            .orderBy('p.created_at', 'desc')
            .execute();
          const entities = rows.map((row) => Object.assign(new ProgressUpdate(), row));
          return measureIds.map((id) => ({
            measureId: id,
            updates: entities.filter((u) => u.measureId === id),
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
    const row = await tx.db
      .selectFrom('goal_measures')
      .select('goal_id')
      .where('id', '=', measureId)
      .where('removed_at', 'is', null)
      .executeTakeFirst();
    if (!row) throw GoalErrors.measureNotFound();
    const reach = await this.access.editable(tx, principal, row.goal_id).catch((error: unknown) => {
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
