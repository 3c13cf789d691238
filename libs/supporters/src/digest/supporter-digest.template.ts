import { htmlTemplate, textTemplate } from '#cairn/shared/templates';

export interface DigestGoalView {
  title: string;
  /** "40%" or "not measured yet". */
  progress: string;
  /** "2 of 3 milestones done", or null without milestones. */
  milestones: string | null;
  /** "Daily walk: 5 in a row", for recurring tasks with a current streak. */
  streaks: string[];
}

export interface SupporterDigestView {
  supporterName: string;
  clientName: string;
  firmName: string;
  /** "this week" or "today". */
  period: string;
  goals: DigestGoalView[];
  unsubscribeUrl: string;
}

export const supporterDigestText = textTemplate<SupporterDigestView>(
  'supporters/digest.txt',
  `Hi <%= it.supporterName %>,

Here is how <%= it.clientName %> is doing <%= it.period %> on the goals they share with you:
<% it.goals.forEach(function (goal) { %>
- <%= goal.title %>: <%= goal.progress %><% if (goal.milestones) { %>, <%= goal.milestones %><% } %><% goal.streaks.forEach(function (streak) { %>
  <%= streak %><% }) %>
<% }) %>
A word of encouragement goes a long way: send one from your supporter page.

Stop these emails: <%= it.unsubscribeUrl %>

<%= it.firmName %>
`,
);

export const supporterDigestHtml = htmlTemplate<SupporterDigestView>(
  'supporters/digest.html',
  `<% layout('@email/layout', { maxWidth: 560 }) %>
<div style="font-size:15px">
<p style="margin:0 0 12px">Hi <%= it.supporterName %>,</p>
<p style="margin:0 0 12px">Here is how <%= it.clientName %> is doing <%= it.period %> on the goals they share with you:</p>
<ul style="margin:0 0 16px;padding-left:20px">
<% it.goals.forEach(function (goal) { %><li style="margin:0 0 8px"><strong><%= goal.title %></strong>: <%= goal.progress %><% if (goal.milestones) { %>, <%= goal.milestones %><% } %><% goal.streaks.forEach(function (streak) { %><br><span style="color:#6b7280"><%= streak %></span><% }) %></li>
<% }) %></ul>
<p style="margin:0 0 16px">A word of encouragement goes a long way: send one from your supporter page.</p>
<p style="margin:16px 0 0;color:#6b7280;font-size:12px"><a href="<%= it.unsubscribeUrl %>" style="color:#6b7280">Stop these emails</a> · <%= it.firmName %></p>
</div>
`,
);
