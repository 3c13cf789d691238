import { addDays, daysBetween } from '#cairn/shared/calendar';

/**
 * The pace model: is a measure (or a recurring task with a count target) on course to reach its target by its
 * date? One pure module; the GraphQL `pace` fields, the GOAL_BEHIND nudge and the coach reports' at-risk list
 * all read it. README: Goals → Pace and forecast.
 *
 * Everything is in "gain": how far the level has moved from the baseline towards the target, so a DECREASE
 * measure (lower is better) is the same problem as an INCREASE one. Rates are gain per day, positive when
 * moving towards the target. Days are the client's local dates; `today` is the client's today.
 *
 * 1. Target met (gain ≥ total): AHEAD, nothing left to do.
 * 2. Actual rate: the least-squares slope of gain over day through the points inside the last
 *    PACE_WINDOW_DAYS: the last PACE_MAX_POINTS updates, the baseline on the start day when the start is
 *    inside the window, and the level today (the level holds until the next update, so silence flattens the
 *    trend). It needs PACE_MIN_UPDATES updates in the window and points on two different days ("RECENT_TREND");
 *    otherwise the average since the start, gain ÷ days since the start ("SINCE_START", the straight line
 *    from baseline to target); on the start day itself there is no rate ("NONE").
 * 3. Required rate: what is left ÷ the days left until the target date.
 * 4. Forecast: today + ⌈left ÷ actual rate⌉ days; none when the rate is zero or negative, or the forecast is
 *    more than PACE_HORIZON_DAYS away.
 * 5. State: on time ⇔ forecast ≤ target date (⇔ actual ≥ required). On time: AHEAD from
 *    AHEAD_RATIO × the required rate, else ON_TRACK. Late: BEHIND down to AT_RISK_RATIO × the required rate,
 *    AT_RISK below it (a zero or negative rate included). Target date passed and not met: AT_RISK. Not
 *    started yet (today before the start): ON_TRACK. Without a recent trend, while less than GRACE_SHARE of
 *    the span has elapsed, a late straight line is ON_TRACK ("too early to judge": the old 10-point slack).
 *    No target date: ON_TRACK (nothing to be late for), with the forecast.
 */
export enum PaceState {
  AHEAD = 'AHEAD',
  ON_TRACK = 'ON_TRACK',
  BEHIND = 'BEHIND',
  AT_RISK = 'AT_RISK',
}

/** How the actual rate was estimated. */
export enum PaceBasis {
  RECENT_TREND = 'RECENT_TREND',
  SINCE_START = 'SINCE_START',
  RECENT_OCCURRENCES = 'RECENT_OCCURRENCES',
  NONE = 'NONE',
}

export const PACE_WINDOW_DAYS = 42;
export const PACE_MAX_POINTS = 10;
export const PACE_MIN_UPDATES = 2;
export const AHEAD_RATIO = 1.25;
export const AT_RISK_RATIO = 0.5;
export const GRACE_SHARE = 0.1;
export const PACE_HORIZON_DAYS = 3650;
/** An open-ended habit is judged over its last this many occurrences before today. */
export const HABIT_OCCURRENCES = 8;

/** One observation: the level on a day (NUMERIC/PERCENTAGE: the level recorded; COUNT: the running total). */
export interface PacePoint {
  day: string;
  value: number;
}

export interface PaceInput {
  /** The level at the start. */
  baseline: number;
  /** The level to reach; below the baseline when lower is better. */
  target: number;
  /** The level now. */
  current: number;
  /** The day the plan starts (the baseline's day). */
  startDay: string;
  /** The day the target is due; null when there is none. */
  targetDay: string | null;
  /** The client's today. */
  today: string;
  /** Counting updates, oldest first; points after today are ignored. */
  history: readonly PacePoint[];
  /** For explanations ("reports"); none: plain numbers. */
  unit?: string | null;
}

export interface Pace {
  state: PaceState;
  explanation: string;
  met: boolean;
  /** Gain per day needed from today to reach the target on time; null when no date or the date passed. */
  requiredRate: number | null;
  /** Gain per day observed (see basis); null without a rate. */
  actualRate: number | null;
  basis: PaceBasis;
  forecastDate: string | null;
  /** What is left to gain (0 when met). */
  remaining: number;
  /** Days from today to the target date (negative once passed); null without a date. */
  daysLeft: number | null;
  /** Updates the trend was fitted to (0 unless RECENT_TREND). */
  dataPoints: number;
}

const finite = (n: number) => (Number.isFinite(n) ? n : 0);
const fmt = (n: number) => {
  const r = Math.round(n * 100) / 100;
  return Object.is(r, -0) ? '0' : String(r);
};
const amount = (n: number, unit?: string | null) => (unit ? `${fmt(n)} ${unit}` : fmt(n));
const perDay = (n: number, unit?: string | null) => `${amount(n, unit)}/day`;

/** Least-squares slope of y over x; null when all x are equal. */
export function slope(points: readonly { x: number; y: number }[]): number | null {
  if (points.length < 2) return null;
  const mx = points.reduce((s, p) => s + p.x, 0) / points.length;
  const my = points.reduce((s, p) => s + p.y, 0) / points.length;
  let sxy = 0;
  let sxx = 0;
  for (const p of points) {
    sxy += (p.x - mx) * (p.y - my);
    sxx += (p.x - mx) ** 2;
  }
  if (sxx === 0) return null;
  const result = sxy / sxx;
  return Number.isFinite(result) ? result : null;
}

/** The state for a forecast on time or not and the actual ÷ required ratio. */
export function stateOf(onTime: boolean, ratio: number): PaceState {
  if (onTime) return ratio >= AHEAD_RATIO ? PaceState.AHEAD : PaceState.ON_TRACK;
  return ratio >= AT_RISK_RATIO ? PaceState.BEHIND : PaceState.AT_RISK;
}

/** The pace of a measure-like series; see the module comment. Never NaN or Infinity. */
export function paceOf(input: PaceInput): Pace {
  const { today, targetDay, unit } = input;
  // Towards the target; a target equal to its baseline (measures refuse it, a series may not) is reached from
  // wherever the level stands, so either direction away from it is distance still to cover.
  const towards = input.target !== input.baseline ? input.target - input.baseline : input.target - input.current;
  const sign = towards >= 0 ? 1 : -1;
  const total = finite(Math.abs(input.target - input.baseline));
  const gainOf = (value: number) => finite((value - input.baseline) * sign);
  const gain = gainOf(input.current);
  const remaining = Math.max(0, total - gain);
  const daysLeft = targetDay === null ? null : daysBetween(today, targetDay);
  const base = { remaining, daysLeft, requiredRate: null, actualRate: null, forecastDate: null, dataPoints: 0 };

  if (remaining <= 0) {
    return { ...base, state: PaceState.AHEAD, met: true, basis: PaceBasis.NONE, explanation: 'Target reached.' };
  }
  if (today < input.startDay) {
    return {
      ...base,
      state: PaceState.ON_TRACK,
      met: false,
      basis: PaceBasis.NONE,
      requiredRate: daysLeft !== null && daysLeft > 0 ? remaining / daysLeft : null,
      explanation: `Not started yet: starts on ${input.startDay}.`,
    };
  }

  // The actual rate.
  const windowStart = addDays(today, -PACE_WINDOW_DAYS);
  const updates = input.history.filter((p) => p.day >= windowStart && p.day <= today).slice(-PACE_MAX_POINTS);
  let actualRate: number | null = null;
  let basis = PaceBasis.NONE;
  let dataPoints = 0;
  if (updates.length >= PACE_MIN_UPDATES) {
    const points = updates.map((p) => ({ day: p.day, gain: gainOf(p.value) }));
    if (input.startDay >= windowStart) points.unshift({ day: input.startDay, gain: 0 });
    points.push({ day: today, gain });
    const trend = slope(points.map((p) => ({ x: daysBetween(windowStart, p.day), y: p.gain })));
    if (trend !== null) {
      actualRate = trend;
      basis = PaceBasis.RECENT_TREND;
      dataPoints = updates.length;
    }
  }
  const elapsed = daysBetween(input.startDay, today);
  if (basis === PaceBasis.NONE && elapsed > 0) {
    actualRate = gain / elapsed;
    basis = PaceBasis.SINCE_START;
  }

  const forecastDays = actualRate !== null && actualRate > 0 ? Math.ceil(remaining / actualRate) : null;
  const forecastDate =
    forecastDays !== null && forecastDays <= PACE_HORIZON_DAYS ? addDays(today, forecastDays) : null;
  const rateText =
    actualRate === null
      ? 'no rate yet'
      : `${basis === PaceBasis.RECENT_TREND ? `the last ${dataPoints} updates' trend` : 'the average since the start'} is ${perDay(actualRate, unit)}`;
  const forecastText = forecastDate
    ? `at this rate the target is reached on ${forecastDate}`
    : actualRate !== null && actualRate <= 0
      ? actualRate < 0
        ? 'moving away from the target'
        : 'no movement towards the target'
      : actualRate === null
        ? 'no forecast yet'
        : `not within ${PACE_HORIZON_DAYS / 365} years at this rate`;
  const common = { ...base, met: false, actualRate, basis, forecastDate, dataPoints };

  if (targetDay === null || daysLeft === null) {
    return {
      ...common,
      state: PaceState.ON_TRACK,
      explanation: `No target date, ${amount(remaining, unit)} to go: ${rateText}; ${forecastText}.`,
    };
  }
  if (daysLeft < 0) {
    return {
      ...common,
      state: PaceState.AT_RISK,
      explanation: `The target date ${targetDay} passed with ${amount(remaining, unit)} to go; ${forecastText}.`,
    };
  }
  const requiredRate = remaining / Math.max(daysLeft, 1);
  if (actualRate === null) {
    return {
      ...common,
      requiredRate,
      state: PaceState.ON_TRACK,
      explanation: `Just started: ${perDay(requiredRate, unit)} needed to reach the target by ${targetDay}.`,
    };
  }
  const onTime = forecastDate !== null && forecastDate <= targetDay;
  const ratio = actualRate / requiredRate;
  const span = daysBetween(input.startDay, targetDay);
  if (!onTime && basis === PaceBasis.SINCE_START && span > 0 && elapsed < GRACE_SHARE * span) {
    return {
      ...common,
      requiredRate,
      state: PaceState.ON_TRACK,
      explanation: `Too early to judge: ${rateText}, ${perDay(requiredRate, unit)} needed by ${targetDay}.`,
    };
  }
  const state = stateOf(onTime, ratio);
  const verdict = {
    [PaceState.AHEAD]: 'Ahead of pace',
    [PaceState.ON_TRACK]: 'On track',
    [PaceState.BEHIND]: 'Behind pace',
    [PaceState.AT_RISK]: 'At risk',
  }[state];
  return {
    ...common,
    requiredRate,
    state,
    explanation: `${verdict}: ${rateText}, ${perDay(requiredRate, unit)} needed to reach the target by ${targetDay}; ${forecastText}.`,
  };
}

/** A recurring task with a count target, as the model sees it. */
export interface HabitInput {
  countTarget: number;
  /** Every occurrence from the start through the series' end; null when the series never ends. */
  allOccurrences: readonly string[] | null;
  /** The occurrences up to and including today (all of them for a finite series' past). */
  pastOccurrences: readonly string[];
  startDay: string;
  today: string;
  logged: (day: string) => number;
}

/**
 * A recurring task's pace. Each occurrence counts up to its target (extra logs do not make up for a missed
 * day). A series with an end is a measure from 0 to countTarget × occurrences, due on its last occurrence,
 * with a point at every occurrence so far (paceOf). An open-ended series has no finish: it is judged on its
 * last HABIT_OCCURRENCES occurrences before today (today's occurrence is still pending) by the same ratio
 * thresholds — kept up with is ON_TRACK, AHEAD is impossible as counts are capped.
 */
export function habitPace(input: HabitInput): Pace {
  const met = (day: string) => Math.min(Math.max(0, finite(input.logged(day))), input.countTarget);
  const unit = input.countTarget === 1 ? 'times' : 'logged';
  if (input.allOccurrences !== null) {
    const last = input.allOccurrences.at(-1) ?? input.startDay;
    let running = 0;
    const history = input.pastOccurrences.map((day) => ({ day, value: (running += met(day)) }));
    return paceOf({
      baseline: 0,
      target: input.countTarget * input.allOccurrences.length,
      current: running,
      startDay: input.startDay,
      targetDay: last,
      today: input.today,
      history,
      unit,
    });
  }
  const recent = input.pastOccurrences.filter((d) => d < input.today).slice(-HABIT_OCCURRENCES);
  const base = { met: false, forecastDate: null, daysLeft: null, remaining: 0, dataPoints: recent.length };
  if (recent.length === 0) {
    return {
      ...base,
      state: PaceState.ON_TRACK,
      basis: PaceBasis.NONE,
      requiredRate: null,
      actualRate: null,
      explanation: 'No occurrence has passed yet.',
    };
  }
  const days = Math.max(1, daysBetween(recent[0], input.today));
  const expected = recent.length * input.countTarget;
  const done = recent.reduce((s, d) => s + met(d), 0);
  const state = stateOf(done >= expected, done / expected);
  return {
    ...base,
    state,
    basis: PaceBasis.RECENT_OCCURRENCES,
    requiredRate: expected / days,
    actualRate: done / days,
    remaining: expected - done,
    explanation: `${done} of ${expected} logged over the last ${recent.length} occurrences${done >= expected ? '' : `, ${expected - done} short`}.`,
  };
}

const SEVERITY: readonly PaceState[] = [PaceState.AHEAD, PaceState.ON_TRACK, PaceState.BEHIND, PaceState.AT_RISK];

export interface PacePart {
  /** "measure" or "task", for the explanation. */
  kind: 'measure' | 'task' | 'progress';
  title: string;
  pace: Pace;
}

export interface GoalPaceSummary {
  state: PaceState;
  explanation: string;
  /** The latest forecast among the parts with a target date not yet met; null when one of them has none. */
  forecastDate: string | null;
  parts: number;
  partsBehind: number;
}

/**
 * A goal's pace: the worst state among its parts (its NUMERIC, PERCENTAGE and COUNT measures and its recurring
 * tasks with count targets), explained by the worst part. Null without parts.
 */
export function rollUpPace(parts: readonly PacePart[]): GoalPaceSummary | null {
  if (parts.length === 0) return null;
  const worst = parts.reduce((w, p) => (SEVERITY.indexOf(p.pace.state) > SEVERITY.indexOf(w.pace.state) ? p : w));
  const behind = parts.filter((p) => p.pace.state === PaceState.BEHIND || p.pace.state === PaceState.AT_RISK).length;
  // Open-ended habits and measures without a date have no finish to forecast.
  const open = parts.filter((p) => !p.pace.met && p.pace.daysLeft !== null);
  const forecastDate =
    open.length === 0 || open.some((p) => p.pace.forecastDate === null)
      ? null
      : open.map((p) => p.pace.forecastDate as string).reduce((a, b) => (b > a ? b : a));
  const where = worst.kind === 'progress' ? 'Goal progress' : `${worst.kind === 'measure' ? 'Measure' : 'Task'} “${worst.title}”`;
  const summary = parts.length === 1 ? '' : ` (${behind} of ${parts.length} parts behind)`;
  return {
    state: worst.pace.state,
    explanation: `${where}: ${worst.pace.explanation}${summary}`,
    forecastDate,
    parts: parts.length,
    partsBehind: behind,
  };
}

/** Behind or at risk: what the GOAL_BEHIND nudge and the reports' at-risk score count. */
export function isBehind(state: PaceState | null | undefined): boolean {
  return state === PaceState.BEHIND || state === PaceState.AT_RISK;
}

/** A goal's progress (0–100) against the straight line from its start to its target date: paceOf with no trend. */
export function progressPace(progress: number, startDay: string, targetDay: string | null, today: string): Pace {
  return paceOf({ baseline: 0, target: 100, current: progress, startDay, targetDay, today, history: [], unit: '%' });
}

/**
 * The pace of a goal: rollUpPace over its parts; a goal with none but a progress (milestones, sub-goals) is
 * judged on that progress (progressPace). Null when nothing is measured.
 */
export function goalPaceOf(
  parts: readonly PacePart[],
  fallback: { progress: number | null; startDay: string; targetDay: string | null; today: string },
): GoalPaceSummary | null {
  if (parts.length > 0 || fallback.progress === null) return rollUpPace(parts);
  const pace = progressPace(fallback.progress, fallback.startDay, fallback.targetDay, fallback.today);
  return { ...rollUpPace([{ kind: 'progress', title: '', pace }])!, parts: 0 };
}

/**
 * Where progress should be on `today` on the straight line from 0 at `start` to 100 at `target` (local
 * dates), clamped to 0–100: the reports show it beside the pace.
 */
export function straightLineProgress(start: string, target: string, today: string): number {
  const span = daysBetween(start, target);
  if (span <= 0) return 100;
  return Math.min(100, Math.max(0, (100 * daysBetween(start, today)) / span));
}
