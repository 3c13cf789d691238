import { htmlTemplate, textTemplate } from '#cairn/shared/templates';

/** What a nudge email says; every field is user text or built from it, so the templates escape them all. */
export interface NudgeEmailView {
  clientName: string;
  firmName: string;
  intro: string;
  headlines: string[];
}

export const nudgeText = textTemplate<NudgeEmailView>(
  'nudges/email.txt',
  `Hi <%= it.clientName %>,

<%= it.intro %>
<% for (const headline of it.headlines) { -%>
- <%= headline %>
<% } -%>

Keep going — small steps add up.
<%= it.firmName %>`,
);

export const nudgeHtml = htmlTemplate<NudgeEmailView>(
  'nudges/email.html',
  `<% layout('@email/layout') %>
<div style="font-size:15px">
<p>Hi <%= it.clientName %>,</p>
<p><%= it.intro %></p>
<ul><% for (const headline of it.headlines) { %><li><%= headline %></li><% } %></ul>
<p>Keep going — small steps add up.<br><%= it.firmName %></p>
</div>`,
);
