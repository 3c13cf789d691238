import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { GoalPaceService, TaskAgendaItem, TaskAgendaService } from '#cairn/action-plans';
import { CaseloadAccess, type ClientRef } from '#cairn/clients';
import {
  activeGoalActivity,
  type ActiveGoalActivity,
  ALL_AUDIENCES,
  type GoalPaceSummary,
  GoalProgressService,
  GoalVisibility,
  isBehind,
  sharedWithEveryone,
  straightLineProgress,
} from '#cairn/goals';
import { addDays, isValidTimeZone, todayIn } from '#cairn/shared/calendar';
import { anyOf, TenantTransaction } from '#cairn/shared/database';
import { LONG_OVERDUE_DAYS, rankAtRisk, RiskCandidate, riskOf } from '../content/at-risk-score.js';
import { classifyScaleAnswer, excerpt } from '../content/notable-answers.js';
import type { NotableAnswer, ReportClient, ReportData, ReportGoal, ReportOverdueTask, ReportScoreSeries } from '../content/report-data.js';
import { figuresAsOf, type ReportPeriod, startOfLocalDay } from '../content/report-schedule.js';

const DAY_MS = 86_400_000;
/** The nudges' stalled-goal rule: no progress update (or status change) for this many days. */
export const STALLED_DAYS = 14;
/** Score charts and score drops look back this many periods (the one reported on included). */
export const SCORE_PERIODS = 4;
/** Earlier reports whose progress figures feed each goal's chart. */
const GOAL_HISTORY_REPORTS = 3;
const OLDEST_OVERDUE = 3;
const NOTABLE_KEPT = 10;

/** A coach whose report is due, with the period it is due for and the (valid) zone it was computed in. */
export interface DueCoach {
  id: string;
  displayName: string;
  timezone: string;
  period: ReportPeriod;
  /** The coach unsubscribed from report emails: the report goes to the feed and webhooks only. */
  emailOptedOut?: boolean;
}

interface CheckInRow {
  id: string;
  client_id: string;
  opens_at: Date;
  closes_at: Date;
  submitted_at: Date | null;
  status: 'PENDING' | 'SUBMITTED' | 'MISSED' | 'EXCUSED';
  needs_follow_up: boolean;
  template_version_id: string;
  template_id: string;
  answers: { key: string; scale?: number | null; text?: string | null }[] | null;
}

/** A type, not an interface: a JSON column's rows narrow to it. */
type PromptRow = {
  key: string;
  label: string;
  type: string;
  scaleMin?: number | null;
  scaleMax?: number | null;
};

type GoalRow = ActiveGoalActivity;

/**
 * The figures of a batch of coaches' reports, in a fixed number of statements whatever the batch and caseload
 * size (for each distinct period end in the batch, see `build`): caseload pairs, client refs, check-ins with
 * their latest answers, template prompts, streaks, active goals, their progress (two), overdue tasks (a few,
 * see TaskAgendaService), and earlier reports. Everything else is computed in memory, per coach in the
 * coach's own period.
 */
@Injectable()
export class ReportFacts {
  constructor(
    private readonly caseload: CaseloadAccess,
    private readonly agenda: TaskAgendaService,
    private readonly progress: GoalProgressService,
    private readonly paces: GoalPaceService,
    private readonly visibility: GoalVisibility,
  ) {}

  /**
   * Each coach's report data. Figures are taken at the end of the coach's period (see `figuresAsOf`), not at
   * `now`: progress, goals, check-in completion, streaks and overdue tasks as they stood then, so a report made
   * late matches the one that would have gone out on time. Coaches whose periods end at the same instant
   * (same zone and schedule: usually the whole batch, as the planner batches them so) are built together.
   */
  async build(tx: TenantTransaction, coaches: readonly DueCoach[], firmName: string, now: Date): Promise<Map<string, ReportData>> {
    const reports = new Map<string, ReportData>();
    const groups = groupBy(coaches, (c) => String(figuresAsOf(c.period, c.timezone, now).getTime()));
    for (const [at, group] of groups) {
      for (const [id, data] of await this.buildAsOf(tx, group, firmName, new Date(Number(at)))) reports.set(id, data);
    }
    return reports;
  }

  private async buildAsOf(tx: TenantTransaction, coaches: readonly DueCoach[], firmName: string, asOf: Date): Promise<Map<string, ReportData>> {
    const reports = new Map<string, ReportData>();
    if (coaches.length === 0) return reports;
    const coachIds = coaches.map((c) => c.id);

    // The caseload: clients in an ACTIVE or PAUSED engagement with each coach, not archived.
    const pairs = await tx.db
      .selectFrom('engagements')
      .select(['coach_id', 'client_id'])
      .distinct()
      .where('coach_id', '=', anyOf(coachIds, 'uuid'))
      .where('status', 'in', ['ACTIVE', 'PAUSED'])
      .execute();
    const refs = new Map(
      (await this.caseload.clientRefs(tx, { kind: 'firm' }, [...new Set(pairs.map((p) => p.client_id))]))
        .filter((c) => !c.archived)
        .map((c) => [c.id, c]),
    );
    const clientIds = [...refs.keys()];
    const caseloadOf = new Map<string, ClientRef[]>(coachIds.map((id) => [id, []]));
    for (const p of pairs) {
      const ref = refs.get(p.client_id);
      if (ref) caseloadOf.get(p.coach_id)?.push(ref);
    }

    const windowStart = new Date(
      Math.min(...coaches.map((c) => startOfLocalDay(addDays(c.period.periodStart, -(SCORE_PERIODS - 1) * periodDaysOf(c)), c.timezone).getTime())),
    );
    const windowEnd = new Date(Math.max(...coaches.map((c) => startOfLocalDay(c.period.periodEnd, c.timezone).getTime())));
    const checkIns = await this.checkIns(tx, clientIds, windowStart, windowEnd);
    const streaks = await this.streaks(tx, clientIds, asOf);
    // A report is read by its coach and the firm's admins (and announced by webhook): only goals the client
    // shares with both, as they are shared now — a goal made private after the period still stays out.
    const goals = (await activeGoalActivity(tx, clientIds, { asOf })).filter((g) => g.shared_with_everyone);
    // A client whose zone is broken has no "today" to be overdue against; their other figures still count.
    const unshared = await this.visibility.notSharedWith(tx, ALL_AUDIENCES, clientIds);
    const overdue = (
      await this.agenda.overdueInFirm(
        tx,
        asOf,
        clientIds.filter((id) => isValidTimeZone(refs.get(id)!.timezone)),
        { historical: true },
      )
    ).filter((o) => !unshared.has(o.task.goalId));
    const earlier = await this.earlierProgress(tx, coaches);
    const prompts = await this.prompts(tx, [...new Set(checkIns.map((c) => c.template_version_id))]);
    // Read by the coach and the firm: a sub-goal not shared with both does not count in its parent's figure.
    const progress = await this.progress.progressOf(
      tx,
      goals.map((g) => g.id),
      { asOf, seen: sharedWithEveryone },
    );
    // The pace model, as everywhere (pace-model.ts), in the client's zone (a broken one: the first coach's).
    const paces = await this.paces.ofGoals(
      tx,
      goals.map((g) => ({ id: g.id, clientId: g.client_id, startDate: g.start_date, targetDate: g.target_date, createdAt: g.created_at })),
      (clientId) => {
        const zone = refs.get(clientId)?.timezone;
        return zone && isValidTimeZone(zone) ? zone : coaches[0].timezone;
      },
      { asOf },
    );

    const checkInsOf = groupBy(checkIns, (c) => c.client_id);
    const goalsOf = groupBy(goals, (g) => g.client_id);
    const overdueOf = groupBy(overdue, (o) => o.clientId);

    for (const coach of coaches) {
      const clients = (caseloadOf.get(coach.id) ?? [])
        .slice()
        .sort((a, b) => compare(a.displayName, b.displayName) || compare(a.id, b.id))
        .map((client) =>
          this.clientRow(
            coach,
            client,
            {
              checkIns: checkInsOf.get(client.id) ?? [],
              prompts,
              streak: streaks.get(client.id) ?? 0,
              goals: goalsOf.get(client.id) ?? [],
              progress,
              paces,
              overdue: overdueOf.get(client.id) ?? [],
              earlier: earlier.get(coach.id) ?? [],
            },
            asOf,
          ),
        );
      const candidates: RiskCandidate[] = clients.map((c) => ({
        clientId: c.clientId,
        displayName: c.displayName,
        score: c.riskScore,
        reasons: c.riskReasons,
        missedCheckIns: c.checkIns.missed,
        overdueTasks: c.overdueTaskCount,
      }));
      reports.set(coach.id, {
        version: 1,
        coachName: coach.displayName,
        firmName,
        timezone: coach.timezone,
        periodDays: periodDaysOf(coach),
        periodStart: coach.period.periodStart,
        periodEnd: coach.period.periodEnd,
        clients,
        atRisk: rankAtRisk(candidates),
      });
    }
    return reports;
  }

  private clientRow(
    coach: DueCoach,
    client: ClientRef,
    facts: {
      checkIns: CheckInRow[];
      prompts: Map<string, PromptRow[]>;
      streak: number;
      goals: GoalRow[];
      progress: Map<string, number | null>;
      paces: Map<string, GoalPaceSummary | null>;
      overdue: TaskAgendaItem[];
      earlier: Map<string, number | null>[];
    },
    asOf: Date,
  ): ReportClient {
    const zone = isValidTimeZone(client.timezone) ? client.timezone : coach.timezone;
    const periodStart = startOfLocalDay(coach.period.periodStart, coach.timezone).getTime();
    const periodEnd = startOfLocalDay(coach.period.periodEnd, coach.timezone).getTime();
    const windowStart = startOfLocalDay(addDays(coach.period.periodStart, -(SCORE_PERIODS - 1) * periodDaysOf(coach)), coach.timezone).getTime();
    const inPeriod = (c: CheckInRow) => c.opens_at.getTime() >= periodStart && c.opens_at.getTime() < periodEnd;

    // Completion at the period's end: check-ins that opened in the period, excused ones left out, due once
    // answered or closed by then (a late answer counts as submitted, as in CheckInReviewService.stats; one still
    // open and unanswered at the end is not due yet).
    const answered = (c: CheckInRow) => c.submitted_at !== null && c.submitted_at.getTime() <= asOf.getTime();
    const counted = facts.checkIns.filter((c) => inPeriod(c) && c.status !== 'EXCUSED');
    const submitted = counted.filter(answered).length;
    const due = counted.filter((c) => answered(c) || c.closes_at.getTime() <= asOf.getTime()).length;

    // Scores and notable answers over the window, oldest first (the rows come ordered by opens_at).
    const series = new Map<string, ReportScoreSeries>();
    const notables: NotableAnswer[] = [];
    let scoreDrops = 0;
    let lowScores = 0;
    for (const c of facts.checkIns) {
      if (c.opens_at.getTime() < windowStart || c.opens_at.getTime() >= periodEnd || !c.answers || !answered(c)) continue;
      const prompts = facts.prompts.get(c.template_version_id) ?? [];
      for (const answer of c.answers) {
        const prompt = prompts.find((p) => p.key === answer.key);
        if (!prompt) continue;
        const base = { checkInId: c.id, opensAt: c.opens_at.toISOString(), promptKey: prompt.key, label: prompt.label };
        if (prompt.type === 'SCALE' && typeof answer.scale === 'number') {
          const min = prompt.scaleMin ?? 1;
          const max = prompt.scaleMax ?? 10;
          const id = `${c.template_id}:${prompt.key}`;
          const entry = series.get(id) ?? { promptKey: prompt.key, label: prompt.label, scaleMin: min, scaleMax: max, points: [] };
          const previous = entry.points.at(-1)?.value ?? null;
          Object.assign(entry, { label: prompt.label, scaleMin: min, scaleMax: max });
          entry.points.push({ opensAt: c.opens_at.toISOString(), value: answer.scale });
          series.set(id, entry);
          if (!inPeriod(c)) continue;
          const kind = classifyScaleAnswer(answer.scale, previous, min, max);
          if (kind === 'SCORE_DROP') scoreDrops += 1;
          if (kind === 'LOW_SCORE') lowScores += 1;
          if (kind) notables.push({ ...base, kind, value: answer.scale, previousValue: kind === 'SCORE_DROP' ? previous : null, scaleMin: min, scaleMax: max, text: null });
        } else if (prompt.type === 'TEXT' && inPeriod(c) && c.needs_follow_up && answer.text?.trim()) {
          notables.push({ ...base, kind: 'FOLLOW_UP', value: null, previousValue: null, scaleMin: null, scaleMax: null, text: excerpt(answer.text) });
        }
      }
    }

    const earlier = facts.earlier; // newest first
    const goalRows: ReportGoal[] = facts.goals.map((g) => {
      const progress = roundOrNull(facts.progress.get(g.id) ?? null);
      const previousProgress = roundOrNull(earlier[0]?.get(g.id) ?? null);
      const history = [...earlier.map((report) => roundOrNull(report.get(g.id) ?? null)).reverse(), progress];
      const expected = g.target_date ? straightLineProgress(g.start_date ?? g.created_on, g.target_date, todayIn(zone, asOf)) : null;
      const pace = facts.paces.get(g.id) ?? null;
      const idleDays = Math.max(0, Math.floor((asOf.getTime() - new Date(g.last_activity).getTime()) / DAY_MS));
      return {
        goalId: g.id,
        title: g.title,
        progress,
        previousProgress,
        change: progress !== null && previousProgress !== null ? round(progress - previousProgress) : null,
        history,
        targetDate: g.target_date,
        expectedProgress: expected === null ? null : round(expected),
        behindPace: isBehind(pace?.state),
        paceState: pace?.state ?? null,
        paceExplanation: pace?.explanation ?? null,
        idleDays,
        stalled: idleDays >= STALLED_DAYS,
      };
    });

    const overdue = facts.overdue
      .slice()
      .sort(
        (a, b) =>
          (b.daysOverdue ?? 0) - (a.daysOverdue ?? 0) || compare(a.date, b.date) || compare(a.task.title, b.task.title) || compare(a.task.id, b.task.id),
      );
    const oldestOverdueTasks: ReportOverdueTask[] = overdue
      .slice(0, OLDEST_OVERDUE)
      .map((o) => ({ taskId: o.task.id, title: o.task.title, dueOn: o.date, daysOverdue: o.daysOverdue ?? 0 }));

    const stalledGoalCount = goalRows.filter((g) => g.stalled).length;
    const risk = riskOf({
      dueCheckIns: due,
      submittedCheckIns: submitted,
      missedCheckIns: due - submitted,
      overdueTasks: overdue.length,
      longOverdueTasks: overdue.filter((o) => (o.daysOverdue ?? 0) > LONG_OVERDUE_DAYS).length,
      stalledGoals: stalledGoalCount,
      goalsBehindPace: goalRows.filter((g) => g.behindPace).length,
      scoreDrops,
      lowScores,
    });
    return {
      clientId: client.id,
      displayName: client.displayName,
      timezone: zone,
      checkIns: {
        due,
        submitted,
        missed: due - submitted,
        completionRate: due ? Math.round((submitted / due) * 1000) / 1000 : null,
        currentStreak: facts.streak,
      },
      goals: goalRows,
      overdueTaskCount: overdue.length,
      oldestOverdueTasks,
      stalledGoalCount,
      notableAnswerCount: notables.length,
      notableAnswers: notables.slice(-NOTABLE_KEPT),
      scores: [...series.values()],
      riskScore: risk.score,
      riskReasons: risk.reasons,
    };
  }

  private checkIns(tx: TenantTransaction, clientIds: string[], from: Date, to: Date): Promise<CheckInRow[]> {
    if (clientIds.length === 0) return Promise.resolve([]);
    return tx.db
      .selectFrom('check_ins as c')
      .innerJoin('checkin_template_versions as v', 'v.id', 'c.template_version_id')
      .leftJoinLateral(
        (eb) =>
          eb
            .selectFrom('checkin_submissions as s')
            .select('s.answers')
            .whereRef('s.check_in_id', '=', 'c.id')
            .orderBy('s.created_at', 'desc')
            .orderBy('s.id', 'desc')
            .limit(1)
            .as('s'),
        (join) => join.onTrue(),
      )
      .select([
        'c.id',
        'c.client_id',
        'c.opens_at',
        'c.closes_at',
        'c.submitted_at',
        'c.status',
        'c.needs_follow_up',
        'c.template_version_id',
        'v.template_id',
        's.answers',
      ])
      .where('c.client_id', '=', anyOf(clientIds, 'uuid'))
      .where('c.opens_at', '>=', from)
      .where('c.opens_at', '<', to)
      .orderBy('c.client_id')
      .orderBy('c.opens_at')
      .orderBy('c.id')
      .$narrowType<Pick<CheckInRow, 'status' | 'answers'>>()
      .execute();
  }

  private async prompts(tx: TenantTransaction, versionIds: string[]): Promise<Map<string, PromptRow[]>> {
    if (versionIds.length === 0) return new Map();
    const rows = await tx.db
      .selectFrom('checkin_template_versions')
      .select(['id', 'prompts'])
      .where('id', '=', anyOf(versionIds, 'uuid'))
      .$narrowType<{ prompts: PromptRow[] }>()
      .execute();
    return new Map(rows.map((r) => [r.id, r.prompts]));
  }

  /**
   * As CheckInReviewService.stats, as of `asOf`: check-ins answered by then since the latest one that had
   * closed unanswered by then (excused ones neither break nor extend it).
   */
  private async streaks(tx: TenantTransaction, clientIds: string[], asOf: Date): Promise<Map<string, number>> {
    if (clientIds.length === 0) return new Map();
    const rows = await tx.db
      .selectFrom('check_ins as c')
      .select((eb) => ['c.client_id', eb.cast<number>(eb.fn.countAll(), 'integer').as('streak')])
      .where('c.client_id', '=', anyOf(clientIds, 'uuid'))
      .where('c.submitted_at', '<=', asOf)
      .where((eb) =>
        eb(
          'c.opens_at',
          '>',
          eb.fn.coalesce(
            eb
              .selectFrom('check_ins as b')
              .select((b) => b.fn.max('b.opens_at').as('opens_at'))
              .whereRef('b.client_id', '=', 'c.client_id')
              .where('b.status', '<>', 'EXCUSED')
              .where('b.closes_at', '<=', asOf)
              .where((b) => b.or([b('b.submitted_at', 'is', null), b('b.submitted_at', '>', asOf)])),
            sql<Date>`'-infinity'::timestamptz`,
          ),
        ),
      )
      .groupBy('c.client_id')
      .execute();
    return new Map(rows.map((r) => [r.client_id, r.streak]));
  }

  /** ACTIVE goals, highest priority first, with their last activity as the nudges' stalled rule sees it. */

  /**
   * Per coach, the goal progress stored in their latest earlier reports (newest first, at most
   * GOAL_HISTORY_REPORTS), each as goal id → progress. Earlier: a period starting before the one now due.
   */
  private async earlierProgress(tx: TenantTransaction, coaches: readonly DueCoach[]): Promise<Map<string, Map<string, number | null>[]>> {
    const coachIds = coaches.map((c) => c.id);
    const periodStarts = coaches.map((c) => c.period.periodStart);
    const rows = await tx.db
      .with('due', (db) =>
        db
          .selectFrom(
            sql<{ coach_id: string; period_start: Date }>`unnest(${coachIds}::uuid[], ${periodStarts}::date[])`.as<'d'>(
              sql`d (coach_id, period_start)`,
            ),
          )
          .selectAll(),
      )
      .with('earlier', (db) =>
        db
          .selectFrom('coach_reports as r')
          .innerJoin('due as d', (join) => join.onRef('d.coach_id', '=', 'r.coach_id').onRef('r.period_start', '<', 'd.period_start'))
          .select((eb) => [
            'r.id',
            'r.coach_id',
            'r.data',
            eb.fn
              .agg<number>('row_number')
              .over((over) => over.partitionBy('r.coach_id').orderBy('r.period_start', 'desc').orderBy('r.created_at', 'desc'))
              .as('rn'),
          ]),
      )
      .selectFrom('earlier as e')
      // The goals of each client in each earlier report's stored figures.
      .leftJoinLateral(sql<{ value: unknown }>`jsonb_array_elements(e.data->'clients')`.as('c'), (join) => join.onTrue())
      .leftJoinLateral(sql<{ value: unknown }>`jsonb_array_elements(c.value->'goals')`.as('g'), (join) => join.onTrue())
      .select((eb) => [
        'e.coach_id',
        'e.id as report_id',
        eb.cast<number>('e.rn', 'integer').as('rn'),
        sql<string | null>`g.value->>'goalId'`.as('goal_id'),
        sql<number | null>`(g.value->>'progress')::float8`.as('progress'),
      ])
      .where('e.rn', '<=', GOAL_HISTORY_REPORTS)
      .orderBy('e.coach_id')
      .orderBy('e.rn')
      .execute();
    const result = new Map<string, Map<string, number | null>[]>();
    for (const row of rows) {
      const reports = result.get(row.coach_id) ?? [];
      reports[row.rn - 1] ??= new Map();
      if (row.goal_id) reports[row.rn - 1].set(row.goal_id, row.progress);
      result.set(row.coach_id, reports);
    }
    return result;
  }
}

const periodDaysOf = (coach: DueCoach) => Math.round((Date.parse(coach.period.periodEnd) - Date.parse(coach.period.periodStart)) / DAY_MS);
const round = (value: number) => Math.round(value * 10) / 10;
const roundOrNull = (value: number | null) => (value === null ? null : round(value));
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function groupBy<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    const list = groups.get(k) ?? [];
    list.push(row);
    groups.set(k, list);
  }
  return groups;
}
