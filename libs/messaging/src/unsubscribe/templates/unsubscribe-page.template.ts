import { htmlTemplate } from '#cairn/shared/templates';

/** The page a browser gets at an unsubscribe link: a question with its button, or what happened. */
export interface UnsubscribePageView {
  title: string;
  message: string;
  /** Shown as a form that makes the one-click POST (the confirmation page only). */
  confirm?: boolean;
}

export const unsubscribePage = htmlTemplate<UnsubscribePageView>(
  'messaging/unsubscribe-page.html',
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title><%= it.title %></title></head>
<body style="font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;color:#111827">
<h1 style="font-size:1.4rem"><%= it.title %></h1>
<p><%= it.message %></p>
<% if (it.confirm) { %><form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">Unsubscribe</button></form><% } %>
</body></html>
`,
);
