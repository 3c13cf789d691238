import { htmlTemplate } from '#cairn/shared/templates';
import type { SparklineView } from '../sparkline.js';
import type { ClientView, ReportView } from '../report-view.js';

/**
 * The HTML report, for mail clients: tables and inline styles only, no script, no external asset, one column
 * that narrows to a phone's width. Every `<%= %>` is escaped by the engine; `<%~ %>` takes only parts these
 * templates rendered. Client names link to the firm's app when CLIENT_URL_PATTERN is set.
 */

const MUTED = 'color:#6b7280;font-size:12px';
const LINK = 'color:#1d4ed8;font-weight:bold;text-decoration:underline';

/** A chart with its scale: faint lines at the range's ends, labelled at the left, and the last value at the right. */
export const chartHtml = htmlTemplate<{ chart: SparklineView }>(
  'reports/chart.svg',
  `<% const c = it.chart; %><svg xmlns="http://www.w3.org/2000/svg" width="<%= c.width %>" height="<%= c.height %>" viewBox="0 0 <%= c.width %> <%= c.height %>" role="img" aria-label="<%= c.description %>" data-chart="sparkline" style="display:block;max-width:100%">` +
    `<title><%= c.description %></title>` +
    `<line x1="<%= c.axis.left %>" y1="<%= c.axis.top %>" x2="<%= c.axis.right %>" y2="<%= c.axis.top %>" stroke="#e5e7eb" stroke-width="1"/>` +
    `<line x1="<%= c.axis.left %>" y1="<%= c.axis.bottom %>" x2="<%= c.axis.right %>" y2="<%= c.axis.bottom %>" stroke="#d1d5db" stroke-width="1"/>` +
    `<text data-axis="max" x="<%= c.axis.x %>" y="<%= c.axis.top + 3.5 %>" text-anchor="end" font-family="Arial,Helvetica,sans-serif" font-size="10" fill="#6b7280"><%= c.axis.maxLabel %></text>` +
    `<text data-axis="min" x="<%= c.axis.x %>" y="<%= c.axis.bottom + 3.5 %>" text-anchor="end" font-family="Arial,Helvetica,sans-serif" font-size="10" fill="#6b7280"><%= c.axis.minLabel %></text>` +
    `<% if (c.points) { %><polyline fill="none" stroke="#2563eb" stroke-width="1.5" stroke-linejoin="round" stroke-linecap="round" points="<%= c.points %>"/><% } %>` +
    `<circle cx="<%= c.last.x %>" cy="<%= c.last.y %>" r="2.5" fill="#2563eb"/>` +
    `<text data-last="true" x="<%= c.last.labelX %>" y="<%= c.last.labelY %>" font-family="Arial,Helvetica,sans-serif" font-size="11" font-weight="bold" fill="#1d4ed8"><%= c.last.label %></text></svg>`,
);

/** A progress bar on 0–100 (grey when not measured); `scale` writes the ends under it. */
export const barHtml = htmlTemplate<{ progress: number | null; scale?: boolean }>(
  'reports/bar.html',
  `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" data-bar="<%= it.progress ?? 'none' %>" style="max-width:320px;border-collapse:collapse;margin:2px 0"><tr>` +
    `<% const p = it.progress === null ? 0 : Math.max(0, Math.min(100, Math.round(it.progress))); %>` +
    `<% if (p > 0) { %><td width="<%= p %>%" style="width:<%= p %>%;background:#2563eb;height:8px;font-size:0;line-height:0">&nbsp;</td><% } %>` +
    `<% if (p < 100) { %><td style="background:#e5e7eb;height:8px;font-size:0;line-height:0">&nbsp;</td><% } %></tr></table>` +
    `<% if (it.scale) { %><table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" data-scale="bar" style="max-width:320px;${MUTED};font-size:11px"><tr><td align="left">0</td><td align="right">100%</td></tr></table><% } %>`,
);

const NAME = `<% if (it.client.url) { %><a href="<%= it.client.url %>" data-client-link="<%= it.client.clientId %>" style="${LINK}"><%= it.client.name %></a><% } else { %><strong><%= it.client.name %></strong><% } %>`;

/** One row of the caseload summary. */
export const summaryRowHtml = htmlTemplate<{ client: ClientView }>(
  'reports/summary-row.html',
  `<% const c = it.client; %><tr data-client-id="<%= c.clientId %>" style="border-top:1px solid #e5e7eb">` +
    `<td style="padding:6px 4px 6px 0;vertical-align:top">${NAME}</td>` +
    `<td style="padding:6px 4px;vertical-align:top"><strong><%= c.checkIns.rate %></strong><br><span style="${MUTED}"><%= c.checkIns.detail %></span></td>` +
    `<td style="padding:6px 4px;vertical-align:top"><% if (c.goalBars.length === 0) { %><span style="${MUTED}">no active goals</span><% } %>` +
    `<% for (const g of c.goalBars) { %><div style="font-size:12px;margin-top:2px"><span data-bar-label="true"><%= g.label %></span> <span style="color:#4b5563"><%= g.title %></span></div><%~ include('@reports/bar.html', { progress: g.progress, scale: false }) %><% } %>` +
    `<% if (c.moreGoals > 0) { %><div style="${MUTED}">+<%= c.moreGoals %> more</div><% } %></td>` +
    `<td style="padding:6px 4px;vertical-align:top;<%= c.overdue > 0 ? 'color:#b91c1c;font-weight:bold' : '' %>"><%= c.overdue %></td>` +
    `<td style="padding:6px 0 6px 4px;vertical-align:top"><% if (c.atRisk) { %><span style="background:#fee2e2;color:#991b1b;font-weight:bold;padding:1px 6px;border-radius:9px"><%= c.risk %></span><% } else { %><%= c.risk %><% } %></td></tr>\n`,
);

/** One client in detail: every figure as a sentence, with the charts beside them. */
export const clientHtml = htmlTemplate<{ client: ClientView }>(
  'reports/client.html',
  `<% const c = it.client; %><section data-client-id="<%= c.clientId %>" style="border-top:1px solid #e5e7eb;margin-top:14px;padding-top:8px">\n` +
    `<h3 style="font-size:15px;margin:0 0 4px">${NAME}</h3>\n` +
    `<p style="margin:4px 0">Check-ins: <%= c.checkInSentence %></p>\n` +
    `<% for (const s of c.scores) { %><p style="margin:8px 0 2px">Scores: <%= s.sentence %></p><%~ include('@reports/chart.svg', { chart: s.chart }) %>\n<% } %>` +
    `<% if (c.goals.length === 0) { %><p style="margin:8px 0 2px">Goals: no active goals</p>\n<% } else { %><p style="margin:8px 0 2px">Goals:</p>\n` +
    `<% for (const g of c.goals) { %><div style="margin:4px 0 8px"><div><%= g.sentence %></div><%~ include('@reports/bar.html', { progress: g.progress, scale: true }) %>` +
    `<% if (g.chart) { %><%~ include('@reports/chart.svg', { chart: g.chart }) %><% } %></div>\n<% } %><% } %>` +
    `<p style="margin:8px 0 2px">Tasks: <%= c.tasksSentence %></p>\n` +
    `<% if (c.notable.length) { %><p style="margin:8px 0 2px">Notable answers:</p>\n<ul style="margin:0;padding-left:20px"><% for (const n of c.notable) { %><li><%= n %></li><% } %>` +
    `<% if (c.moreNotable > 0) { %><li>and <%= c.moreNotable %> more</li><% } %></ul>\n<% } %></section>\n`,
);

/** A client past the detail budget: one line. */
export const clientLineHtml = htmlTemplate<{ client: ClientView }>(
  'reports/client-line.html',
  `<p data-client-id="<%= it.client.clientId %>" style="margin:4px 0">${NAME}: <%= it.client.checkInSentence %></p>\n`,
);

export const noteHtml = htmlTemplate<{ note: string }>('reports/note.html', `<p style="${MUTED}"><%= it.note %></p>\n`);

/** The whole email; `summaryRows` and `details` are rendered by the partials above. */
export const reportHtml = htmlTemplate<ReportView & { summaryRows: string; details: string }>(
  'reports/report.html',
  `<% layout('@email/layout', { title: it.subject, maxWidth: 680 }) %><h1 style="font-size:20px;margin:0 0 8px"><%= it.title %></h1>
<p style="margin:0 0 6px">Hi <%= it.coachName %>,</p>
<p style="margin:0 0 12px"><%= it.intro %></p>
<table data-section="caseload-summary" width="100%" cellpadding="0" cellspacing="0" border="0" style="width:100%;table-layout:fixed;border-collapse:collapse;font-size:13px">
<caption style="text-align:left;font-size:16px;font-weight:bold;padding:0 0 6px">Caseload, highest risk first</caption>
<thead><tr style="${MUTED};font-size:11px;text-align:left;overflow-wrap:normal;word-break:normal">
<th scope="col" width="26%" style="width:26%;padding:0 4px 4px 0;font-weight:bold">Client</th>
<th scope="col" width="15%" style="width:15%;padding:0 4px 4px;font-weight:bold">Check-ins</th>
<th scope="col" width="33%" style="width:33%;padding:0 4px 4px;font-weight:bold">Goals <span data-scale="goals" style="font-weight:normal">(0–100%)</span></th>
<th scope="col" width="14%" style="width:14%;padding:0 4px 4px;font-weight:bold">Overdue tasks</th>
<th scope="col" width="12%" style="width:12%;padding:0 0 4px 4px;font-weight:bold">Risk</th>
</tr></thead>
<tbody>
<%~ it.summaryRows %></tbody>
</table>
<% if (it.summaryMore) { %><p style="${MUTED}"><%= it.summaryMore %></p>
<% } %><p style="${MUTED}">Check-ins: share submitted of those due. Goals: progress, the three highest-priority. Risk: the at-risk score, <%= it.atRiskMin %> or more is at risk (highlighted).</p>
<h2 data-section="at-risk" style="font-size:16px;margin:20px 0 6px">Needs attention</h2>
<% if (it.atRisk.length) { %><ol style="margin:0;padding-left:22px"><% for (const line of it.atRisk) { %><li><%= line %></li><% } %></ol>
<% } else { %><p><%= it.noRisk %></p>
<% } %><h2 data-section="clients" style="font-size:16px;margin:20px 0 6px">Clients</h2>
<%~ it.details %><p style="${MUTED}"><%= it.scoreExplained %></p>
<p style="${MUTED}"><%= it.firmName %> · sent by Cairn</p>
`,
);
