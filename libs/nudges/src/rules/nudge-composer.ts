import { NudgeItem, inMessageOrder } from './nudge-item.js';
import { nudgeHtml, nudgeText } from './templates/nudge-email.template.js';

export interface ComposedNudge {
  subject: string;
  text: string;
  html: string;
}

/**
 * One message for everything due for a client: several nudges are merged rather than sent one by one. Plain
 * text and a simple HTML version say the same, from one view through the email templates.
 */
export function composeNudge(clientName: string, firmName: string, items: readonly NudgeItem[]): ComposedNudge {
  const ordered = inMessageOrder(items);
  if (ordered.length === 0) throw new Error('composeNudge needs at least one item');
  const first = ordered[0].headline;
  const subject = ordered.length === 1 ? first : `${first} — and ${ordered.length - 1} more`;
  const view = {
    clientName,
    firmName,
    intro: ordered.length === 1 ? 'A quick note from your coaching programme:' : 'A few things from your coaching programme:',
    headlines: ordered.map((item) => item.headline),
  };
  return { subject: subject.length > 300 ? `${subject.slice(0, 299)}…` : subject, text: nudgeText(view), html: nudgeHtml(view) };
}
