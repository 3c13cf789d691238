import { LRUCache } from 'lru-cache';
import { DateTime, IANAZone } from 'luxon';
import rrulePkg from 'rrule';
import { isValidTimeZone } from './local-date.js';
import type { Options as RRuleOptions } from 'rrule';

// rrule ships CommonJS; its own TZID handling is unreliable, so every expansion here runs in "floating" time
// (a local wall-clock date-time written as if it were UTC) and luxon turns wall-clock times into instants.
const { RRule } = rrulePkg;

export type RecurrenceFrequency =
  'YEARLY' | 'MONTHLY' | 'WEEKLY' | 'DAILY' | 'HOURLY' | 'MINUTELY' | 'SECONDLY';

/** Longest rule text accepted. */
export const RECURRENCE_MAX_LENGTH = 500;
/** Highest COUNT and INTERVAL accepted. */
export const RECURRENCE_MAX_COUNT = 1000;
export const RECURRENCE_MAX_INTERVAL = 1000;
/** Default and highest number of occurrences one expansion returns. */
export const DEFAULT_OCCURRENCE_LIMIT = 1000;
export const MAX_OCCURRENCE_LIMIT = 10_000;
/** Most rule periods (days, weeks, hours…) one expansion may step through; beyond it the window is too wide. */
export const MAX_EXPANSION_PERIODS = 200_000;

/** A rule that cannot be used, with a message that can be shown to the person who wrote it. */
export class RecurrenceError extends Error {
  override readonly name = 'RecurrenceError';
}

export interface ParseRecurrenceOptions {
  /** Allow HOURLY, MINUTELY and SECONDLY (never for tasks; only for instant schedules that need them). */
  allowSubDaily?: boolean;
  /** Allow BYHOUR, BYMINUTE and BYSECOND (instant schedules only; date rules have no time of day). */
  allowTimeOfDay?: boolean;
}

export interface ParsedRule {
  /** Canonical text: upper case, no `RRULE:` prefix, parts in a fixed order. Store this. */
  readonly rule: string;
  readonly frequency: RecurrenceFrequency;
  readonly interval: number;
  readonly count: number | null;
  /** UNTIL as written: `YYYY-MM-DD`, a floating `YYYY-MM-DDTHH:mm:ss`, or a UTC `…Z`. */
  readonly until: string | null;
  readonly subDaily: boolean;
  readonly hasTimeOfDay: boolean;
  /** rrule options without DTSTART; internal to this module. */
  readonly options: Readonly<Partial<RRuleOptions>>;
}

const FREQUENCIES: readonly RecurrenceFrequency[] = [
  'YEARLY',
  'MONTHLY',
  'WEEKLY',
  'DAILY',
  'HOURLY',
  'MINUTELY',
  'SECONDLY',
];
const SUB_DAILY = new Set<RecurrenceFrequency>(['HOURLY', 'MINUTELY', 'SECONDLY']);
const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];
const PART_ORDER = [
  'FREQ',
  'INTERVAL',
  'COUNT',
  'UNTIL',
  'BYMONTH',
  'BYWEEKNO',
  'BYYEARDAY',
  'BYMONTHDAY',
  'BYDAY',
  'BYHOUR',
  'BYMINUTE',
  'BYSECOND',
  'BYSETPOS',
  'WKST',
] as const;
type Part = (typeof PART_ORDER)[number];
const TIME_PARTS: Part[] = ['BYHOUR', 'BYMINUTE', 'BYSECOND'];

const fail = (message: string): never => {
  throw new RecurrenceError(message);
};

function integerList(part: string, raw: string, min: number, max: number, allowNegative: boolean): number[] {
  return raw.split(',').map((item) => {
    if (!/^[+-]?\d{1,4}$/.test(item))
      fail(`${part} must be a comma-separated list of whole numbers, got "${raw}"`);
    const value = Number(item);
    const magnitude = Math.abs(value);
    if (
      (value < 0 && !allowNegative) ||
      magnitude < min ||
      magnitude > max ||
      (allowNegative && value === 0)
    ) {
      fail(
        `${part} values must be ${allowNegative ? `between -${max} and ${max}, not 0` : `between ${min} and ${max}`}; got ${item}`,
      );
    }
    return value;
  });
}

function positiveInteger(part: string, raw: string, max: number): number {
  if (!/^\d{1,6}$/.test(raw) || Number(raw) < 1 || Number(raw) > max)
    fail(`${part} must be a whole number from 1 to ${max}`);
  return Number(raw);
}

/** `YYYYMMDD`, `YYYYMMDDTHHMMSS` or `YYYYMMDDTHHMMSSZ` → ISO text, checking it is a real calendar date. */
function untilValue(raw: string): string {
  const match = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z?))?$/.exec(raw);
  if (!match) return fail(`UNTIL must be a date (YYYYMMDD) or a date-time (YYYYMMDDTHHMMSSZ), got "${raw}"`);
  const [, y, mo, d, h, mi, s, z] = match;
  const date = `${y}-${mo}-${d}`;
  const local = DateTime.fromISO(h === undefined ? date : `${date}T${h}:${mi}:${s}`, { zone: 'utc' });
  if (!local.isValid) fail(`UNTIL is not a real date or time: "${raw}"`);
  return h === undefined ? date : `${date}T${h}:${mi}:${s}${z}`;
}

/**
 * Validates an iCalendar RRULE (RFC 5545) such as `FREQ=WEEKLY;BYDAY=MO` and returns its canonical form.
 * Only the RRULE itself is accepted (an optional `RRULE:` prefix is dropped): the start (DTSTART) and the
 * time zone belong to whatever the rule schedules. Throws RecurrenceError with a readable message.
 */
export function parseRecurrence(text: string, opts: ParseRecurrenceOptions = {}): ParsedRule {
  if (typeof text !== 'string' || text.trim() === '') fail('The recurrence rule is empty');
  if (text.length > RECURRENCE_MAX_LENGTH)
    fail(`The recurrence rule is longer than ${RECURRENCE_MAX_LENGTH} characters`);
  const body = text
    .trim()
    .replace(/^RRULE:/i, '')
    .toUpperCase();
  if (/[\r\n]/.test(body) || /(^|;)\s*(DTSTART|TZID|EXDATE|RDATE|EXRULE)/.test(body)) {
    fail('Give only the RRULE (e.g. FREQ=WEEKLY;BYDAY=MO); the start date and time zone are set separately');
  }
  const values = new Map<Part, string>();
  for (const piece of body.split(';')) {
    if (piece === '') continue;
    const match = /^([A-Z]+)=([A-Z0-9,+-]+)$/.exec(piece);
    if (!match) return fail(`"${piece}" is not a NAME=VALUE part of an RRULE`);
    const [, name, value] = match;
    if (!(PART_ORDER as readonly string[]).includes(name)) fail(`${name} is not a supported RRULE part`);
    if (values.has(name as Part)) fail(`${name} appears twice`);
    values.set(name as Part, value);
  }

  const freqText = values.get('FREQ');
  if (!freqText) return fail('FREQ is required (DAILY, WEEKLY, MONTHLY or YEARLY)');
  if (!(FREQUENCIES as readonly string[]).includes(freqText)) fail(`Unknown frequency ${freqText}`);
  const frequency = freqText as RecurrenceFrequency;
  const subDaily = SUB_DAILY.has(frequency);
  if (subDaily && !opts.allowSubDaily)
    fail(`${frequency} is not supported here; use DAILY, WEEKLY, MONTHLY or YEARLY`);
  const timeParts = TIME_PARTS.filter((p) => values.has(p));
  if (timeParts.length > 0 && !opts.allowTimeOfDay)
    fail(`${timeParts.join(', ')} is not supported for date rules`);
  // rrule can loop forever when a sub-daily step never lands on the listed hours.
  if (timeParts.length > 0 && subDaily) fail(`${timeParts.join(', ')} cannot be combined with ${frequency}`);

  const interval = values.has('INTERVAL')
    ? positiveInteger('INTERVAL', values.get('INTERVAL')!, RECURRENCE_MAX_INTERVAL)
    : 1;
  const count = values.has('COUNT')
    ? positiveInteger('COUNT', values.get('COUNT')!, RECURRENCE_MAX_COUNT)
    : null;
  const until = values.has('UNTIL') ? untilValue(values.get('UNTIL')!) : null;
  if (count !== null && until !== null) fail('COUNT and UNTIL cannot both be given');

  if (values.has('BYMONTH')) integerList('BYMONTH', values.get('BYMONTH')!, 1, 12, false);
  if (values.has('BYMONTHDAY')) {
    if (frequency === 'WEEKLY') fail('BYMONTHDAY cannot be used with FREQ=WEEKLY');
    integerList('BYMONTHDAY', values.get('BYMONTHDAY')!, 1, 31, true);
  }
  if (values.has('BYYEARDAY')) {
    if (['DAILY', 'WEEKLY', 'MONTHLY'].includes(frequency))
      fail(`BYYEARDAY cannot be used with FREQ=${frequency}`);
    integerList('BYYEARDAY', values.get('BYYEARDAY')!, 1, 366, true);
  }
  if (values.has('BYWEEKNO')) {
    if (frequency !== 'YEARLY') fail('BYWEEKNO can only be used with FREQ=YEARLY');
    integerList('BYWEEKNO', values.get('BYWEEKNO')!, 1, 53, true);
  }
  if (values.has('BYDAY')) {
    for (const day of values.get('BYDAY')!.split(',')) {
      const match = /^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$/.exec(day);
      if (!match) fail(`BYDAY values are weekdays such as MO or 1MO or -1FR; got "${day}"`);
      if (match?.[1] !== undefined) {
        const ordinal = Number(match[1]);
        const max = frequency === 'MONTHLY' ? 5 : frequency === 'YEARLY' && !values.has('BYWEEKNO') ? 53 : 0;
        if (max === 0) fail(`Numbered weekdays (${day}) need FREQ=MONTHLY or FREQ=YEARLY`);
        if (ordinal === 0 || Math.abs(ordinal) > max)
          fail(`${day}: the number must be between -${max} and ${max}, not 0`);
      }
    }
  }
  if (values.has('BYHOUR')) integerList('BYHOUR', values.get('BYHOUR')!, 0, 23, false);
  if (values.has('BYMINUTE')) integerList('BYMINUTE', values.get('BYMINUTE')!, 0, 59, false);
  if (values.has('BYSECOND')) integerList('BYSECOND', values.get('BYSECOND')!, 0, 59, false);
  if (values.has('BYSETPOS')) {
    if (![...values.keys()].some((p) => p.startsWith('BY') && p !== 'BYSETPOS'))
      fail('BYSETPOS needs another BY… part');
    integerList('BYSETPOS', values.get('BYSETPOS')!, 1, 366, true);
  }
  if (values.has('WKST') && !WEEKDAYS.includes(values.get('WKST')!))
    fail(`WKST must be a weekday such as MO`);

  const rule = PART_ORDER.filter((p) => values.has(p))
    .map((p) => `${p}=${values.get(p)}`)
    .join(';');
  const options: Partial<RRuleOptions> = RRule.parseString(rule.replace(/;?UNTIL=[^;]*/, ''));
  return {
    rule,
    frequency,
    interval,
    count,
    until,
    subDaily,
    hasTimeOfDay: timeParts.length > 0,
    options: Object.freeze(options),
  };
}

// Callers that pass rule text (check-in schedules, on every materialization) would parse the same few texts
// over and over; a parse is a pure function of the text and options, so each is done once per process.
const parsedTexts = new LRUCache<string, ParsedRule>({ max: 2_000 });

const asParsed = (rule: string | ParsedRule, opts: ParseRecurrenceOptions = {}): ParsedRule => {
  if (typeof rule !== 'string') return rule;
  const key = `${opts.allowSubDaily ? 1 : 0}${opts.allowTimeOfDay ? 1 : 0}${rule}`;
  let parsed = parsedTexts.get(key);
  if (!parsed) {
    parsed = parseRecurrence(rule, opts);
    parsedTexts.set(key, parsed);
  }
  return parsed;
};

/** Floating time: the wall-clock fields of a local date-time, stored in a Date's UTC fields. */
function floating(localIso: string): Date {
  const value = DateTime.fromISO(localIso, { zone: 'utc' });
  if (!value.isValid) throw new RecurrenceError(`"${localIso}" is not a valid local date or date-time`);
  return value.toJSDate();
}
const floatingIso = (date: Date) => date.toISOString().slice(0, 19);
const DAY_MS = 86_400_000;

/** How many of the rule's periods lie between two floating times (rounded up), to bound an expansion. */
function periodsBetween(frequency: RecurrenceFrequency, from: Date, to: Date): number {
  const ms = Math.max(0, to.getTime() - from.getTime());
  switch (frequency) {
    case 'SECONDLY':
      return Math.ceil(ms / 1000);
    case 'MINUTELY':
      return Math.ceil(ms / 60_000);
    case 'HOURLY':
      return Math.ceil(ms / 3_600_000);
    case 'DAILY':
      return Math.ceil(ms / DAY_MS);
    case 'WEEKLY':
      return Math.ceil(ms / (7 * DAY_MS));
    case 'MONTHLY':
      return (to.getUTCFullYear() - from.getUTCFullYear()) * 12 + to.getUTCMonth() - from.getUTCMonth() + 1;
    case 'YEARLY':
      return to.getUTCFullYear() - from.getUTCFullYear() + 1;
  }
}

/**
 * Moves DTSTART forward by whole periods (never past `notAfter`) when that cannot change which occurrences
 * fall on or after the new start, so an old rule costs no more to expand than a new one. Rules with COUNT
 * count from the real start and are left alone.
 */
function fastForward(parsed: ParsedRule, start: Date, notAfter: Date): Date {
  if (parsed.count !== null || notAfter <= start) return start;
  const step = parsed.interval;
  const shifted = new Date(start);
  switch (parsed.frequency) {
    case 'DAILY':
    case 'WEEKLY': {
      const unit = parsed.frequency === 'DAILY' ? step : step * 7;
      const days = Math.floor((notAfter.getTime() - start.getTime()) / DAY_MS);
      shifted.setTime(start.getTime() + Math.floor(days / unit) * unit * DAY_MS);
      return shifted;
    }
    case 'MONTHLY':
    case 'YEARLY': {
      // Defaults taken from DTSTART's day must survive the move: day 29+ does not exist in every month.
      if (start.getUTCDate() > 28) return start;
      const months =
        (notAfter.getUTCFullYear() - start.getUTCFullYear()) * 12 +
        notAfter.getUTCMonth() -
        start.getUTCMonth() -
        1;
      const unit = parsed.frequency === 'MONTHLY' ? step : step * 12;
      const moved = Math.max(0, Math.floor(months / unit) * unit);
      shifted.setUTCMonth(start.getUTCMonth() + moved);
      return shifted <= notAfter ? shifted : start;
    }
    default:
      return start;
  }
}

class ExpansionBudgetSpent extends Error {}

/**
 * Floating occurrences in [from, to] (inclusive). rrule only notices the end of a window when it produces a
 * candidate, so a rule with no occurrence left (BYMONTH=2;BYMONTHDAY=30) would step on to the year 9999;
 * its options are wrapped so that reading them more often than the window's periods need stops the walk.
 */
function expandFloating(
  parsed: ParsedRule,
  dtstart: Date,
  until: Date | null,
  from: Date,
  to: Date,
  limit: number,
): Date[] {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_OCCURRENCE_LIMIT) {
    throw new RecurrenceError(`limit must be between 1 and ${MAX_OCCURRENCE_LIMIT}`);
  }
  if (to < from || to < dtstart) return [];
  const effectiveStart = fastForward(parsed, dtstart, from);
  const periods = periodsBetween(parsed.frequency, effectiveStart, to) / parsed.interval + 2;
  if (periods > MAX_EXPANSION_PERIODS) {
    throw new RecurrenceError(
      `The window is too wide for a ${parsed.frequency} rule; ask for a shorter range`,
    );
  }
  const rule = new RRule(
    { ...parsed.options, dtstart: effectiveStart, until: until && until < to ? until : to },
    true,
  );
  // rrule reads `interval` a few times per period it steps through (twice in 2.8.1); allow generously more.
  let reads = Math.ceil(periods) * 4 + 64;
  const guarded = new Proxy(rule.options, {
    get(target, key, receiver) {
      if (key === 'interval' && --reads < 0) throw new ExpansionBudgetSpent();
      return Reflect.get(target, key, receiver);
    },
  });
  Object.defineProperty(rule, 'options', { value: guarded });
  const found: Date[] = [];
  try {
    rule.between(from, to, true, (date) => {
      found.push(date);
      return found.length < limit;
    });
  } catch (error) {
    if (!(error instanceof ExpansionBudgetSpent)) throw error;
  }
  // `between`'s callback sees one date past the limit before stopping.
  return found.slice(0, limit);
}

/**
 * The instant a floating wall-clock time denotes in `zone`. Of two instants with that wall-clock time (the
 * hour repeated when clocks go back) the earlier wins, as RFC 5545 asks; a time skipped when clocks go
 * forward is moved forward by the gap (luxon's reading, and RFC 5545's "offset before the gap").
 */
function wallClockToInstant(wallClock: Date, zone: string): Date {
  const zoneInfo = IANAZone.create(zone);
  const local = wallClock.getTime();
  const offsets = new Set([
    zoneInfo.offset(local - DAY_MS),
    zoneInfo.offset(local + DAY_MS),
    zoneInfo.offset(local),
  ]);
  const matches = [...offsets]
    .map((offsetMinutes) => local - offsetMinutes * 60_000)
    .filter((instant) => instant + zoneInfo.offset(instant) * 60_000 === local)
    .sort((a, b) => a - b);
  if (matches.length > 0) return new Date(matches[0]);
  return DateTime.fromISO(floatingIso(wallClock), { zone }).toJSDate();
}

/** UNTIL as a floating date-time; a UTC UNTIL is read in `zone` (RFC 5545 wants UTC when DTSTART has a zone). */
function floatingUntil(parsed: ParsedRule, zone: string): Date | null {
  if (!parsed.until) return null;
  if (parsed.until.length === 10) return floating(`${parsed.until}T23:59:59`);
  if (parsed.until.endsWith('Z')) {
    const local = DateTime.fromISO(parsed.until, { zone: 'utc' }).setZone(zone);
    return floating(local.toISO({ includeOffset: false, suppressMilliseconds: true }) as string);
  }
  return floating(parsed.until);
}

export interface OccurrenceOptions {
  /** Most occurrences to return (default 1000, at most 10 000). */
  limit?: number;
  /** Parse options when `rule` is given as text. */
  parse?: ParseRecurrenceOptions;
}

/**
 * The local dates (YYYY-MM-DD, inclusive range) on which a date rule occurs, for a series starting on
 * `startDate` (its DTSTART, in whatever zone the dates belong to). UNTIL is read as a local date.
 */
export function occurrenceDates(
  rule: string | ParsedRule,
  startDate: string,
  fromDate: string,
  toDate: string,
  options: OccurrenceOptions = {},
): string[] {
  const parsed = asParsed(rule, options.parse);
  if (parsed.subDaily || parsed.hasTimeOfDay)
    throw new RecurrenceError('Date occurrences need a rule of DAILY or coarser without times');
  const start = floating(startDate);
  const from = floating(fromDate) < start ? start : floating(fromDate);
  const until = parsed.until ? floating(parsed.until.slice(0, 10)) : null;
  return expandFloating(
    parsed,
    start,
    until,
    from,
    floating(toDate),
    options.limit ?? DEFAULT_OCCURRENCE_LIMIT,
  ).map((d) => d.toISOString().slice(0, 10));
}

/** Whether `date` is one of the rule's dates for a series starting on `startDate`. */
export function isOccurrenceDate(rule: string | ParsedRule, startDate: string, date: string): boolean {
  return occurrenceDates(rule, startDate, date, date, { limit: 1 }).length === 1;
}

const SEARCH_WINDOWS = [31, 400, 4000];

/** The latest occurrence on or before `onOrBefore`, looking back at most about 11 years; null if none. */
export function previousOccurrenceDate(
  rule: string | ParsedRule,
  startDate: string,
  onOrBefore: string,
): string | null {
  const parsed = asParsed(rule);
  for (const days of SEARCH_WINDOWS) {
    const from = DateTime.fromISO(onOrBefore, { zone: 'utc' }).minus({ days }).toISODate() as string;
    const found = occurrenceDates(parsed, startDate, from, onOrBefore, { limit: MAX_OCCURRENCE_LIMIT });
    if (found.length > 0) return found[found.length - 1];
    if (from <= startDate) return null;
  }
  return null;
}

/** The first occurrence on or after `onOrAfter`, looking ahead at most about 11 years; null if none. */
export function nextOccurrenceDate(
  rule: string | ParsedRule,
  startDate: string,
  onOrAfter: string,
): string | null {
  const parsed = asParsed(rule);
  for (const days of SEARCH_WINDOWS) {
    const to = DateTime.fromISO(onOrAfter, { zone: 'utc' }).plus({ days }).toISODate() as string;
    const [first] = occurrenceDates(parsed, startDate, onOrAfter, to, { limit: 1 });
    if (first) return first;
  }
  return null;
}

/**
 * The instants (UTC) at which a rule occurs for a series that starts at the local wall-clock time
 * `startLocalDateTime` (e.g. `2026-03-06T16:00`) in the IANA `zone`, within [from, to). Each occurrence keeps
 * its wall-clock time across DST changes ("every Friday 16:00" stays 16:00 local). A wall-clock time that does
 * not exist (spring forward) moves forward by the gap; an ambiguous one (fall back) takes the earlier instant.
 */
export function occurrenceInstants(...args: Parameters<typeof zonedOccurrences>): Date[] {
  return zonedOccurrences(...args).map((o) => o.instant);
}

/** An occurrence of a zoned series: the wall-clock time the rule names (`YYYY-MM-DDTHH:mm`) and its instant. */
export interface ZonedOccurrence {
  /** As the rule names it, whatever the zone: the same occurrence has the same local time in every zone. */
  local: string;
  instant: Date;
}

/** Like occurrenceInstants, with each occurrence's nominal wall-clock time (before any DST gap shift). */
export function zonedOccurrences(
  rule: string | ParsedRule,
  startLocalDateTime: string,
  zone: string,
  from: Date,
  to: Date,
  options: OccurrenceOptions = {},
): ZonedOccurrence[] {
  const parsed = asParsed(rule, options.parse ?? { allowTimeOfDay: true });
  if (!isValidTimeZone(zone)) throw new RecurrenceError(`Unknown time zone "${zone}"`);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(startLocalDateTime)) {
    throw new RecurrenceError(
      `The start must be a local date-time such as 2026-03-06T16:00, got "${startLocalDateTime}"`,
    );
  }
  const limit = options.limit ?? DEFAULT_OCCURRENCE_LIMIT;
  if (to <= from) return [];
  const toFloating = (instant: Date) =>
    floating(
      DateTime.fromJSDate(instant, { zone }).toISO({
        includeOffset: false,
        suppressMilliseconds: true,
      }) as string,
    );
  // Offsets and DST gaps are under a day, so a window widened by two days on each side catches every instant.
  const windowFrom = new Date(toFloating(from).getTime() - 2 * DAY_MS);
  const windowTo = new Date(toFloating(to).getTime() + 2 * DAY_MS);
  const start = floating(startLocalDateTime);
  const dates = expandFloating(
    parsed,
    start,
    floatingUntil(parsed, zone),
    windowFrom < start ? start : windowFrom,
    windowTo,
    MAX_OCCURRENCE_LIMIT,
  );
  const occurrences: ZonedOccurrence[] = [];
  for (const date of dates) {
    const instant = wallClockToInstant(date, zone);
    if (instant >= from && instant < to) occurrences.push({ local: floatingIso(date).slice(0, 16), instant });
    if (occurrences.length === limit) break;
  }
  return occurrences;
}
