import {
  addDays,
  nextOccurrenceDate,
  occurrenceDates,
  parseRecurrence,
  previousOccurrenceDate,
  type ParsedRule,
} from '#cairn/shared/calendar';
import { OPEN_TASK_STATUSES, type ActionTask } from './action-task.entity.js';

/**
 * The calendar rules of action-plan tasks, as pure functions of a task, the client's today and the counts
 * logged per occurrence. Services load rows and counts in a bounded number of statements and ask here.
 */
export type ScheduledTask = Pick<
  ActionTask,
  'id' | 'status' | 'startDate' | 'dueDate' | 'recurrence' | 'countTarget'
> &
  Partial<Pick<ActionTask, 'recurrenceHistory'>>;

/** Count logged for an occurrence date (recurring) or in total (one-off: date null). */
export type LoggedCount = (date: string | null) => number;

export type AgendaKind = 'START' | 'DUE' | 'OCCURRENCE';
export interface AgendaEntry {
  kind: AgendaKind;
  date: string;
}

export interface Streak {
  current: number;
  longest: number;
  /** The client's today the streak was computed for. */
  asOf: string;
  /** Today is an occurrence whose target is not met yet: it neither counts nor breaks the streak. */
  todayPending: boolean;
}

const parsedRules = new Map<string, ParsedRule>();
/** Stored rules were validated on write; parsing each distinct text once keeps list views cheap. */
export function ruleOf(task: Pick<ScheduledTask, 'recurrence'>): ParsedRule | null {
  if (!task.recurrence) return null;
  let parsed = parsedRules.get(task.recurrence);
  if (!parsed) {
    if (parsedRules.size > 1000) parsedRules.clear();
    parsed = parseRecurrence(task.recurrence);
    parsedRules.set(task.recurrence, parsed);
  }
  return parsed;
}

/**
 * How far past the client's today an occurrence can already have counts. Counts are logged on or before the
 * client's today, but a move west can put that day ahead of the new today: UTC+14 to UTC−12 is 26 hours.
 */
export const LOGGED_AHEAD_DAYS = 2;

/** The occurrences from `today` through the last day that can already have counts (see LOGGED_AHEAD_DAYS). */
export function occurrencesThatMayHaveCounts(task: ScheduledTask, today: string): string[] {
  return occurrencesBetween(task, today, addDays(today, LOGGED_AHEAD_DAYS));
}

export const isOpen = (task: Pick<ScheduledTask, 'status'>) => OPEN_TASK_STATUSES.includes(task.status);
const earlier = (a: string, b: string | null) => (b !== null && b < a ? b : a);
const later = (a: string, b: string) => (b > a ? b : a);

interface RuleSpan {
  rule: ParsedRule;
  from: string;
  /** Inclusive; null for the current rule. */
  until: string | null;
}

/**
 * The rules a recurring task followed over time, oldest first: each past rule through the last date it
 * governed, then the current one. Every rule keeps the task's start date as its anchor (INTERVAL counts from
 * it), and an edit re-plans only the dates after the past rule's last one.
 */
function ruleSpans(task: ScheduledTask): RuleSpan[] {
  const current = ruleOf(task);
  if (!current) return [];
  const spans: RuleSpan[] = [];
  let from = task.startDate;
  for (const past of task.recurrenceHistory ?? []) {
    if (past.until < from) continue;
    spans.push({ rule: ruleOf({ recurrence: past.rule }) as ParsedRule, from, until: past.until });
    from = addDays(past.until, 1);
  }
  spans.push({ rule: current, from, until: null });
  return spans;
}

/** Occurrence dates of a recurring task in [from, to], clipped to its start and due dates, each under the rule of its day. */
export function occurrencesBetween(task: ScheduledTask, from: string, to: string, limit = 1000): string[] {
  const last = earlier(to, task.dueDate);
  const dates: string[] = [];
  for (const span of ruleSpans(task)) {
    const low = later(later(from, span.from), task.startDate);
    const high = span.until === null ? last : earlier(last, span.until);
    if (high < low) continue;
    dates.push(...occurrenceDates(span.rule, task.startDate, low, high, { limit: limit - dates.length }));
    if (dates.length >= limit) break;
  }
  return dates;
}

/** The first occurrence on or after `onOrAfter` under the rule of its day (ignoring the due date), or null. */
function nextOccurrenceOf(task: ScheduledTask, onOrAfter: string): string | null {
  for (const span of ruleSpans(task)) {
    if (span.until !== null && span.until < onOrAfter) continue;
    const next = nextOccurrenceDate(span.rule, task.startDate, later(onOrAfter, span.from));
    if (next !== null && (span.until === null || next <= span.until)) return next;
  }
  return null;
}

/** Whether `date` is an occurrence of a recurring task (within its start and due dates). */
export function isTaskOccurrence(task: ScheduledTask, date: string): boolean {
  return occurrencesBetween(task, date, date, 1).length === 1;
}

/** The latest occurrence strictly before today, whose count decides whether a recurring task is overdue. */
export function lastPastOccurrence(task: ScheduledTask, today: string): string | null {
  const until = earlier(addDays(today, -1), task.dueDate);
  if (until < task.startDate) return null;
  for (const span of ruleSpans(task).reverse()) {
    const high = span.until === null ? until : earlier(until, span.until);
    if (high < span.from) continue;
    const last = previousOccurrenceDate(span.rule, task.startDate, high);
    if (last !== null && last >= span.from) return last;
  }
  return null;
}

/**
 * The date a task is overdue since, or null. One-off: its due date, when that is before today and the task is
 * open. Recurring: the most recent occurrence before today, when its logged count is below the target and
 * the task is open (older misses only break the streak; today's occurrence is never overdue).
 */
export function overdueSince(task: ScheduledTask, today: string, logged: LoggedCount): string | null {
  if (!isOpen(task)) return null;
  if (!task.recurrence) return task.dueDate !== null && task.dueDate < today ? task.dueDate : null;
  const last = lastPastOccurrence(task, today);
  return last !== null && logged(last) < task.countTarget ? last : null;
}

/**
 * Agenda entries of an open task in [today, lastDay]: a one-off task's START (its lead time begins) and DUE
 * dates; a recurring task's occurrences whose target is not met yet.
 */
export function upcomingEntries(
  task: ScheduledTask,
  today: string,
  lastDay: string,
  logged: LoggedCount,
): AgendaEntry[] {
  if (!isOpen(task)) return [];
  const inWindow = (date: string | null): date is string => date !== null && date >= today && date <= lastDay;
  if (!task.recurrence) {
    const entries: AgendaEntry[] = [];
    if (inWindow(task.startDate) && task.startDate !== task.dueDate)
      entries.push({ kind: 'START', date: task.startDate });
    if (inWindow(task.dueDate)) entries.push({ kind: 'DUE', date: task.dueDate });
    return entries;
  }
  return occurrencesBetween(task, today, lastDay)
    .filter((date) => logged(date) < task.countTarget)
    .map((date) => ({ kind: 'OCCURRENCE' as const, date }));
}

/** The next date the open task is due on or after today: its due date, or its next occurrence not yet met. */
export function nextDueOn(task: ScheduledTask, today: string, logged: LoggedCount): string | null {
  if (!isOpen(task)) return null;
  if (!task.recurrence) return task.dueDate !== null && task.dueDate >= today ? task.dueDate : null;
  let from = today < task.startDate ? task.startDate : today;
  // Only occurrences up to LOGGED_AHEAD_DAYS past today can already have counts: a few steps at most.
  for (let step = 0; step <= LOGGED_AHEAD_DAYS + 1; step += 1) {
    const next = nextOccurrenceOf(task, from);
    if (next === null || (task.dueDate !== null && next > task.dueDate)) return null;
    if (logged(next) < task.countTarget) return next;
    from = addDays(next, 1);
  }
  return null;
}

/**
 * Streaks of a recurring task over its occurrences from the start through today. An occurrence counts when its
 * logged count reaches the target. `longest` is the longest run of such occurrences; `current` is the run
 * ending at the latest occurrence that counts for it: today's occurrence adds to the run once its target is
 * met, and until then it is pending (it neither adds nor breaks), so the run ends at the previous occurrence.
 * A missed past occurrence resets the current run to 0. One-off tasks have no streak (null).
 */
export function streakOf(task: ScheduledTask, today: string, logged: LoggedCount): Streak | null {
  if (!task.recurrence) return null;
  const dates = today < task.startDate ? [] : occurrencesBetween(task, task.startDate, today, 10_000);
  let run = 0;
  let longest = 0;
  let todayPending = false;
  for (const date of dates) {
    if (logged(date) >= task.countTarget) {
      run += 1;
      longest = Math.max(longest, run);
    } else if (date === today) {
      todayPending = true;
    } else {
      run = 0;
    }
  }
  return { current: run, longest, asOf: today, todayPending };
}
