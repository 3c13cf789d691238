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
} from './report-phrases.js';
import { escapeHtml, sparkline } from './sparkline.js';

export interface RenderedReport {
  subject: string;
  text: string;
  html: string;
}

/** Well inside the messages table's limits (100 000 and 500 000 characters). */
export const TEXT_BUDGET = 90_000;
export const HTML_BUDGET = 450_000;
const MAX_SERIES = 3;
const MAX_GOAL_CHARTS = 8;

/**
 * The report as an email: a plain-text and an HTML version saying the same, the HTML with a sparkline of each
 * client's SCALE scores and of each goal's progress by report, the numbers always written out beside the chart
 * (mail clients vary in SVG support). Every piece of user text is escaped in the HTML. A caseload too large
 * for one email is listed in full in the at-risk section and in detail as far as the budget goes; the rest get
 * one line each, and the full report stays in GraphQL.
 */
export function renderReport(data: ReportData): RenderedReport {
  const subject = subjectOf(data);
  const clip = (s: string) => (s.length > 300 ? `${s.slice(0, 299)}…` : s);
  return { subject: clip(subject), text: renderText(data), html: renderHtml(data) };
}

export function renderText(data: ReportData): string {
  const head = [
    `${cadenceOf(data.periodDays)} client report — ${periodPhrase(data)}`,
    '',
    `Hi ${data.coachName},`,
    '',
    introPhrase(data),
    '',
    'AT RISK',
    ...(data.atRisk.length ? data.atRisk.map(riskPhrase) : [noRiskPhrase(data)]),
    '',
  ];
  const foot = ['', SCORE_EXPLAINED, '', `${data.firmName} · sent by Cairn`];
  return withinBudget(
    head.join('\n'),
    foot.join('\n'),
    data.clients,
    clientText,
    (c) => `${c.displayName}: ${checkInPhrase(c.checkIns)}\n`,
    (line) => `${line}\n`,
    TEXT_BUDGET,
  );
}

function clientText(c: ReportClient): string {
  const lines = [`== ${c.displayName} ==`, `Check-ins: ${checkInPhrase(c.checkIns)}`];
  for (const s of c.scores.slice(0, MAX_SERIES)) lines.push(`Scores: ${seriesPhrase(s)}`);
  if (c.goals.length === 0) lines.push('Goals: no active goals');
  else lines.push('Goals:', ...c.goals.map((g) => `- ${goalPhrase(g)}`));
  lines.push(`Tasks: ${overduePhrase(c)}`);
  if (c.notableAnswers.length) {
    lines.push('Notable answers:', ...c.notableAnswers.map((n) => `- ${notablePhrase(n, c.timezone)}`));
    if (c.notableAnswerCount > c.notableAnswers.length) lines.push(`- and ${c.notableAnswerCount - c.notableAnswers.length} more`);
  }
  return `${lines.join('\n')}\n\n`;
}

const H = escapeHtml;
const STYLE = {
  body: 'font-family:Arial,Helvetica,sans-serif;color:#1f2937;font-size:14px;line-height:1.45;max-width:680px',
  h1: 'font-size:20px;margin:0 0 8px',
  h2: 'font-size:16px;margin:20px 0 6px',
  h3: 'font-size:15px;margin:16px 0 4px',
  muted: 'color:#6b7280;font-size:12px',
  cell: 'padding:2px 8px 2px 0;vertical-align:middle',
};

export function renderHtml(data: ReportData): string {
  const atRisk = data.atRisk.length
    ? `<ol>${data.atRisk.map((e) => `<li>${H(riskPhrase(e).replace(/^\d+\. /, ''))}</li>`).join('')}</ol>`
    : `<p>${H(noRiskPhrase(data))}</p>`;
  const head = [
    `<div style="${STYLE.body}">`,
    `<h1 style="${STYLE.h1}">${H(`${cadenceOf(data.periodDays)} client report — ${periodPhrase(data)}`)}</h1>`,
    `<p>Hi ${H(data.coachName)},</p>`,
    `<p>${H(introPhrase(data))}</p>`,
    `<h2 style="${STYLE.h2}">At risk</h2>`,
    atRisk,
    `<h2 style="${STYLE.h2}">Clients</h2>`,
  ].join('\n');
  const foot = [`<p style="${STYLE.muted}">${H(SCORE_EXPLAINED)}</p>`, `<p style="${STYLE.muted}">${H(data.firmName)} · sent by Cairn</p>`, '</div>'].join(
    '\n',
  );
  return withinBudget(
    `${head}\n`,
    foot,
    data.clients,
    clientHtml,
    (c) => `<p><strong>${H(c.displayName)}</strong>: ${H(checkInPhrase(c.checkIns))}</p>\n`,
    (line) => `<p>${H(line)}</p>\n`,
    HTML_BUDGET,
  );
}

function clientHtml(c: ReportClient): string {
  const parts = [`<section data-client-id="${H(c.clientId)}">`, `<h3 style="${STYLE.h3}">${H(c.displayName)}</h3>`];
  parts.push(`<p>${H(`Check-ins: ${checkInPhrase(c.checkIns)}`)}</p>`);
  for (const s of c.scores.slice(0, MAX_SERIES)) {
    const chart = sparkline(
      s.points.map((p) => p.value),
      { min: s.scaleMin, max: s.scaleMax, label: `${s.label} (${s.scaleMin}–${s.scaleMax})`, tolerance: 0.5 },
    );
    parts.push(`<p>${chart} ${H(`Scores: ${seriesPhrase(s)}`)}</p>`);
  }
  if (c.goals.length === 0) {
    parts.push('<p>Goals: no active goals</p>');
  } else {
    const rows = c.goals.map((g, i) => {
      const known = g.history.filter((v): v is number => v !== null);
      const chart =
        i < MAX_GOAL_CHARTS && known.length > 0
          ? sparkline(known, { min: 0, max: 100, label: `Progress of ${g.title} by report`, unit: '%', tolerance: 0.5, width: 80, height: 20 })
          : '';
      return `<tr><td style="${STYLE.cell}">${chart}</td><td style="${STYLE.cell}">${H(goalPhrase(g))}</td></tr>`;
    });
    parts.push(`<p>Goals:</p>`, `<table role="presentation" cellpadding="0" cellspacing="0">${rows.join('')}</table>`);
  }
  parts.push(`<p>${H(`Tasks: ${overduePhrase(c)}`)}</p>`);
  if (c.notableAnswers.length) {
    const more = c.notableAnswerCount - c.notableAnswers.length;
    parts.push(
      '<p>Notable answers:</p>',
      `<ul>${c.notableAnswers.map((n) => `<li>${H(notablePhrase(n, c.timezone))}</li>`).join('')}${more > 0 ? `<li>and ${more} more</li>` : ''}</ul>`,
    );
  }
  parts.push('</section>');
  return `${parts.join('\n')}\n`;
}

/** Clients in detail while they fit the budget, then one line each while those fit, then a count. */
function withinBudget(
  head: string,
  foot: string,
  clients: readonly ReportClient[],
  detail: (c: ReportClient) => string,
  summary: (c: ReportClient) => string,
  paragraph: (line: string) => string,
  budget: number,
): string {
  let body = '';
  let left = budget - head.length - foot.length - 200;
  let detailed = true;
  let shown = 0;
  for (const client of clients) {
    let block = detailed ? detail(client) : summary(client);
    if (block.length > left && detailed) {
      detailed = false;
      block = summary(client);
    }
    if (block.length > left) break;
    body += block;
    left -= block.length;
    shown += 1;
  }
  const rest = clients.length - shown;
  const more = rest > 0 ? paragraph(`…and ${rest} more clients: the full report is in Cairn (coachReport).`) : '';
  return `${head}${body}${more}${foot}`;
}
