import { type Expression, sql } from 'kysely';
import { anyOf, prepareQuery, TenantTransaction } from '#cairn/shared/database';
import { fieldAsOf, fieldsBefore, measureRevisionsOf } from '../revisions/fields-as-of.js';
import { GoalMeasure } from './goal-measure.entity.js';
import { MeasureDirection, MeasureKind } from './measure.enums.js';
import { counting } from './progress-history.js';

interface Params {
  ids: readonly string[];
  asOf: Date;
}

/** The statement of `selectMeasures`, built once per process for each way of calling it. */
function measuresQuery(by: 'goal_id' | 'id', withAsOf: boolean) {
  return prepareQuery((db, p: Params) => {
    const asOf = withAsOf ? p.asOf : undefined;
    // Each field as it was at `asOf`, or as it is.
    const then = <T>(field: string, current: Expression<unknown>, type: string) =>
      asOf ? fieldAsOf<T>('was_then', `measure.${field}`, current, type) : sql<T>`${current}`;
    const periodStart = then<string | null>('periodStart', sql.ref('m.period_start'), 'date');
    const periodEnd = then<string | null>('periodEnd', sql.ref('m.period_end'), 'date');
    return db
      .selectFrom('goal_measures as m')
      .$if(asOf !== undefined, (q) =>
        q.leftJoinLateral(fieldsBefore(measureRevisionsOf('m'), asOf!).as('was_then'), (join) => join.onTrue()),
      )
      .select((eb) => [
        'm.id',
        'm.goal_id',
        'm.kind',
        then<string>('title', sql.ref('m.title'), 'text').as('title'),
        then<string | null>('unit', sql.ref('m.unit'), 'text').as('unit'),
        then<number | null>('baseline', sql.ref('m.baseline'), 'float8').as('baseline'),
        then<number | null>('target', sql.ref('m.target'), 'float8').as('target'),
        then<MeasureDirection | null>('direction', sql.ref('m.direction'), 'text').as('direction'),
        sql<string | null>`${periodStart}::text`.as('period_start'),
        sql<string | null>`${periodEnd}::text`.as('period_end'),
        then<number | null>('periodMonths', sql.ref('m.period_months'), 'smallint').as('period_months'),
        'm.created_at',
        'm.updated_at',
        // The figures of the history rule (progress-history.ts): the latest counting update, and a COUNT's total.
        eb
          .selectFrom('progress_updates as p')
          .select('p.value')
          .whereRef('p.measure_id', '=', 'm.id')
          .where(counting('p', asOf))
          .orderBy('p.occurred_at', 'desc')
          .orderBy('p.created_at', 'desc')
          .limit(1)
          .as('latest_value'),
        eb
          .selectFrom('progress_updates as p')
          .select((s) => s.fn.sum<number | null>('p.value').as('total'))
          .whereRef('p.measure_id', '=', 'm.id')
          .where(counting('p', asOf))
          .where(sql<boolean>`p.occurred_on BETWEEN ${periodStart} AND ${periodEnd}`)
          .as('period_total'),
      ])
      .where(`m.${by}`, '=', anyOf(p.ids, 'uuid'))
      .where(
        asOf
          ? sql<boolean>`m.created_at <= ${asOf} AND (m.removed_at IS NULL OR m.removed_at > ${asOf})`
          : sql<boolean>`m.removed_at IS NULL`,
      )
      .orderBy('m.created_at')
      .orderBy('m.id');
  });
}

const queries = new Map<string, ReturnType<typeof measuresQuery>>();

/**
 * The live (not removed) measures of some goals, or some measures by id, each with the figures its progress
 * derives from, by the history rule (progress-history.ts): the current value (the latest counting update by
 * when it happened) and, for COUNT, the sum of the counting updates that occurred within the period. One
 * statement however many goals.
 *
 * With `asOf`, the measures as they stood then: those added by then and not removed by then, their baseline,
 * target and period as they were (see fields-as-of.ts), and the updates as they stood then. Without it, as
 * they stand now.
 */
export async function selectMeasures(
  tx: TenantTransaction,
  by: 'goal_id' | 'id',
  ids: readonly string[],
  options: { asOf?: Date } = {},
): Promise<GoalMeasure[]> {
  if (ids.length === 0) return [];
  const key = `${by}:${options.asOf !== undefined}`;
  let query = queries.get(key);
  if (!query) queries.set(key, (query = measuresQuery(by, options.asOf !== undefined)));
  const rows = await query.execute(tx, { ids, asOf: options.asOf as Date });
  return rows.map((r) =>
    Object.assign(new GoalMeasure(), {
      id: r.id,
      tenantId: tx.tenantId,
      goalId: r.goal_id,
      kind: r.kind as MeasureKind,
      title: r.title,
      unit: r.unit,
      baseline: r.baseline,
      target: r.target,
      direction: r.direction,
      periodStart: r.period_start,
      periodEnd: r.period_end,
      periodMonths: r.period_months,
      removedAt: null,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
      latestValue: r.latest_value,
      periodTotal: r.period_total,
    }),
  );
}
