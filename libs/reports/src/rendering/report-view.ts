import { AT_RISK_MIN_SCORE } from '../content/at-risk-score.js';
import type { ReportClient, ReportData } from '../content/report-data.js';
import {
  cadenceOf,
  checkInPhrase,
  goalPhrase,
  introPhrase,
  noRiskPhrase,
  notablePhrase,
  overduePhrase,
  periodPhrase,
  riskPhrase,
  SCORE_EXPLAINED,
  seriesPhrase,
  subjectOf,
  summaryPhrase,
} from './report-phrases.js';
import { formatNumber, sparkline, type SparklineView } from './sparkline.js';

const MAX_SERIES = 3;
const MAX_GOAL_CHARTS = 8;
/** Goals shown as bars in a summary row: the highest-priority ones. */
export const SUMMARY_GOALS = 3;
/** A goal title in a summary row is cut here; the details have it whole. */
const SUMMARY_TITLE = 48;

/** Where a client's name links to (the firm's app), or null for no link. */
export type ClientUrl = (clientId: string) => string | null;

export interface ClientView {
  clientId: string;
  name: string;
  url: string | null;
  risk: number;
  atRisk: boolean;
  overdue: number;
  checkIns: { rate: string; detail: string };
  goalBars: { title: string; progress: number | null; label: string }[];
  moreGoals: number;
  summarySentence: string;
  checkInSentence: string;
  scores: { sentence: string; chart: SparklineView }[];
  goals: { sentence: string; progress: number | null; chart: SparklineView | null }[];
  tasksSentence: string;
  notable: string[];
  moreNotable: number;
}

export interface ReportView {
  subject: string;
  title: string;
  coachName: string;
  firmName: string;
  intro: string;
  /** The at-risk list, ranked, each line without its rank. */
  atRisk: string[];
  noRisk: string;
  atRiskMin: number;
  scoreExplained: string;
  /** Highest risk first, then as in the data (by name). */
  summary: ClientView[];
  /** As in the data (by name). */
  clients: ClientView[];
  /** Set by the renderer when the summary had to stop short. */
  summaryMore?: string;
}

const clip = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

/** What both versions say, computed once: the phrases, the charts' geometry and each client's link. */
export function reportView(data: ReportData, clientUrl: ClientUrl = () => null): ReportView {
  const clients = data.clients.map((c) => clientView(c, clientUrl(c.clientId)));
  const order = new Map(clients.map((c, i) => [c.clientId, i]));
  return {
    subject: clip(subjectOf(data), 300),
    title: `${cadenceOf(data.periodDays)} client report — ${periodPhrase(data)}`,
    coachName: data.coachName,
    firmName: data.firmName,
    intro: introPhrase(data),
    atRisk: data.atRisk.map((e) => riskPhrase(e).replace(/^\d+\. /, '')),
    noRisk: noRiskPhrase(data),
    atRiskMin: AT_RISK_MIN_SCORE,
    scoreExplained: SCORE_EXPLAINED,
    summary: [...clients].sort((a, b) => b.risk - a.risk || (order.get(a.clientId) ?? 0) - (order.get(b.clientId) ?? 0)),
    clients,
  };
}

function clientView(c: ReportClient, url: string | null): ClientView {
  const rate = c.checkIns.completionRate;
  return {
    clientId: c.clientId,
    name: c.displayName,
    url,
    risk: c.riskScore,
    atRisk: c.riskScore >= AT_RISK_MIN_SCORE,
    overdue: c.overdueTaskCount,
    checkIns: {
      rate: rate === null ? '–' : `${Math.round(rate * 100)}%`,
      detail: c.checkIns.due === 0 ? 'none due' : `${c.checkIns.submitted} of ${c.checkIns.due}`,
    },
    goalBars: c.goals.slice(0, SUMMARY_GOALS).map((g) => ({
      title: clip(g.title, SUMMARY_TITLE),
      progress: g.progress,
      label: g.progress === null ? 'not measured' : `${formatNumber(g.progress)}%`,
    })),
    moreGoals: Math.max(0, c.goals.length - SUMMARY_GOALS),
    summarySentence: summaryPhrase(c),
    checkInSentence: checkInPhrase(c.checkIns),
    scores: c.scores.slice(0, MAX_SERIES).flatMap((s) => {
      const chart = sparkline(
        s.points.map((p) => p.value),
        { min: s.scaleMin, max: s.scaleMax, label: `${s.label} (${s.scaleMin}–${s.scaleMax})`, tolerance: 0.5 },
      );
      return chart ? [{ sentence: seriesPhrase(s), chart }] : [];
    }),
    goals: c.goals.map((g, i) => {
      const known = g.history.filter((v): v is number => v !== null);
      return {
        sentence: goalPhrase(g),
        progress: g.progress,
        chart: i < MAX_GOAL_CHARTS ? sparkline(known, { min: 0, max: 100, label: `Progress of ${g.title} by report`, unit: '%', tolerance: 0.5 }) : null,
      };
    }),
    tasksSentence: overduePhrase(c),
    notable: c.notableAnswers.map((n) => notablePhrase(n, c.timezone)),
    moreNotable: c.notableAnswerCount - c.notableAnswers.length,
  };
}
