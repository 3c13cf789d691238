import { ruleOf } from '#cairn/action-plans';
import { addDays, nextOccurrenceDate, occurrenceDates, type ParsedRule } from '#cairn/shared/calendar';
import type { IcsEvent } from '../ics/ics-writer.js';

/**
 * What a calendar feed shows, as pure functions from rows to events: action tasks (one-off deadlines with
 * their lead time, recurring habits as one event with an RRULE), pending check-ins and goal target dates.
 */

export interface FeedTask {
  id: string;
  clientId: string;
  goalTitle: string;
  title: string;
  notes: string | null;
  /** Local dates in the client's zone (all-day events are floating dates, so they stay on those dates). */
  startDate: string;
  dueDate: string | null;
  recurrence: string | null;
  countTarget: number;
  version: number;
  updatedAt: Date;
}

export interface FeedCheckIn {
  id: string;
  clientId: string;
  templateName: string;
  opensAt: Date;
  closesAt: Date;
  createdAt: Date;
}

export interface FeedGoal {
  id: string;
  clientId: string;
  title: string;
  status: string;
  targetDate: string;
  version: number;
  updatedAt: Date;
}

/** A coach's feed names the client in every summary; a client's own feed does not (null). */
export type ClientLabel = (clientId: string) => string | null;

const NOTE_MAX = 500;
const CALENDAR_FREQUENCIES = new Set(['DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY']);
/** RRULE parts a date rule may carry in RFC 5545 (no BYHOUR/BYMINUTE/BYSECOND for all-day events). */
const DATE_RULE_PARTS = [
  'FREQ',
  'INTERVAL',
  'BYMONTH',
  'BYWEEKNO',
  'BYYEARDAY',
  'BYMONTHDAY',
  'BYDAY',
  'BYSETPOS',
  'WKST',
];

const label = (summary: string, clientId: string, clientLabel: ClientLabel) => {
  const name = clientLabel(clientId);
  return name ? `${name} — ${summary}` : summary;
};
const withCount = (title: string, count: number) => (count > 1 ? `${title} (×${count})` : title);
const note = (notes: string | null) =>
  notes && notes.trim() ? (notes.length > NOTE_MAX ? `${notes.slice(0, NOTE_MAX)}…` : notes) : null;
const lines = (...parts: (string | null)[]) => parts.filter((p): p is string => p !== null).join('\n');
const allDay = (date: string) => ({ start: { date }, end: { date: addDays(date, 1) } });

/**
 * A recurring task as one iCalendar series: DTSTART and the RRULE to write, or null when it has no occurrence.
 * RFC 5545 always counts DTSTART as the first instance, even when the rule does not match it, while the
 * task's rule is evaluated from its start date and matches only real occurrences ("every Monday" from a
 * Wednesday start first falls on the next Monday). So the series starts on the first occurrence, which yields
 * the same dates: the rule's defaults and INTERVAL phase are the start's, and every occurrence shares them.
 * The due date (the last day an occurrence may fall on) becomes UNTIL, or replaces COUNT when it ends the
 * series first; UNTIL is a DATE, as DTSTART is.
 */
export function recurringSeries(task: Pick<FeedTask, 'startDate' | 'dueDate' | 'recurrence'>): {
  start: string;
  rrule: string;
} | null {
  let rule: ParsedRule | null;
  try {
    rule = ruleOf(task);
  } catch {
    return null; // stored rules were validated on write; a bad one must not break the whole feed
  }
  if (!rule || rule.subDaily || rule.hasTimeOfDay || !CALENDAR_FREQUENCIES.has(rule.frequency)) return null;
  const first = nextOccurrenceDate(rule, task.startDate, task.startDate);
  if (first === null || (task.dueDate !== null && first > task.dueDate)) return null;

  const values = new Map(rule.rule.split(';').map((part) => part.split('=') as [string, string]));
  const parts = DATE_RULE_PARTS.filter((name) => values.has(name)).map(
    (name) => `${name}=${values.get(name)}`,
  );
  // A date rule's UNTIL is read as a local date (a UTC UNTIL by its date), as the action plans read it.
  const ends = [rule.until?.slice(0, 10) ?? null, task.dueDate].filter((d): d is string => d !== null).sort();
  let until: string | null = ends[0] ?? null;
  let count = rule.count; // COUNT and UNTIL never come together: parseRecurrence refuses that
  if (count !== null && task.dueDate !== null) {
    const beforeDue = occurrenceDates(rule, task.startDate, first, task.dueDate, { limit: count });
    if (beforeDue.length < count) count = null;
    else until = null;
  }
  if (count !== null) parts.splice(1, 0, `COUNT=${count}`);
  else if (until !== null) parts.splice(1, 0, `UNTIL=${until.replace(/-/g, '')}`);
  return { start: first, rrule: parts.join(';') };
}

/** An open task's events: a one-off's due date (and its start, when earlier), or a recurring task's series. */
export function taskEvents(task: FeedTask, clientLabel: ClientLabel): IcsEvent[] {
  const common = {
    dtstamp: task.updatedAt,
    lastModified: task.updatedAt,
    sequence: task.version - 1,
    categories: ['Cairn', 'Action task'],
  };
  const goal = `Goal: ${task.goalTitle}`;
  const title = withCount(task.title, task.countTarget);
  if (task.recurrence) {
    const series = recurringSeries(task);
    if (!series) return [];
    const times = task.countTarget > 1 ? `, ${task.countTarget} times each time` : '';
    const ends = task.dueDate ? ` until ${task.dueDate}` : '';
    return [
      {
        ...common,
        uid: `task-${task.id}@cairn`,
        ...allDay(series.start),
        rrule: series.rrule,
        summary: label(title, task.clientId, clientLabel),
        description: lines(goal, `Recurring action-plan task${times}${ends}.`, note(task.notes)),
      },
    ];
  }
  if (!task.dueDate) return [];
  const events: IcsEvent[] = [
    {
      ...common,
      uid: `task-${task.id}@cairn`,
      ...allDay(task.dueDate),
      summary: label(`Due: ${title}`, task.clientId, clientLabel),
      description: lines(goal, `Action-plan task due ${task.dueDate}.`, note(task.notes)),
    },
  ];
  if (task.startDate < task.dueDate) {
    events.push({
      ...common,
      uid: `task-${task.id}-start@cairn`,
      ...allDay(task.startDate),
      summary: label(`Start: ${title}`, task.clientId, clientLabel),
      description: lines(goal, `Time to start: this task is due ${task.dueDate}.`, note(task.notes)),
    });
  }
  return events;
}

/** A pending check-in, from when it opens to when it closes. */
export function checkInEvent(checkIn: FeedCheckIn, clientLabel: ClientLabel): IcsEvent {
  return {
    uid: `checkin-${checkIn.id}@cairn`,
    dtstamp: checkIn.createdAt,
    start: { utc: checkIn.opensAt },
    end: { utc: checkIn.closesAt },
    summary: label(`Check-in: ${checkIn.templateName}`, checkIn.clientId, clientLabel),
    description: 'Accountability check-in: answer it in Cairn before it closes.',
    categories: ['Cairn', 'Check-in'],
  };
}

/** A goal's target date. */
export function goalEvent(goal: FeedGoal, clientLabel: ClientLabel): IcsEvent {
  return {
    uid: `goal-${goal.id}@cairn`,
    dtstamp: goal.updatedAt,
    lastModified: goal.updatedAt,
    sequence: goal.version - 1,
    ...allDay(goal.targetDate),
    summary: label(`Goal target: ${goal.title}`, goal.clientId, clientLabel),
    description: `Target date of this goal (status: ${goal.status}).`,
    categories: ['Cairn', 'Goal'],
  };
}

/** When an event (first) happens, comparable as text across all-day dates and instants. */
export function startKey(event: IcsEvent): string {
  return 'date' in event.start ? event.start.date : event.start.utc.toISOString();
}

/**
 * The events in a stable order (by start, then UID), at most `max` of them: the earliest are kept, since what
 * is far ahead comes into the feed as time passes and calendars refresh.
 */
export function boundedEvents(events: IcsEvent[], max: number): { events: IcsEvent[]; truncated: boolean } {
  const sorted = [...events].sort((a, b) => {
    const ka = startKey(a);
    const kb = startKey(b);
    return ka < kb ? -1 : ka > kb ? 1 : a.uid < b.uid ? -1 : a.uid > b.uid ? 1 : 0;
  });
  return { events: sorted.slice(0, max), truncated: sorted.length > max };
}
