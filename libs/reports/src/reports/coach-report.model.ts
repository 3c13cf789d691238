import { Field, Float, GraphQLISODateTime, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { PaceState } from '#cairn/goals';
import { LocalDateScalar } from '#cairn/shared/graphql';
import type { NotableKind, RiskReasonCode } from '../content/report-data.js';

/** GraphQL views of the figures stored in `coach_reports.data` (see content/report-data.ts). */

export enum ReportNotableKind {
  LOW_SCORE = 'LOW_SCORE',
  SCORE_DROP = 'SCORE_DROP',
  FOLLOW_UP = 'FOLLOW_UP',
}
registerEnumType(ReportNotableKind, {
  name: 'ReportNotableKind',
  description: 'Why an answer made the report.',
  valuesMap: {
    LOW_SCORE: { description: 'A SCALE answer in the bottom 30% of its range (3 or less on 1–10).' },
    SCORE_DROP: {
      description: 'A SCALE answer at least 30% of the range (rounded up: 3 points on 1–10) below the client’s previous answer to the prompt.',
    },
    FOLLOW_UP: { description: 'A TEXT answer of a check-in the coach marked for follow-up.' },
  },
});

export enum ReportRiskReason {
  MISSED_CHECKIN = 'MISSED_CHECKIN',
  NO_CHECKIN_ANSWERED = 'NO_CHECKIN_ANSWERED',
  OVERDUE_TASK = 'OVERDUE_TASK',
  LONG_OVERDUE_TASK = 'LONG_OVERDUE_TASK',
  STALLED_GOAL = 'STALLED_GOAL',
  GOAL_BEHIND_PACE = 'GOAL_BEHIND_PACE',
  SCORE_DROP = 'SCORE_DROP',
  LOW_SCORE = 'LOW_SCORE',
}
registerEnumType(ReportRiskReason, {
  name: 'ReportRiskReason',
  description: 'What adds to a client’s at-risk score, and how many points each instance adds.',
  valuesMap: {
    MISSED_CHECKIN: { description: '2 per check-in of the period closed without an answer.' },
    NO_CHECKIN_ANSWERED: { description: '3 when check-ins were due in the period and none was answered.' },
    OVERDUE_TASK: { description: '1 per overdue task (or habit occurrence).' },
    LONG_OVERDUE_TASK: { description: '1 more per task overdue by more than 7 days.' },
    STALLED_GOAL: { description: '3 per active goal without a progress update or status change for 14 days.' },
    GOAL_BEHIND_PACE: { description: '2 per active goal BEHIND or AT_RISK by the pace model (Goal.pace).' },
    SCORE_DROP: { description: '2 per SCORE_DROP answer of the period.' },
    LOW_SCORE: { description: '1 per LOW_SCORE answer of the period.' },
  },
});

// Compile-time checks that the GraphQL enums and the stored codes stay the same set.
const _notable: Record<NotableKind, ReportNotableKind> = ReportNotableKind;
const _reasons: Record<RiskReasonCode, ReportRiskReason> = ReportRiskReason;
void _notable;
void _reasons;

@ObjectType({ description: 'Check-ins that opened in the period.' })
export class ReportCheckInSummary {
  @Field(() => Int, { description: 'Submitted, or closed without an answer by the time of the report (excused ones left out).' })
  due: number;

  @Field(() => Int)
  submitted: number;

  @Field(() => Int)
  missed: number;

  @Field(() => Float, { nullable: true, description: 'submitted / due, 0–1; null when nothing was due.' })
  completionRate: number | null;

  @Field(() => Int, { description: 'Consecutive submitted check-ins counting back from the latest due one, when the report was made.' })
  currentStreak: number;
}

@ObjectType({ description: 'An ACTIVE goal: progress now and in the previous report.' })
export class ReportGoalRow {
  @Field(() => ID)
  goalId: string;

  @Field()
  title: string;

  @Field(() => Float, { nullable: true, description: '0–100; null when nothing is measured.' })
  progress: number | null;

  @Field(() => Float, { nullable: true, description: 'In the coach’s previous report; null in a first report or for a goal new since.' })
  previousProgress: number | null;

  @Field(() => Float, { nullable: true, description: 'progress − previousProgress; null when either is unknown.' })
  change: number | null;

  @Field(() => [Float], { nullable: 'items', description: 'Progress in up to three earlier reports, oldest first, then now.' })
  history: (number | null)[];

  @Field(() => LocalDateScalar, { nullable: true })
  targetDate: string | null;

  @Field(() => Float, { nullable: true, description: 'Where the straight line from start to target puts progress today.' })
  expectedProgress: number | null;

  @Field({ description: 'BEHIND or AT_RISK by the pace model (see Goal.pace).' })
  behindPace: boolean;

  @Field(() => PaceState, { nullable: true, description: 'The goal’s pace then; null in reports made before pace existed.' })
  paceState?: PaceState | null;

  @Field(() => String, { nullable: true, description: 'Why, as Goal.pace explains it.' })
  paceExplanation?: string | null;

  @Field(() => Int, { description: 'Days since the last progress update or status change.' })
  idleDays: number;

  @Field({ description: 'No progress update or status change for 14 days.' })
  stalled: boolean;
}

@ObjectType()
export class ReportOverdueTaskRow {
  @Field(() => ID)
  taskId: string;

  @Field()
  title: string;

  @Field(() => LocalDateScalar, { description: 'When it (or the occurrence) was due, in the client’s zone.' })
  dueOn: string;

  @Field(() => Int)
  daysOverdue: number;
}

@ObjectType()
export class ReportNotableAnswer {
  @Field(() => ReportNotableKind)
  kind: ReportNotableKind;

  @Field(() => ID)
  checkInId: string;

  @Field(() => GraphQLISODateTime, { description: 'When the check-in opened.' })
  opensAt: Date;

  @Field()
  promptKey: string;

  @Field()
  label: string;

  @Field(() => Int, { nullable: true })
  value: number | null;

  @Field(() => Int, { nullable: true, description: 'SCORE_DROP: the client’s previous answer to the prompt.' })
  previousValue: number | null;

  @Field(() => Int, { nullable: true })
  scaleMin: number | null;

  @Field(() => Int, { nullable: true })
  scaleMax: number | null;

  @Field(() => String, { nullable: true, description: 'FOLLOW_UP: the answer, at most 280 characters.' })
  text: string | null;
}

@ObjectType()
export class ReportScorePoint {
  @Field(() => GraphQLISODateTime, { description: 'When the check-in opened.' })
  opensAt: Date;

  @Field(() => Int)
  value: number;
}

@ObjectType({ description: 'A SCALE prompt’s answers over the last four periods, as charted.' })
export class ReportScoreSeries {
  @Field()
  promptKey: string;

  @Field()
  label: string;

  @Field(() => Int)
  scaleMin: number;

  @Field(() => Int)
  scaleMax: number;

  @Field(() => [ReportScorePoint], { description: 'Oldest first.' })
  points: ReportScorePoint[];
}

@ObjectType()
export class ReportRiskPoints {
  @Field(() => ReportRiskReason)
  code: ReportRiskReason;

  @Field(() => Int)
  count: number;

  @Field(() => Int)
  points: number;
}

@ObjectType({ description: 'One client of the coach’s caseload in the period.' })
export class ReportClientRow {
  @Field(() => ID)
  clientId: string;

  @Field({ description: 'As it was when the report was made.' })
  displayName: string;

  @Field()
  timezone: string;

  @Field(() => ReportCheckInSummary)
  checkIns: ReportCheckInSummary;

  @Field(() => [ReportGoalRow], { description: 'ACTIVE goals, highest priority first.' })
  goals: ReportGoalRow[];

  @Field(() => Int)
  overdueTaskCount: number;

  @Field(() => [ReportOverdueTaskRow], { description: 'The three most overdue.' })
  oldestOverdueTasks: ReportOverdueTaskRow[];

  @Field(() => Int)
  stalledGoalCount: number;

  @Field(() => Int)
  notableAnswerCount: number;

  @Field(() => [ReportNotableAnswer], { description: 'The latest ten of the period, oldest first.' })
  notableAnswers: ReportNotableAnswer[];

  @Field(() => [ReportScoreSeries])
  scores: ReportScoreSeries[];

  @Field(() => Int)
  riskScore: number;

  @Field(() => [ReportRiskPoints])
  riskReasons: ReportRiskPoints[];
}

@ObjectType({ description: 'A client on the at-risk list.' })
export class ReportAtRiskEntry {
  @Field(() => Int, { description: '1 for the highest score.' })
  rank: number;

  @Field(() => ID)
  clientId: string;

  @Field()
  displayName: string;

  @Field(() => Int)
  score: number;

  @Field(() => [ReportRiskPoints])
  reasons: ReportRiskPoints[];
}
