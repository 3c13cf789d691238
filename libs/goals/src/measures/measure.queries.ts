import { TenantTransaction } from '#cairn/shared/database';
import { GoalMeasure } from './goal-measure.entity.js';
import { MeasureDirection, MeasureKind } from './measure.enums.js';

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
 * derives from: the latest update's value (by occurredOn, then recording time) and, for COUNT, the sum of the
 * updates that occurred within the period. One statement however many goals.
 */
export async function selectMeasures(
  tx: TenantTransaction,
  by: 'goal_id' | 'id',
  ids: readonly string[],
): Promise<GoalMeasure[]> {
  if (ids.length === 0) return [];
  const rows: MeasureRow[] = await tx.manager.query(
    `SELECT m.id, m.goal_id, m.kind, m.title, m.unit, m.baseline, m.target, m.direction,
            m.period_start::text AS period_start, m.period_end::text AS period_end, m.period_months,
            m.created_at, m.updated_at,
            (SELECT p.value FROM progress_updates p
              WHERE p.tenant_id = m.tenant_id AND p.measure_id = m.id
              ORDER BY p.occurred_on DESC, p.created_at DESC LIMIT 1) AS latest_value,
            (SELECT sum(p.value) FROM progress_updates p
              WHERE p.tenant_id = m.tenant_id AND p.measure_id = m.id
                AND p.occurred_on BETWEEN m.period_start AND m.period_end) AS period_total
       FROM goal_measures m
      WHERE m.tenant_id = $1 AND m.${by} = ANY($2::uuid[]) AND m.removed_at IS NULL
      ORDER BY m.created_at, m.id`,
    [tx.tenantId, ids],
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
