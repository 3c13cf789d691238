import { htmlTemplate, textTemplate } from '#cairn/shared/templates';

/** What an invitation email says; names are user text, so the templates escape them. */
export interface InvitationEmailView {
  inviteeName: string;
  inviterName: string;
  firmName: string;
  /** "a coach", "a client", "an admin". */
  roleName: string;
  acceptUrl: string;
  /** "Sat 12 Dec 2026, 18:04 UTC". */
  expiresAt: string;
}

export const invitationText = textTemplate<InvitationEmailView>(
  'identity/invitation.txt',
  `Hi <%= it.inviteeName %>,

<%= it.inviterName %> invited you to join <%= it.firmName %> as <%= it.roleName %>.

Accept the invitation and choose your password here:
<%= it.acceptUrl %>

The link works once, until <%= it.expiresAt %>. If you did not expect this invitation, ignore this email: nothing happens unless the link is used.

<%= it.firmName %>
`,
);

export const invitationHtml = htmlTemplate<InvitationEmailView>(
  'identity/invitation.html',
  `<% layout('@email/layout', { maxWidth: 560 }) %>
<div style="font-size:15px">
<p style="margin:0 0 12px">Hi <%= it.inviteeName %>,</p>
<p style="margin:0 0 16px"><%= it.inviterName %> invited you to join <strong><%= it.firmName %></strong> as <%= it.roleName %>.</p>
<table role="presentation" cellpadding="0" cellspacing="0" border="0"><tr><td style="background:#2563eb;border-radius:6px">
<a href="<%= it.acceptUrl %>" data-accept-link="true" style="display:inline-block;padding:10px 18px;color:#ffffff;font-weight:bold;text-decoration:none">Accept the invitation</a>
</td></tr></table>
<p style="margin:16px 0 4px;color:#6b7280;font-size:12px">Or open this link: <a href="<%= it.acceptUrl %>" style="color:#1d4ed8"><%= it.acceptUrl %></a></p>
<p style="margin:12px 0 0;color:#6b7280;font-size:12px">The link works once, until <%= it.expiresAt %>. If you did not expect this invitation, ignore this email: nothing happens unless the link is used.</p>
<p style="margin:16px 0 0;color:#6b7280;font-size:12px"><%= it.firmName %></p>
</div>
`,
);
