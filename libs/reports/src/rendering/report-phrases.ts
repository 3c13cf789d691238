import { DateTime } from 'luxon';
import { addDays } from '#cairn/shared/calendar';
import { AT_RISK_MIN_SCORE, RISK_POINTS } from '../content/at-risk-score.js';
import type { AtRiskEntry, NotableAnswer, ReportCheckIns, ReportClient, ReportData, ReportGoal, ReportScoreSeries, RiskReason } from '../content/report-data.js';
import { trendOf } from './sparkline.js';

/**
 * Every sentence a report says, used by both the plain-text and the HTML version, so the two carry the same
 * numbers (the HTML adds charts and bars, never figures of its own). Plain strings: the templates escape them.
 */
const num = (value: number) => String(Math.round(value * 10) / 10);
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const day = (date: string) => DateTime.fromISO(date, { locale: 'en-GB' }).toFormat('ccc d LLL yyyy');
const dayShort = (date: string) => DateTime.fromISO(date, { locale: 'en-GB' }).toFormat('ccc d LLL');

export const cadenceOf = (periodDays: number) => (periodDays === 14 ? 'Fortnightly' : 'Weekly');

/** "Mon 2 Feb 2026 to Sun 8 Feb 2026": the period's first and last day. */
export function periodPhrase(data: Pick<ReportData, 'periodStart' | 'periodEnd'>): string {
  return `${day(data.periodStart)} to ${day(addDays(data.periodEnd, -1))}`;
}

export function subjectOf(data: ReportData): string {
  const atRisk = data.atRisk.length;
  return `${cadenceOf(data.periodDays)} client report, ${dayShort(data.periodStart)} – ${dayShort(addDays(data.periodEnd, -1))}: ${plural(data.clients.length, 'client')}, ${atRisk} at risk`;
}

export function introPhrase(data: ReportData): string {
  return `Here is how your ${plural(data.clients.length, 'client')} did from ${periodPhrase(data)} (${data.timezone}).`;
}

export function checkInPhrase(c: ReportCheckIns): string {
  if (c.due === 0) return `No check-ins were due; current streak ${c.currentStreak}`;
  const rate = Math.round((c.completionRate ?? 0) * 100);
  return `${c.submitted} of ${c.due} check-ins submitted (${rate}%), ${c.missed} missed, current streak ${c.currentStreak}`;
}

export function seriesPhrase(s: ReportScoreSeries): string {
  const values = s.points.map((p) => p.value);
  const trend = trendOf(values, 0.5);
  return `${s.label} (${s.scaleMin}–${s.scaleMax}): ${values.map(num).join(', ')}${trend === 'single' ? '' : ` — ${trend}`}`;
}

export function changePhrase(g: ReportGoal): string {
  if (g.change === null) return g.previousProgress === null && g.progress !== null ? 'change unknown: first report with this goal' : 'change unknown';
  if (g.change === 0) return 'no change since the last report';
  return `${g.change > 0 ? '+' : '−'}${num(Math.abs(g.change))} since the last report`;
}

export function goalPhrase(g: ReportGoal): string {
  const parts = [`${g.title}: ${g.progress === null ? 'not measured' : `${num(g.progress)}%`} (${changePhrase(g)})`];
  const known = g.history.filter((v): v is number => v !== null);
  if (known.length > 1) parts.push(`by report: ${known.map(num).join(', ')}`);
  if (g.stalled) parts.push(`stalled: no progress for ${plural(g.idleDays, 'day')}`);
  if (g.behindPace && g.paceExplanation) parts.push(`${g.paceState === 'AT_RISK' ? 'at risk' : 'behind pace'}: ${g.paceExplanation}`);
  else if (g.behindPace && g.expectedProgress !== null) parts.push(`behind pace (the plan says about ${Math.round(g.expectedProgress)}% by now)`);
  return parts.join('; ');
}

export function overduePhrase(client: Pick<ReportClient, 'overdueTaskCount' | 'oldestOverdueTasks'>): string {
  if (client.overdueTaskCount === 0) return 'No overdue tasks';
  const oldest = client.oldestOverdueTasks
    .map((t) => `“${t.title}” (${plural(t.daysOverdue, 'day')} overdue, due ${dayShort(t.dueOn)})`)
    .join(', ');
  const more = client.overdueTaskCount - client.oldestOverdueTasks.length;
  return `${plural(client.overdueTaskCount, 'overdue task')}: ${oldest}${more > 0 ? `, and ${more} more` : ''}`;
}

export function notablePhrase(n: NotableAnswer, zone: string): string {
  const when = DateTime.fromISO(n.opensAt, { zone, locale: 'en-GB' }).toFormat('ccc d LLL');
  switch (n.kind) {
    case 'SCORE_DROP':
      return `${when}, ${n.label}: ${n.value} (down from ${n.previousValue})`;
    case 'LOW_SCORE':
      return `${when}, ${n.label}: ${n.value} of ${n.scaleMax} (low)`;
    case 'FOLLOW_UP':
      return `${when}, ${n.label} (marked for follow-up): “${n.text}”`;
  }
}

const REASONS: Record<RiskReason['code'], (n: number) => string> = {
  MISSED_CHECKIN: (n) => plural(n, 'missed check-in'),
  NO_CHECKIN_ANSWERED: () => 'no check-in answered',
  OVERDUE_TASK: (n) => plural(n, 'overdue task'),
  LONG_OVERDUE_TASK: (n) => `${plural(n, 'task')} overdue more than a week`,
  STALLED_GOAL: (n) => plural(n, 'stalled goal'),
  GOAL_BEHIND_PACE: (n) => `${plural(n, 'goal')} behind pace`,
  SCORE_DROP: (n) => plural(n, 'score drop'),
  LOW_SCORE: (n) => plural(n, 'low score'),
};

export function reasonPhrase(r: RiskReason): string {
  return `${REASONS[r.code](r.count)} (+${r.points})`;
}

export function riskPhrase(entry: AtRiskEntry): string {
  return `${entry.rank}. ${entry.displayName} — score ${entry.score}: ${entry.reasons.map(reasonPhrase).join(', ')}`;
}

/** A caseload summary line: risk, check-ins, overdue tasks and the first goals' progress. */
export function summaryPhrase(c: ReportClient): string {
  const checkIns = c.checkIns.due === 0 ? 'no check-ins due' : `check-ins ${c.checkIns.submitted} of ${c.checkIns.due} (${Math.round((c.checkIns.completionRate ?? 0) * 100)}%)`;
  const goals = c.goals.length
    ? `goals: ${c.goals
        .slice(0, 3)
        .map((g) => `${g.title} ${g.progress === null ? 'not measured' : `${num(g.progress)}%`}`)
        .join(', ')}${c.goals.length > 3 ? `, +${c.goals.length - 3} more` : ''}`
    : 'no active goals';
  const risk = `risk ${c.riskScore}${c.riskScore >= AT_RISK_MIN_SCORE ? ' (at risk)' : ''}`;
  return `${c.displayName}: ${risk} · ${checkIns} · ${plural(c.overdueTaskCount, 'overdue task')} · ${goals}`;
}

export function noRiskPhrase(data: ReportData): string {
  return `No client is at risk this ${data.periodDays === 14 ? 'fortnight' : 'week'}.`;
}

export const SCORE_EXPLAINED =
  `At-risk score: ${RISK_POINTS.MISSED_CHECKIN} per missed check-in, ${RISK_POINTS.NO_CHECKIN_ANSWERED} if none was answered, ` +
  `${RISK_POINTS.OVERDUE_TASK} per overdue task (+${RISK_POINTS.LONG_OVERDUE_TASK} if over a week), ${RISK_POINTS.STALLED_GOAL} per stalled goal, ` +
  `${RISK_POINTS.GOAL_BEHIND_PACE} per goal behind pace, ${RISK_POINTS.SCORE_DROP} per score drop, ${RISK_POINTS.LOW_SCORE} per low score; ` +
  `${AT_RISK_MIN_SCORE} or more is at risk.`;
