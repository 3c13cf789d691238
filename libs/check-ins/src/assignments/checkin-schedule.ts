import { occurrenceInstants, parseRecurrence, RecurrenceError, zonedOccurrences, type ZonedOccurrence } from '#cairn/shared/calendar';

/** How long an occurrence may stay open: a quarter of an hour up to two weeks. */
export const WINDOW_MINUTES = { min: 15, max: 14 * 24 * 60 } as const;
/** How far ahead occurrences are materialized, so a client always sees what is coming. */
export const MATERIALIZE_AHEAD_DAYS = 14;
// Enough occurrences to see how often a rule really fires (BYDAY lists, month ends, DST days).
const PROBE_OCCURRENCES = 60;

export interface CheckInSchedule {
  /** RRULE without time-of-day parts beyond BYHOUR/BYMINUTE; canonical text. */
  rule: string;
  /** Local wall-clock start of the series, `YYYY-MM-DDTHH:mm`. */
  startsAt: string;
  /** Last local day on which the series may fire, inclusive; null = open-ended. */
  endsOn: string | null;
  windowMinutes: number;
  zone: string;
}

export class ScheduleError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'ScheduleError';
  }
}

/**
 * Validates a recurring check-in schedule and returns its canonical rule. A schedule must fire at least once,
 * never more than once a minute, and an occurrence's window must close before the next one opens, so at most
 * one occurrence of an assignment is open at a time.
 */
export function checkSchedule(schedule: Omit<CheckInSchedule, 'rule'> & { rule: string }, now = new Date()): string {
  let rule: string;
  try {
    rule = parseRecurrence(schedule.rule, { allowTimeOfDay: true }).rule;
  } catch (error) {
    if (error instanceof RecurrenceError) throw new ScheduleError('recurrence', error.message);
    throw error;
  }
  if (/BYSECOND=/.test(rule)) throw new ScheduleError('recurrence', 'Check-ins are scheduled to the minute: BYSECOND is not allowed');
  if (schedule.windowMinutes < WINDOW_MINUTES.min || schedule.windowMinutes > WINDOW_MINUTES.max) {
    throw new ScheduleError('windowMinutes', `windowMinutes is ${WINDOW_MINUTES.min} to ${WINDOW_MINUTES.max}`);
  }
  const from = new Date(Math.min(now.getTime(), Date.parse(`${schedule.startsAt.slice(0, 10)}T00:00:00Z`) - 2 * 86_400_000));
  const until = schedule.endsOn ? new Date(Date.parse(`${schedule.endsOn}T00:00:00Z`) + 2 * 86_400_000) : new Date(from.getTime() + 3 * 366 * 86_400_000);
  const instants = occurrenceInstants(rule, schedule.startsAt, schedule.zone, from, until, { limit: PROBE_OCCURRENCES });
  const upcoming = instants.filter((i) => i >= now && (!schedule.endsOn || localDay(i, schedule.zone) <= schedule.endsOn));
  if (upcoming.length === 0) throw new ScheduleError('recurrence', 'This schedule never fires between its start and end');
  for (let i = 1; i < instants.length; i++) {
    const gapMinutes = (instants[i].getTime() - instants[i - 1].getTime()) / 60_000;
    if (gapMinutes < 1) throw new ScheduleError('recurrence', 'A check-in may fire at most once a minute');
    if (gapMinutes < schedule.windowMinutes) {
      throw new ScheduleError(
        'windowMinutes',
        `Occurrences can be ${Math.floor(gapMinutes)} minutes apart: the window must close before the next one opens`,
      );
    }
  }
  return rule;
}

/**
 * The occurrences of a schedule opening within [from, to), each with its slot: the local wall-clock time the
 * rule names. The slot does not depend on the zone, so after a zone change an occurrence keeps its slot.
 */
export function scheduledOccurrences(schedule: CheckInSchedule, from: Date, to: Date): ZonedOccurrence[] {
  return zonedOccurrences(schedule.rule, schedule.startsAt, schedule.zone, from, to, { limit: 1000 }).filter(
    (occurrence) => !schedule.endsOn || occurrence.local.slice(0, 10) <= schedule.endsOn,
  );
}

function localDay(instant: Date, zone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant);
}
