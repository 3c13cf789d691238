import { encodeWords, foldLines, isPlainText, quoteString } from 'nodemailer/lib/mime-funcs';

export interface MimeAddress {
  name: string;
  address: string;
}

export interface MimeInput {
  from: MimeAddress;
  to: MimeAddress;
  subject: string;
  text: string;
  html?: string | null;
  messageId: string;
  headers?: Record<string, string>;
  date?: Date;
}

/** Characters that make a display name need quoting (RFC 5322 specials). */
const SPECIALS = /[()<>[\]:;@\\,."]/;
const ASCII_ADDRESS = /^[\x21-\x7e]+$/;

/**
 * Whether `renderMime` can write this message: ASCII addresses (an internationalised one needs SMTPUTF8 or
 * punycode, which nodemailer's own composer handles) and header values without line breaks.
 */
export function canRenderMime(input: MimeInput): boolean {
  const noBreaks = (value: string) => !/[\r\n]/.test(value);
  return (
    ASCII_ADDRESS.test(input.to.address) &&
    ASCII_ADDRESS.test(input.from.address) &&
    [
      input.to.name,
      input.from.name,
      input.subject,
      input.messageId,
      ...Object.entries(input.headers ?? {}).flat(),
    ].every(noBreaks)
  );
}

/**
 * A message as one MIME buffer: text (and HTML as multipart/alternative) in UTF-8, base64-encoded, headers with
 * RFC 2047 encoded words and folded at 76. Written directly because nodemailer's stream-based composer costs
 * more per message than the whole SMTP exchange does, which caps a nudge run's email rate; nodemailer still
 * does the sending (`raw`).
 */
export function renderMime(input: MimeInput): Buffer {
  const lines: string[] = [
    header('From', formatAddress(input.from)),
    header('To', formatAddress(input.to)),
    header('Subject', encodeWords(input.subject, 'Q', 52)),
    header('Message-ID', input.messageId),
    header('Date', (input.date ?? new Date()).toUTCString().replace(/GMT$/, '+0000')),
    header('MIME-Version', '1.0'),
    ...Object.entries(input.headers ?? {}).map(([key, value]) => header(key, encodeWords(value, 'Q', 52))),
  ];
  if (input.html) {
    // Base64 bodies never contain '_', so a fixed boundary cannot collide with them (and costs no randomness).
    const boundary = '=_cairn_alternative_';
    lines.push(
      header('Content-Type', `multipart/alternative; boundary="${boundary}"`),
      '',
      `--${boundary}`,
      ...part('text/plain', input.text),
      `--${boundary}`,
      ...part('text/html', input.html),
      `--${boundary}--`,
      '',
    );
  } else {
    lines.push(...part('text/plain', input.text));
  }
  return Buffer.from(lines.join('\r\n'), 'utf8');
}

function part(type: string, body: string): string[] {
  return [
    header('Content-Type', `${type}; charset=utf-8`),
    header('Content-Transfer-Encoding', 'base64'),
    '',
    wrapBase64(Buffer.from(body, 'utf8').toString('base64')),
  ];
}

function wrapBase64(encoded: string): string {
  const lines: string[] = [];
  for (let i = 0; i < encoded.length; i += 76) lines.push(encoded.slice(i, i + 76));
  return lines.join('\r\n');
}

function header(key: string, value: string): string {
  // Folded before a space, which then starts the continuation line as RFC 5322 wants.
  return foldLines(`${key}: ${value}`, 76);
}

function formatAddress({ name, address }: MimeAddress): string {
  if (!name) return address;
  if (!isPlainText(name)) return `${encodeWords(name, 'Q', 52, true)} <${address}>`;
  return `${SPECIALS.test(name) ? quoteString(name) : name} <${address}>`;
}
