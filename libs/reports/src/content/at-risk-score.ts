import type { AtRiskEntry, RiskReason, RiskReasonCode } from './report-data.js';

/** The facts about one client in one period that the at-risk score weighs. */
export interface RiskSignals {
  dueCheckIns: number;
  submittedCheckIns: number;
  missedCheckIns: number;
  overdueTasks: number;
  /** Of those, overdue by more than LONG_OVERDUE_DAYS. */
  longOverdueTasks: number;
  stalledGoals: number;
  goalsBehindPace: number;
  scoreDrops: number;
  lowScores: number;
}

/**
 * The at-risk score: points per signal, summed.
 *
 *   score = 2 × missed check-ins
 *         + 3 if check-ins were due and none was answered (silent for the whole period)
 *         + 1 × overdue tasks  + 1 more for each overdue by more than 7 days
 *         + 3 × stalled goals (no progress update or status change for 14 days)
 *         + 2 × goals BEHIND or AT_RISK by the pace model (goals' pace-model.ts, as Goal.pace)
 *         + 2 × score drops    + 1 × low scores (see notable-answers.ts)
 *
 * A client is at risk from AT_RISK_MIN_SCORE points on. Stalled goals weigh most because nothing moves without
 * the coach; a missed check-in is the earliest sign, so it weighs more than one late task.
 */
export const RISK_POINTS: Readonly<Record<RiskReasonCode, number>> = {
  MISSED_CHECKIN: 2,
  NO_CHECKIN_ANSWERED: 3,
  OVERDUE_TASK: 1,
  LONG_OVERDUE_TASK: 1,
  STALLED_GOAL: 3,
  GOAL_BEHIND_PACE: 2,
  SCORE_DROP: 2,
  LOW_SCORE: 1,
};

export const AT_RISK_MIN_SCORE = 3;
export const LONG_OVERDUE_DAYS = 7;

/** The order reasons are listed in: the weightiest kinds first. */
const REASON_ORDER: readonly RiskReasonCode[] = [
  'STALLED_GOAL',
  'NO_CHECKIN_ANSWERED',
  'MISSED_CHECKIN',
  'SCORE_DROP',
  'GOAL_BEHIND_PACE',
  'OVERDUE_TASK',
  'LONG_OVERDUE_TASK',
  'LOW_SCORE',
];

export function riskOf(signals: RiskSignals): { score: number; reasons: RiskReason[] } {
  const counts: Record<RiskReasonCode, number> = {
    MISSED_CHECKIN: signals.missedCheckIns,
    NO_CHECKIN_ANSWERED: signals.dueCheckIns > 0 && signals.submittedCheckIns === 0 ? 1 : 0,
    OVERDUE_TASK: signals.overdueTasks,
    LONG_OVERDUE_TASK: signals.longOverdueTasks,
    STALLED_GOAL: signals.stalledGoals,
    GOAL_BEHIND_PACE: signals.goalsBehindPace,
    SCORE_DROP: signals.scoreDrops,
    LOW_SCORE: signals.lowScores,
  };
  const reasons = REASON_ORDER.filter((code) => counts[code] > 0).map((code) => ({
    code,
    count: counts[code],
    points: counts[code] * RISK_POINTS[code],
  }));
  return { score: reasons.reduce((sum, r) => sum + r.points, 0), reasons };
}

export interface RiskCandidate {
  clientId: string;
  displayName: string;
  score: number;
  reasons: RiskReason[];
  missedCheckIns: number;
  overdueTasks: number;
}

/**
 * Clients scoring at least AT_RISK_MIN_SCORE, highest first. Ties: more missed check-ins first, then more
 * overdue tasks, then by name (case-insensitive, then exact), then by id, so the order never depends on input order.
 */
export function rankAtRisk(candidates: readonly RiskCandidate[]): AtRiskEntry[] {
  return candidates
    .filter((c) => c.score >= AT_RISK_MIN_SCORE)
    .sort(
      (a, b) =>
        b.score - a.score ||
        b.missedCheckIns - a.missedCheckIns ||
        b.overdueTasks - a.overdueTasks ||
        compareText(a.displayName.toLowerCase(), b.displayName.toLowerCase()) ||
        compareText(a.displayName, b.displayName) ||
        compareText(a.clientId, b.clientId),
    )
    .map((c, i) => ({ rank: i + 1, clientId: c.clientId, displayName: c.displayName, score: c.score, reasons: c.reasons }));
}

/** Code-point order: the same everywhere, unlike locale collation. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
