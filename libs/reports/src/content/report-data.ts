import type { PaceState } from '#cairn/goals';
/**
 * What a coach report says, as stored in `coach_reports.data` (jsonb) and served by GraphQL. Names, titles and
 * answers are copied in as they were when the report was made, so a report reads the same later. Dates are
 * local dates (YYYY-MM-DD) in the zone named; instants are ISO strings.
 */
export interface ReportData {
  version: 1;
  coachName: string;
  firmName: string;
  /** The coach's zone the period was computed in. */
  timezone: string;
  periodDays: number;
  periodStart: string;
  /** Exclusive: the day the report went out. */
  periodEnd: string;
  /** Clients by name, then id. */
  clients: ReportClient[];
  /** Ranked, highest score first; see `rankAtRisk`. */
  atRisk: AtRiskEntry[];
}

export interface ReportCheckIns {
  /** Check-ins that opened in the period and were due by the time of the report (excused ones left out). */
  due: number;
  submitted: number;
  missed: number;
  /** submitted / due, 0–1; null when nothing was due. */
  completionRate: number | null;
  /** Consecutive submitted check-ins counting back from the latest due one, at the time of the report. */
  currentStreak: number;
}

export interface ReportGoal {
  goalId: string;
  title: string;
  /** 0–100, null when nothing is measured. */
  progress: number | null;
  /** In the coach's previous report; null when there was none or the goal was not in it. */
  previousProgress: number | null;
  /** progress − previousProgress; null when either is unknown. */
  change: number | null;
  /** Progress in up to three earlier reports (oldest first, null where unknown), then now: for the chart. */
  history: (number | null)[];
  targetDate: string | null;
  /** Where the straight line from start to target says progress should be today; null without a target date. */
  expectedProgress: number | null;
  /** BEHIND or AT_RISK by the pace model (pace-model.ts). */
  behindPace: boolean;
  /** The goal's pace (absent from reports made before it existed). */
  paceState?: PaceState | null;
  paceExplanation?: string | null;
  /** Whole days since the last progress update or status change (or since it was created). */
  idleDays: number;
  stalled: boolean;
}

export interface ReportOverdueTask {
  taskId: string;
  title: string;
  /** The (occurrence) date it was due, in the client's zone. */
  dueOn: string;
  daysOverdue: number;
}

export type NotableKind = 'LOW_SCORE' | 'SCORE_DROP' | 'FOLLOW_UP';

export interface NotableAnswer {
  kind: NotableKind;
  checkInId: string;
  /** When the check-in opened (ISO instant). */
  opensAt: string;
  promptKey: string;
  label: string;
  /** SCALE answers: the value, the client's previous answer to the prompt, and the scale. */
  value: number | null;
  previousValue: number | null;
  scaleMin: number | null;
  scaleMax: number | null;
  /** FOLLOW_UP: the text answer (at most 280 characters). */
  text: string | null;
}

export interface ReportScoreSeries {
  promptKey: string;
  label: string;
  scaleMin: number;
  scaleMax: number;
  /** The latest submission's answer of each check-in over the last four periods, oldest first. */
  points: { opensAt: string; value: number }[];
}

export interface RiskReason {
  code: RiskReasonCode;
  count: number;
  points: number;
}

export type RiskReasonCode =
  | 'MISSED_CHECKIN'
  | 'NO_CHECKIN_ANSWERED'
  | 'OVERDUE_TASK'
  | 'LONG_OVERDUE_TASK'
  | 'STALLED_GOAL'
  | 'GOAL_BEHIND_PACE'
  | 'SCORE_DROP'
  | 'LOW_SCORE';

export interface ReportClient {
  clientId: string;
  displayName: string;
  timezone: string;
  checkIns: ReportCheckIns;
  /** ACTIVE goals, highest priority first. */
  goals: ReportGoal[];
  overdueTaskCount: number;
  /** The oldest few (three), most overdue first. */
  oldestOverdueTasks: ReportOverdueTask[];
  stalledGoalCount: number;
  /** Every notable answer of the period counts towards the score; the latest ten are kept here, oldest first. */
  notableAnswerCount: number;
  notableAnswers: NotableAnswer[];
  scores: ReportScoreSeries[];
  riskScore: number;
  riskReasons: RiskReason[];
}

export interface AtRiskEntry {
  rank: number;
  clientId: string;
  displayName: string;
  score: number;
  reasons: RiskReason[];
}
