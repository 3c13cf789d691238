import { OPEN_TASK_STATUSES, type ActionTask } from './action-task.entity.js';
import { expandEveryTime, LOGGED_AHEAD_DAYS, memoised, type FactsSource } from './schedule-facts.js';

export { LOGGED_AHEAD_DAYS, ruleOf } from './schedule-facts.js';

/**
 * The calendar rules of action-plan tasks, as pure functions of a task, the client's today and the counts
 * logged per occurrence. Services load rows and counts in a bounded number of statements and ask here.
 *
 * This is the cheap half: it applies a task's status, target and logged counts to its dates. The dates (the
 * RRULE expansions) come from schedule-facts.ts, memoised by every input they depend on (issue 12), so a
 * dashboard read costs a cache lookup per task rather than rrule + luxon work.
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

export const isOpen = (task: Pick<ScheduledTask, 'status'>) => OPEN_TASK_STATUSES.includes(task.status);

/** The schedule functions, over one source of dates. */
function scheduleOver(facts: FactsSource) {
  /** Occurrence dates of a recurring task in [from, to], clipped to its start and due dates, each under the rule of its day. */
  function occurrencesBetween(task: ScheduledTask, from: string, to: string, limit = 1000): string[] {
    return facts.between(task, from, to, limit);
  }

  /** The latest occurrence strictly before today, whose count decides whether a recurring task is overdue. */
  function lastPastOccurrence(task: ScheduledTask, today: string): string | null {
    return facts.day(task, today).lastPast();
  }

  return {
    occurrencesBetween,
    lastPastOccurrence,

    /** The occurrences from `today` through the last day that can already have counts (see LOGGED_AHEAD_DAYS). */
    occurrencesThatMayHaveCounts(task: ScheduledTask, today: string): string[] {
      return [...facts.day(task, today).mayHaveCounts()];
    },

    /** Whether `date` is an occurrence of a recurring task (within its start and due dates). */
    isTaskOccurrence(task: ScheduledTask, date: string): boolean {
      return occurrencesBetween(task, date, date, 1).length === 1;
    },

    /**
     * The date a task is overdue since, or null. One-off: its due date, when that is before today and the task is
     * open. Recurring: the most recent occurrence before today, when its logged count is below the target and
     * the task is open (older misses only break the streak; today's occurrence is never overdue).
     */
    overdueSince(task: ScheduledTask, today: string, logged: LoggedCount): string | null {
      if (!isOpen(task)) return null;
      if (!task.recurrence) return task.dueDate !== null && task.dueDate < today ? task.dueDate : null;
      const last = lastPastOccurrence(task, today);
      return last !== null && logged(last) < task.countTarget ? last : null;
    },

    /**
     * Agenda entries of an open task in [today, lastDay]: a one-off task's START (its lead time begins) and DUE
     * dates; a recurring task's occurrences whose target is not met yet.
     */
    upcomingEntries(task: ScheduledTask, today: string, lastDay: string, logged: LoggedCount): AgendaEntry[] {
      if (!isOpen(task)) return [];
      const inWindow = (date: string | null): date is string =>
        date !== null && date >= today && date <= lastDay;
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
    },

    /** The next date the open task is due on or after today: its due date, or its next occurrence not yet met. */
    nextDueOn(task: ScheduledTask, today: string, logged: LoggedCount): string | null {
      if (!isOpen(task)) return null;
      if (!task.recurrence) return task.dueDate !== null && task.dueDate >= today ? task.dueDate : null;
      const day = facts.day(task, today);
      // Only occurrences up to LOGGED_AHEAD_DAYS past today can already have counts: a few steps at most.
      for (let step = 0; step <= LOGGED_AHEAD_DAYS + 1; step += 1) {
        const next = day.nextOccurrence(step);
        if (next === null) return null;
        if (logged(next) < task.countTarget) return next;
      }
      return null;
    },

    /**
     * Streaks of a recurring task over its occurrences from the start through today. An occurrence counts when its
     * logged count reaches the target. `longest` is the longest run of such occurrences; `current` is the run
     * ending at the latest occurrence that counts for it: today's occurrence adds to the run once its target is
     * met, and until then it is pending (it neither adds nor breaks), so the run ends at the previous occurrence.
     * A missed past occurrence resets the current run to 0. One-off tasks have no streak (null).
     */
    streakOf(task: ScheduledTask, today: string, logged: LoggedCount): Streak | null {
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
    },
  };
}

export type TaskSchedule = ReturnType<typeof scheduleOver>;

/**
 * The same functions expanding every rule on every call, as before issue 12: the reference the memoised ones
 * are tested against, and the baseline `npm run bench:schedule` measures them by. Not for production reads.
 */
export const uncachedSchedule: TaskSchedule = scheduleOver(expandEveryTime);

/** The functions below as one object (memoised: the production path). */
export const taskSchedule: TaskSchedule = scheduleOver(memoised);

export const {
  occurrencesBetween,
  occurrencesThatMayHaveCounts,
  isTaskOccurrence,
  lastPastOccurrence,
  overdueSince,
  upcomingEntries,
  nextDueOn,
  streakOf,
} = taskSchedule;
