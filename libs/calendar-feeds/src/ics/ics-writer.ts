/**
 * A small iCalendar (RFC 5545) writer for published, read-only calendars: pure functions from plain values to
 * text. Only what the feeds need: VCALENDAR with VEVENTs whose times are all-day DATEs or UTC DATE-TIMEs (so no
 * VTIMEZONE is ever needed), TEXT escaping, and line folding at 75 octets.
 */

const CRLF = '\r\n';
/** RFC 5545 §3.1: lines SHOULD NOT be longer than 75 octets, excluding the line break. */
export const MAX_LINE_OCTETS = 75;

/** An all-day date (`YYYY-MM-DD`, floating: the same date wherever the reader is) or an instant, written in UTC. */
export type IcsTime = { date: string } | { utc: Date };

export interface IcsEvent {
  /** Stable across feeds and refreshes, so calendar apps update the event instead of adding a copy. */
  uid: string;
  /** When this version of the event was made; deterministic (from the data) so an unchanged feed has the same body. */
  dtstamp: Date;
  start: IcsTime;
  /** Exclusive: an all-day event on one date ends on the next date. */
  end: IcsTime;
  summary: string;
  description?: string;
  /** An RRULE value (without the `RRULE:` name), e.g. `FREQ=WEEKLY;BYDAY=MO;UNTIL=20270301`. */
  rrule?: string;
  sequence?: number;
  lastModified?: Date;
  categories?: string[];
  /** Shown as free time (the default here): deadlines and habits do not block a person's day. */
  transparent?: boolean;
}

export interface IcsCalendar {
  prodId: string;
  /** Shown as the calendar's name (`NAME` and `X-WR-CALNAME`). */
  name: string;
  description?: string;
  /** The person's IANA zone, as a hint to clients (`X-WR-TIMEZONE`); the events themselves carry no zone. */
  timezone: string;
  /** An ISO 8601 duration such as `PT1H`: how often subscribers should refresh. */
  refreshInterval: string;
  events: IcsEvent[];
}

// Controls other than HTAB are not allowed in TEXT (RFC 5545 §3.3.11); line breaks are escaped separately.
// eslint-disable-next-line no-control-regex
const FORBIDDEN_CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;

/** TEXT value escaping (RFC 5545 §3.3.11): `\` `;` `,` and line breaks; other controls are dropped. */
export function escapeText(value: string): string {
  return value
    .replace(/\r\n?/g, '\n')
    .replace(FORBIDDEN_CONTROLS, '')
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\n/g, '\\n');
}

const utf8Length = (codePoint: number) =>
  codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;

/**
 * Folds one content line (RFC 5545 §3.1): no physical line is longer than 75 octets, each continuation starts
 * with one space (which counts towards its 75), and a break never falls inside a multi-byte UTF-8 character or
 * between a backslash and the character it escapes. Returns the physical lines joined with CRLF.
 */
export function foldLine(line: string): string {
  const lines: string[] = [];
  let current = '';
  let octets = 0;
  let limit = MAX_LINE_OCTETS;
  const chars = Array.from(line);
  for (let i = 0; i < chars.length; i += 1) {
    // An escape sequence is kept whole: some readers unfold lines only after reading escapes.
    const unit = chars[i] === '\\' && i + 1 < chars.length ? chars[i] + chars[++i] : chars[i];
    const size = Array.from(unit).reduce((n, c) => n + utf8Length(c.codePointAt(0) as number), 0);
    if (octets + size > limit) {
      lines.push(current);
      current = ' ';
      octets = 1;
      limit = MAX_LINE_OCTETS;
    }
    current += unit;
    octets += size;
  }
  lines.push(current);
  return lines.join(CRLF);
}

/** `YYYY-MM-DD` → the DATE form `YYYYMMDD`. */
export function formatDate(date: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new Error(`Not a local date: ${date}`);
  return date.replace(/-/g, '');
}

/** An instant as a UTC DATE-TIME, `YYYYMMDDTHHMMSSZ` (seconds precision). */
export function formatUtc(instant: Date): string {
  return instant
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
}

function timeProperty(name: 'DTSTART' | 'DTEND', time: IcsTime): string {
  return 'date' in time ? `${name};VALUE=DATE:${formatDate(time.date)}` : `${name}:${formatUtc(time.utc)}`;
}

/** The content lines of one VEVENT, unfolded. */
export function eventLines(event: IcsEvent): string[] {
  const lines = [
    'BEGIN:VEVENT',
    `UID:${escapeText(event.uid)}`,
    `DTSTAMP:${formatUtc(event.dtstamp)}`,
    timeProperty('DTSTART', event.start),
    timeProperty('DTEND', event.end),
  ];
  if (event.rrule) lines.push(`RRULE:${event.rrule}`);
  lines.push(`SUMMARY:${escapeText(event.summary)}`);
  if (event.description) lines.push(`DESCRIPTION:${escapeText(event.description)}`);
  if (event.categories?.length) lines.push(`CATEGORIES:${event.categories.map(escapeText).join(',')}`);
  if (event.sequence !== undefined) lines.push(`SEQUENCE:${Math.max(0, Math.trunc(event.sequence))}`);
  if (event.lastModified) lines.push(`LAST-MODIFIED:${formatUtc(event.lastModified)}`);
  lines.push(`TRANSP:${event.transparent === false ? 'OPAQUE' : 'TRANSPARENT'}`);
  lines.push('END:VEVENT');
  return lines;
}

/** The whole calendar as an iCalendar object: folded lines, each ended by CRLF. */
export function writeCalendar(calendar: IcsCalendar): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    `PRODID:${escapeText(calendar.prodId)}`,
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `NAME:${escapeText(calendar.name)}`,
    `X-WR-CALNAME:${escapeText(calendar.name)}`,
  ];
  if (calendar.description) {
    lines.push(
      `DESCRIPTION:${escapeText(calendar.description)}`,
      `X-WR-CALDESC:${escapeText(calendar.description)}`,
    );
  }
  lines.push(
    `X-WR-TIMEZONE:${escapeText(calendar.timezone)}`,
    `REFRESH-INTERVAL;VALUE=DURATION:${calendar.refreshInterval}`,
    `X-PUBLISHED-TTL:${calendar.refreshInterval}`,
  );
  for (const event of calendar.events) lines.push(...eventLines(event));
  lines.push('END:VCALENDAR');
  return lines.map((line) => foldLine(line) + CRLF).join('');
}
