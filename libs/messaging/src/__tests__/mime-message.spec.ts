import { simpleParser } from 'mailparser';
import { canRenderMime, type MimeInput, renderMime } from '../email/mime-message.js';

const base: MimeInput = {
  from: { name: 'Cairn', address: 'no-reply@cairn.example' },
  to: { name: 'Ada Lovelace', address: 'ada@firm.example' },
  subject: 'Your week',
  text: 'Hello Ada',
  messageId: '<d1@cairn.example>',
};

const parse = (input: MimeInput) => simpleParser(renderMime(input));

describe('renderMime', () => {
  it('writes text and HTML as alternatives that a mail parser reads back exactly', async () => {
    const text = `Hi Ada,\n\n• Your “Q1 report” check-in closes today at 17:00\n${'A long line of words. '.repeat(20)}\nÉtienne – ✓ done`;
    const html = `<p>Hi Ada,</p><ul><li>Your “Q1 report” check-in</li></ul><p>${'x'.repeat(500)}</p>`;
    const mail = await parse({
      ...base,
      text,
      html,
      headers: { 'X-Cairn-Delivery-Id': 'd1' },
      date: new Date('2026-12-01T10:00:00Z'),
    });
    expect(mail.text?.trimEnd()).toBe(text);
    expect(mail.html).toBe(html);
    expect(mail.messageId).toBe('<d1@cairn.example>');
    expect(mail.headers.get('x-cairn-delivery-id')).toBe('d1');
    expect(mail.date?.toISOString()).toBe('2026-12-01T10:00:00.000Z');
    expect(mail.headers.get('content-type')).toMatchObject({ value: 'multipart/alternative' });
  });

  it('encodes non-ASCII subjects and names, and quotes names with specials', async () => {
    const mail = await parse({
      ...base,
      subject: `Bravo — “Become Sales Manager” achieved! ${'and more '.repeat(12)}`.trim(),
      to: { name: 'Ångström, Zoë "Z"', address: 'zoe@firm.example' },
      from: { name: 'Smith & Co. Coaching', address: 'coach@firm.example' },
    });
    expect(mail.subject).toBe(`Bravo — “Become Sales Manager” achieved! ${'and more '.repeat(12)}`.trim());
    expect(mail.to).toMatchObject({ value: [{ name: 'Ångström, Zoë "Z"', address: 'zoe@firm.example' }] });
    expect(mail.from).toMatchObject({
      value: [{ name: 'Smith & Co. Coaching', address: 'coach@firm.example' }],
    });
  });

  it('writes a text-only message as a single part', async () => {
    const mail = await parse({ ...base, to: { name: '', address: 'ada@firm.example' } });
    expect(mail.text?.trimEnd()).toBe('Hello Ada');
    expect(mail.html).toBe(false);
    expect(mail.to).toMatchObject({ value: [{ name: '', address: 'ada@firm.example' }] });
  });

  it('leaves internationalised addresses and header line breaks to nodemailer’s composer', () => {
    expect(canRenderMime(base)).toBe(true);
    expect(canRenderMime({ ...base, to: { name: 'Zoë', address: 'zoë@firm.example' } })).toBe(false);
    expect(canRenderMime({ ...base, to: { name: 'Z', address: 'z@bücher.example' } })).toBe(false);
    expect(canRenderMime({ ...base, subject: 'Two\r\nBcc: someone@else.example' })).toBe(false);
    expect(canRenderMime({ ...base, headers: { 'X-Note': 'a\nb' } })).toBe(false);
  });
});
