import { DateTime } from 'luxon';
import { addDays, daysBetween } from '#cairn/shared/calendar';

/** When a firm's reports go out: a weekday (1 = Monday … 7 = Sunday) and local time, every 7 or 14 days. */
export interface ReportSchedule {
  weekday: number;
  /** HH:MM, 24-hour, in the coach's own time zone. */
  localTime: string;
  periodDays: number;
}

export const PERIOD_DAYS = [7, 14] as const;

/**
 * Fortnightly cycles are counted from this Monday, so every run, replica and restart agrees on which weeks a
 * fortnight starts in (weeks an even number of weeks after it).
 */
export const FORTNIGHT_EPOCH = '2024-01-01';

export interface ReportCycle {
  /** The Monday the current cycle (a week, or a fortnight) started on, in the coach's zone. */
  cycleStart: string;
  /** The day of the cycle the report goes out on: the schedule's weekday in the cycle's first week. */
  sendOn: string;
  /** The instant the report is due: `sendOn` at the schedule's local time in the coach's zone. */
  dueAt: Date;
}

export interface ReportPeriod extends ReportCycle {
  /** First day the report covers (local date in the coach's zone)… */
  periodStart: string;
  /** …and the day after the last one: the period is [periodStart, periodEnd), periodEnd = sendOn. */
  periodEnd: string;
}

/** The cycle `now` falls in for a coach living in `zone`. */
export function reportCycle(now: Date, zone: string, schedule: ReportSchedule): ReportCycle {
  const local = DateTime.fromJSDate(now, { zone });
  const today = local.toISODate() as string;
  let cycleStart = addDays(today, 1 - local.weekday);
  if (schedule.periodDays === 14) {
    const weeks = Math.floor(daysBetween(FORTNIGHT_EPOCH, cycleStart) / 7);
    if (((weeks % 2) + 2) % 2 === 1) cycleStart = addDays(cycleStart, -7);
  }
  const sendOn = addDays(cycleStart, schedule.weekday - 1);
  const dueAt = DateTime.fromISO(`${sendOn}T${schedule.localTime}`, { zone }).toJSDate();
  return { cycleStart, sendOn, dueAt };
}

/**
 * The period a coach's report is due for at `now`, or null before the scheduled weekday and time of the current
 * cycle. The report covers the `periodDays` whole local days before the day it goes out, so consecutive reports
 * cover consecutive periods and every instant belongs to exactly one of them.
 */
export function duePeriod(now: Date, zone: string, schedule: ReportSchedule): ReportPeriod | null {
  const cycle = reportCycle(now, zone, schedule);
  if (now.getTime() < cycle.dueAt.getTime()) return null;
  return { ...cycle, periodStart: addDays(cycle.sendOn, -schedule.periodDays), periodEnd: cycle.sendOn };
}

/** Local midnight of `date` in `zone`, as an instant (the bounds of a period). */
export function startOfLocalDay(date: string, zone: string): Date {
  return DateTime.fromISO(date, { zone }).startOf('day').toJSDate();
}

/**
 * The instant a report's figures are taken at: the end of its period (local midnight of `periodEnd` in the
 * coach's zone), so a report made late (the worker was down when it was due) shows what one made on time
 * would have, and every report the same moment of its period; never later than `now`.
 */
export function figuresAsOf(period: Pick<ReportPeriod, 'periodEnd'>, zone: string, now: Date): Date {
  const end = startOfLocalDay(period.periodEnd, zone);
  return end.getTime() < now.getTime() ? end : now;
}

/** The deterministic key of a coach's report: one per coach and period, whatever runs it. */
export function reportKey(coachId: string, periodStart: string): string {
  return `report/${coachId}/${periodStart}`;
}
