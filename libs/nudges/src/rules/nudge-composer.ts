import { NudgeItem, inMessageOrder } from './nudge-item.js';

export interface ComposedNudge {
  subject: string;
  text: string;
  html: string;
}

const escapeHtml = (value: string) =>
  value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/**
 * One message for everything due for a client: several nudges are merged rather than sent one by one. Plain
 * text and a simple HTML version say the same.
 */
export function composeNudge(clientName: string, firmName: string, items: readonly NudgeItem[]): ComposedNudge {
  const ordered = inMessageOrder(items);
  if (ordered.length === 0) throw new Error('composeNudge needs at least one item');
  const first = ordered[0].headline;
  const subject = ordered.length === 1 ? first : `${first} — and ${ordered.length - 1} more`;
  const greeting = `Hi ${clientName},`;
  const intro = ordered.length === 1 ? 'A quick note from your coaching programme:' : 'A few things from your coaching programme:';
  const closing = `Keep going — small steps add up.\n${firmName}`;
  const text = [greeting, '', intro, ...ordered.map((item) => `- ${item.headline}`), '', closing].join('\n');
  const html = [
    `<p>${escapeHtml(greeting)}</p>`,
    `<p>${escapeHtml(intro)}</p>`,
    `<ul>${ordered.map((item) => `<li>${escapeHtml(item.headline)}</li>`).join('')}</ul>`,
    `<p>Keep going — small steps add up.<br>${escapeHtml(firmName)}</p>`,
  ].join('\n');
  return { subject: subject.length > 300 ? `${subject.slice(0, 299)}…` : subject, text, html };
}
