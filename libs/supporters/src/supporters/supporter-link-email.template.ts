import { htmlTemplate, textTemplate } from '#cairn/shared/templates';

/** What a supporter's sign-in email says; names are user text, so the templates escape them. */
export interface SupporterLinkEmailView {
  supporterName: string;
  clientName: string;
  firmName: string;
  linkUrl: string;
  /** "Sat 12 Dec 2026, 18:04 UTC". */
  expiresAt: string;
}

export const supporterLinkText = textTemplate<SupporterLinkEmailView>(
  'supporters/link.txt',
  `Hi <%= it.supporterName %>,

<%= it.clientName %> asked you to support them on their goals with <%= it.firmName %>: follow the goals they share with you and cheer them on.

Open your supporter page here (no password needed):
<%= it.linkUrl %>

The link works once, until <%= it.expiresAt %>. <%= it.clientName %> can withdraw it at any time. If you did not expect this, ignore this email.

<%= it.firmName %>
`,
);

export const supporterLinkHtml = htmlTemplate<SupporterLinkEmailView>(
  'supporters/link.html',
  `<% layout('@email/layout', { maxWidth: 560 }) %>
<div style="font-size:15px">
<p style="margin:0 0 12px">Hi <%= it.supporterName %>,</p>
<p style="margin:0 0 16px"><%= it.clientName %> asked you to support them on their goals with <strong><%= it.firmName %></strong>: follow the goals they share with you and cheer them on.</p>
<p style="margin:0 0 16px"><a href="<%= it.linkUrl %>" data-supporter-link="true" style="color:#1d4ed8;font-weight:bold">Open your supporter page</a> (no password needed)</p>
<p style="margin:12px 0 0;color:#6b7280;font-size:12px">The link works once, until <%= it.expiresAt %>. <%= it.clientName %> can withdraw it at any time. If you did not expect this, ignore this email.</p>
<p style="margin:16px 0 0;color:#6b7280;font-size:12px"><%= it.firmName %></p>
</div>
`,
);
