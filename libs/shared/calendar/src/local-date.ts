import { DateTime, IANAZone } from 'luxon';

/** Luxon builds an Intl formatter to check a zone each time; a nudge run checks the same few zones thousands of times. */
const zoneValidity = new Map<string, boolean>();

export function isValidTimeZone(zone: string): boolean {
  let valid = zoneValidity.get(zone);
  if (valid === undefined) {
    valid = IANAZone.isValidZone(zone);
    // Bounded: zones come from user input, and the set of real ones is small.
    if (zoneValidity.size < 10_000) zoneValidity.set(zone, valid);
  }
  return valid;
}

/** One instant as read on a wall clock in some zone. */
export interface ZoneReading {
  /** YYYY-MM-DD */
  date: string;
  /** HH:MM */
  time: string;
  /** The start of `date` in that zone, as epoch milliseconds. */
  midnightMs: number;
}

/**
 * Readings of one instant per zone, each zone worked out once. Converting is costly in luxon (an Intl
 * formatter per call) and a batch of clients shares a handful of zones. The zone must be valid.
 */
export function zoneClock(now: Date): (zone: string) => ZoneReading {
  const readings = new Map<string, ZoneReading>();
  return (zone) => {
    let reading = readings.get(zone);
    if (!reading) {
      const local = DateTime.fromJSDate(now, { zone });
      reading = { date: local.toISODate() as string, time: local.toFormat('HH:mm'), midnightMs: local.startOf('day').toMillis() };
      readings.set(zone, reading);
    }
    return reading;
  };
}

/** Per zone, the local day last asked about and the instants it spans, [fromMs, untilMs). */
const knownDays = new Map<string, { date: string; fromMs: number; untilMs: number }>();
const DAY_MS = 86_400_000;

/**
 * Today's calendar date (YYYY-MM-DD) where the person lives: "due today" means their today, not UTC's.
 * Resolvers ask once per task, and luxon builds an Intl formatter per conversion, so each zone's current day is
 * worked out once: any instant inside that day's span gets the same answer, and a new day falls outside it, so
 * the memo cannot go stale. Only a plain day is kept (24 hours at one offset, from one luxon start of day to
 * the next): on the few days with a clock change every instant is converted again, so a clock going back
 * across midnight could never make one span hold instants of two dates.
 */
export function todayIn(zone: string, now: Date = new Date()): string {
  const ms = now.getTime();
  const known = knownDays.get(zone);
  if (known && ms >= known.fromMs && ms < known.untilMs) return known.date;
  const local = DateTime.fromJSDate(now, { zone });
  const date = local.toISODate() as string;
  if (!local.isValid) return date;
  const start = local.startOf('day');
  const fromMs = start.toMillis();
  const untilMs = start.plus({ days: 1 }).startOf('day').toMillis();
  const plain = untilMs - fromMs === DAY_MS && local.zone.offset(fromMs) === local.zone.offset(untilMs - 1);
  // Bounded as zoneValidity is: one entry per zone.
  if (plain && (known || knownDays.size < 10_000)) knownDays.set(zone, { date, fromMs, untilMs });
  return date;
}

/** Whole days from `from` to `to` (both YYYY-MM-DD); negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** A moment as a person reads it in their zone, e.g. "Fri 5 Dec, 18:00": what feeds and nudges say. */
export function localMoment(instant: Date, zone: string): string {
  return DateTime.fromJSDate(new Date(instant), { zone }).toFormat('ccc d LLL, HH:mm');
}
