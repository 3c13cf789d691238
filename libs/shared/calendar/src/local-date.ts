import { DateTime, IANAZone } from 'luxon';

export function isValidTimeZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

/** Today's calendar date (YYYY-MM-DD) where the person lives: "due today" means their today, not UTC's. */
export function todayIn(zone: string, now: Date = new Date()): string {
  return DateTime.fromJSDate(now, { zone }).toISODate() as string;
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
