import { textTemplate } from '#cairn/shared/templates';
import type { ClientView, ReportView } from '../report-view.js';

/** The plain-text report: the same figures as the HTML, as sentences, the summary first. */

export const summaryLineText = textTemplate<{ client: ClientView }>(
  'reports/summary-line.txt',
  `- <%= it.client.summarySentence %>
<% if (it.client.url) { -%>
  <%= it.client.url %>
<% } -%>
`,
);

export const clientText = textTemplate<{ client: ClientView }>(
  'reports/client.txt',
  `<% const c = it.client; -%>
== <%= c.name %> ==
<% if (c.url) { -%>
<%= c.url %>
<% } -%>
Check-ins: <%= c.checkInSentence %>
<% for (const s of c.scores) { -%>
Scores: <%= s.sentence %>
<% } -%>
<% if (c.goals.length === 0) { -%>
Goals: no active goals
<% } else { -%>
Goals:
<% for (const g of c.goals) { -%>
- <%= g.sentence %>
<% } -%>
<% } -%>
Tasks: <%= c.tasksSentence %>
<% if (c.notable.length) { -%>
Notable answers:
<% for (const n of c.notable) { -%>
- <%= n %>
<% } -%>
<% if (c.moreNotable > 0) { -%>
- and <%= c.moreNotable %> more
<% } -%>
<% } -%>

`,
);

export const clientLineText = textTemplate<{ client: ClientView }>(
  'reports/client-line.txt',
  `<%= it.client.name %>: <%= it.client.checkInSentence %>
`,
);

export const noteText = textTemplate<{ note: string }>('reports/note.txt', `<%= it.note %>
`);

export const reportText = textTemplate<ReportView & { summaryLines: string; details: string }>(
  'reports/report.txt',
  `<%= it.title %>

Hi <%= it.coachName %>,

<%= it.intro %>

CASELOAD, HIGHEST RISK FIRST (check-ins submitted of due, overdue tasks, goal progress 0–100%, at-risk score)
<%~ it.summaryLines -%>
<% if (it.summaryMore) { -%>
<%= it.summaryMore %>
<% } -%>

AT RISK
<% if (it.atRisk.length) { -%>
<% it.atRisk.forEach((line, i) => { -%>
<%= i + 1 %>. <%= line %>
<% }) -%>
<% } else { -%>
<%= it.noRisk %>
<% } -%>

CLIENTS
<%~ it.details -%>
<%= it.scoreExplained %>

<%= it.firmName %> · sent by Cairn
`,
);
