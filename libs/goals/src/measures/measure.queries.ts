import { TenantTransaction } from '#cairn/shared/database';
import { fieldAsOf, fieldsBeforeJoin, measureRevisionsOf } from '../revisions/fields-as-of.js';
import { GoalMeasure } from './goal-measure.entity.js';
import { MeasureDirection, MeasureKind } from './measure.enums.js';
import { countingUpdate, LATEST_FIRST } from './progress-history.js';

interface MeasureRow {
  id: string;
  goal_id: string;
  kind: MeasureKind;
  title: string;
  unit: string | null;
  baseline: number | null;
  target: number | null;
  direction: MeasureDirection | null;
  period_start: string | null;
  period_end: string | null;
  period_months: number | null;
  created_at: Date;
  updated_at: Date;
  latest_value: number | null;
  period_total: number | null;
}

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
  const asOf = options.asOf;
  // Each field as it was at `asOf`, or as it is.
  const then = (field: string, current: string, type: string) =>
    asOf ? fieldAsOf('was_then', `measure.${field}`, current, type) : current;
  const revisions = asOf ? fieldsBeforeJoin('was_then', measureRevisionsOf('m'), '$3') : '';
  const live = asOf
    ? 'm.created_at <= $3 AND (m.removed_at IS NULL OR m.removed_at > $3)'
    : 'm.removed_at IS NULL';
  const counting = countingUpdate('p', asOf ? '$3' : undefined);
  const periodStart = then('periodStart', 'm.period_start', 'date');
  const periodEnd = then('periodEnd', 'm.period_end', 'date');
  const rows: MeasureRow[] = await tx.manager.query(
    `SELECT m.id, m.goal_id, m.kind, ${then('title', 'm.title', 'text')} AS title, ${then('unit', 'm.unit', 'text')} AS unit,
            ${then('baseline', 'm.baseline', 'float8')} AS baseline, ${then('target', 'm.target', 'float8')} AS target,
            ${then('direction', 'm.direction', 'text')} AS direction,
            ${periodStart}::text AS period_start, ${periodEnd}::text AS period_end,
            ${then('periodMonths', 'm.period_months', 'smallint')} AS period_months,
            m.created_at, m.updated_at,
            (SELECT p.value FROM progress_updates p
              WHERE p.tenant_id = m.tenant_id AND p.measure_id = m.id AND ${counting}
              ORDER BY ${LATEST_FIRST('p')} LIMIT 1) AS latest_value,
            (SELECT sum(p.value) FROM progress_updates p
              WHERE p.tenant_id = m.tenant_id AND p.measure_id = m.id AND ${counting}
                AND p.occurred_on BETWEEN ${periodStart} AND ${periodEnd}) AS period_total
       FROM goal_measures m ${revisions}
      WHERE m.tenant_id = $1 AND m.${by} = ANY($2::uuid[]) AND ${live}
      ORDER BY m.created_at, m.id`,
    asOf ? [tx.tenantId, ids, asOf] : [tx.tenantId, ids],
  );
  return rows.map((r) =>
    Object.assign(new GoalMeasure(), {
      id: r.id,
      tenantId: tx.tenantId,
      goalId: r.goal_id,
      kind: r.kind,
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
