import { DateTime } from 'luxon';
import { GoalErrors } from '../goals.errors.js';
import { MeasureDirection, MeasureKind } from './measure.enums.js';

/** The definition of a measure as given (create) or merged with the stored one (update). */
export interface MeasureSpec {
  title: string;
  unit?: string | null;
  baseline?: number | null;
  target?: number | null;
  direction?: MeasureDirection | null;
  periodStart?: string | null;
  periodMonths?: number | null;
}

export interface ResolvedMeasure {
  title: string;
  unit: string | null;
  baseline: number | null;
  target: number | null;
  direction: MeasureDirection | null;
  periodStart: string | null;
  periodEnd: string | null;
  periodMonths: number | null;
}

const APPLIES: Record<MeasureKind, ReadonlyArray<keyof MeasureSpec>> = {
  [MeasureKind.MILESTONE]: ['title'],
  [MeasureKind.NUMERIC]: ['title', 'unit', 'baseline', 'target', 'direction'],
  [MeasureKind.PERCENTAGE]: ['title', 'baseline', 'target', 'direction'],
  [MeasureKind.COUNT]: ['title', 'unit', 'target', 'periodStart', 'periodMonths'],
};

const given = <T>(value: T | null | undefined): value is T => value !== undefined && value !== null;

/** Last day of a period of `months` starting on `start`: 2026-01-01 + 12 months → 2026-12-31. */
export function periodEndOf(start: string, months: number): string {
  return DateTime.fromISO(start, { zone: 'UTC' }).plus({ months }).minus({ days: 1 }).toISODate() as string;
}

/**
 * Checks a measure definition against its kind and fills the defaults:
 * - MILESTONE: a title only.
 * - NUMERIC: target required; baseline default 0; direction inferred from baseline → target, and when given it
 *   must agree (INCREASE needs target > baseline); target ≠ baseline.
 * - PERCENTAGE: as NUMERIC, with baseline and target within 0–100 (default baseline 0).
 * - COUNT: target a whole number ≥ 1 of occurrences within periodMonths (1–120) months from periodStart
 *   (default `defaultPeriodStart`: the goal's start date, else today in the client's zone).
 * A field that does not apply to the kind is rejected rather than silently ignored.
 */
export function resolveMeasure(
  kind: MeasureKind,
  spec: MeasureSpec,
  defaultPeriodStart: string,
): ResolvedMeasure {
  for (const field of Object.keys(spec) as (keyof MeasureSpec)[]) {
    if (given(spec[field]) && !APPLIES[kind].includes(field)) {
      throw GoalErrors.measureInvalid(field, `${field} does not apply to a ${kind} measure`);
    }
  }
  const resolved: ResolvedMeasure = {
    title: spec.title.trim(),
    unit: spec.unit?.trim() || null,
    baseline: null,
    target: null,
    direction: null,
    periodStart: null,
    periodEnd: null,
    periodMonths: null,
  };
  if (!resolved.title) throw GoalErrors.measureInvalid('title', 'title must not be blank');
  if (kind === MeasureKind.NUMERIC || kind === MeasureKind.PERCENTAGE) {
    if (!given(spec.target)) throw GoalErrors.measureInvalid('target', `A ${kind} measure needs a target`);
    const baseline = spec.baseline ?? 0;
    if (kind === MeasureKind.PERCENTAGE) {
      for (const [field, value] of [
        ['baseline', baseline],
        ['target', spec.target],
      ] as const) {
        if (value < 0 || value > 100)
          throw GoalErrors.measureInvalid(field, `${field} must be between 0 and 100`);
      }
    }
    if (spec.target === baseline)
      throw GoalErrors.measureInvalid('target', 'target must differ from baseline');
    const inferred = spec.target > baseline ? MeasureDirection.INCREASE : MeasureDirection.DECREASE;
    if (given(spec.direction) && spec.direction !== inferred) {
      throw GoalErrors.measureInvalid(
        'direction',
        `direction ${spec.direction} contradicts baseline ${baseline} → target ${spec.target}`,
      );
    }
    Object.assign(resolved, { baseline, target: spec.target, direction: inferred });
  }
  if (kind === MeasureKind.COUNT) {
    if (!given(spec.target) || !Number.isInteger(spec.target) || spec.target < 1) {
      throw GoalErrors.measureInvalid(
        'target',
        'A COUNT measure needs a target that is a whole number of at least 1',
      );
    }
    if (!given(spec.periodMonths)) {
      throw GoalErrors.measureInvalid('periodMonths', 'A COUNT measure needs periodMonths (1 to 120)');
    }
    const periodStart = spec.periodStart ?? defaultPeriodStart;
    Object.assign(resolved, {
      target: spec.target,
      periodStart,
      periodMonths: spec.periodMonths,
      periodEnd: periodEndOf(periodStart, spec.periodMonths),
    });
  }
  return resolved;
}

/**
 * Rejects a progress value that makes no sense for the measure's kind. `replacing`: the value corrects an
 * earlier one of the same answer, so a COUNT may take 0 (none after all).
 */
export function checkProgressValue(kind: MeasureKind, value: number, { replacing = false } = {}): void {
  const fail = (message: string) => {
    throw GoalErrors.measureInvalid('value', message);
  };
  if (!Number.isFinite(value)) fail('value must be a finite number');
  if (kind === MeasureKind.MILESTONE && value !== 0 && value !== 1)
    fail('A MILESTONE takes 1 (done) or 0 (not done)');
  if (kind === MeasureKind.PERCENTAGE && (value < 0 || value > 100))
    fail('A PERCENTAGE takes a value from 0 to 100');
  if (kind === MeasureKind.COUNT && (!Number.isInteger(value) || value < (replacing ? 0 : 1))) {
    fail(
      replacing
        ? 'A COUNT correction replaces the occurrences recorded: a whole number of at least 0'
        : 'A COUNT update adds occurrences: a whole number of at least 1',
    );
  }
}

/** One line describing a measure, for revisions ("measure" added or removed). */
export function describeMeasure(kind: MeasureKind, m: ResolvedMeasure): string {
  switch (kind) {
    case MeasureKind.MILESTONE:
      return `MILESTONE "${m.title}"`;
    case MeasureKind.COUNT:
      return `COUNT "${m.title}": ${m.target}${m.unit ? ` ${m.unit}` : ''} from ${m.periodStart} to ${m.periodEnd}`;
    case MeasureKind.PERCENTAGE:
      return `PERCENTAGE "${m.title}": ${m.baseline}% → ${m.target}% (${m.direction})`;
    default:
      return `NUMERIC "${m.title}": ${m.baseline} → ${m.target}${m.unit ? ` ${m.unit}` : ''} (${m.direction})`;
  }
}
