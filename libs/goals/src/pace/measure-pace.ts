import { sql } from 'kysely';
import { anyOf, TenantTransaction } from '#cairn/shared/database';
import type { GoalMeasure } from '../measures/goal-measure.entity.js';
import { MeasureKind } from '../measures/measure.enums.js';
import { counting } from '../measures/progress-history.js';
import { currentValue } from '../progress/progress-formula.js';
import { PACE_WINDOW_DAYS, paceOf, type Pace, type PacePoint } from './pace-model.js';

/** One counting update as the pace model reads it. */
export interface PaceUpdate {
  measureId: string;
  day: string;
  value: number;
}

/** The goal dates a measure's pace is judged against. */
export interface PaceGoal {
  startDate: string | null;
  targetDate: string | null;
}

/** Measures that have a pace: a level or a count towards a target (not MILESTONE). */
export const hasPace = (kind: MeasureKind) => kind !== MeasureKind.MILESTONE;

/**
 * A measure's pace (null for MILESTONE), from the figures read with it (`latestValue`, `periodTotal`) and its
 * recent counting updates (`recent`: at least those of the last PACE_WINDOW_DAYS, oldest first).
 * NUMERIC/PERCENTAGE: baseline → target from the later of the goal's start and the day the measure was added
 * (`addedOn`), due on the goal's target date. COUNT: 0 → target over its period, the running total rebuilt
 * backwards from the period total.
 */
export function measurePace(
  measure: GoalMeasure,
  goal: PaceGoal,
  addedOn: string,
  today: string,
  recent: readonly PaceUpdate[],
): Pace | null {
  if (!hasPace(measure.kind) || measure.target === null) return null;
  if (measure.kind === MeasureKind.COUNT) {
    const start = measure.periodStart ?? addedOn;
    const end = measure.periodEnd ?? goal.targetDate;
    const inPeriod = recent.filter((u) => u.day >= start && (end === null || u.day <= end));
    let running = measure.periodTotal ?? 0;
    const history: PacePoint[] = [];
    for (let i = inPeriod.length - 1; i >= 0; i--) {
      history.unshift({ day: inPeriod[i].day, value: running });
      running -= inPeriod[i].value;
    }
    return paceOf({
      baseline: 0,
      target: measure.target,
      current: measure.periodTotal ?? 0,
      startDay: start,
      targetDay: end,
      today,
      history,
      unit: measure.unit,
    });
  }
  const baseline = measure.baseline ?? 0;
  const start = goal.startDate !== null && goal.startDate > addedOn ? goal.startDate : addedOn;
  return paceOf({
    baseline,
    target: measure.target,
    current: currentValue(measure) ?? baseline,
    startDay: start,
    targetDay: goal.targetDate,
    today,
    history: recent.map((u) => ({ day: u.day, value: u.value })),
    unit: measure.kind === MeasureKind.PERCENTAGE ? '%' : measure.unit,
  });
}

/**
 * The counting updates of some measures that occurred within the pace window before `asOf` (a day of slack for
 * every zone), oldest first by the history rule (progress-history.ts): one statement. With `asOf` given, as
 * they stood then (reports).
 */
export async function selectPaceUpdates(
  tx: TenantTransaction,
  measureIds: readonly string[],
  options: { asOf?: Date } = {},
): Promise<Map<string, PaceUpdate[]>> {
  const byMeasure = new Map<string, PaceUpdate[]>(measureIds.map((id) => [id, []]));
  if (measureIds.length === 0) return byMeasure;
  const until = options.asOf ?? new Date();
  const since = new Date(until.getTime() - (PACE_WINDOW_DAYS + 2) * 86_400_000);
  const rows = await tx.db
    .selectFrom('progress_updates as p')
    .select((eb) => ['p.measure_id', eb.cast<string>('p.occurred_on', 'text').as('day'), 'p.value'])
    .where('p.measure_id', '=', anyOf(measureIds, 'uuid'))
    .where('p.occurred_at', '>=', since)
    .where(counting('p', options.asOf))
    .where(sql<boolean>`p.occurred_at <= ${until}`)
    .orderBy('p.occurred_at')
    .orderBy('p.created_at')
    .execute();
  for (const r of rows) byMeasure.get(r.measure_id)?.push({ measureId: r.measure_id, day: r.day, value: r.value });
  return byMeasure;
}
