import { LRUCache } from 'lru-cache';
import {
  addDays,
  nextOccurrenceDate,
  occurrenceDates,
  parseRecurrence,
  previousOccurrenceDate,
  type ParsedRule,
} from '#cairn/shared/calendar';
import type { ActionTask } from './action-task.entity.js';

/**
 * The expensive half of a task's calendar: expanding its RRULEs (rrule + luxon) into local dates, memoised.
 *
 * Every expansion is a pure function of a task's calendar — its rule, start date, due date and rule history —
 * and of local dates (the client's today, or a window). Nothing else enters: not the task's id, status or
 * target, not the completions, not the zone (a zone only decides which local day is "today", and callers
 * work that out once per zone with zoneClock). The memo key is all of those inputs, so:
 * - a rule edit (which also appends to the rule history), a new start or due date, a zone change that moves
 *   the client's today, and the turn of the day are each a different key, never a stale entry to invalidate;
 * - completions never enter a cached value: the cheap half (task-schedule.ts) applies the counts on top;
 * - each API process keeps its own bounded cache and nothing is shared or stored, so replicas need no
 *   coordination and the worker's daily run needs to update nothing: the first read of a new day misses once.
 * Tasks with the same calendar share entries (a team's "every weekday from Monday" is expanded once).
 */
export type TaskCalendar = Pick<ActionTask, 'startDate' | 'dueDate' | 'recurrence'> &
  Partial<Pick<ActionTask, 'recurrenceHistory'>>;

// Distinct rule texts are few (stored rules are canonical); bounded all the same.
const parsedRules = new LRUCache<string, ParsedRule>({ max: 2_000 });
/** Stored rules were validated on write; parsing each distinct text once keeps list views cheap. */
export function ruleOf(task: Pick<TaskCalendar, 'recurrence'>): ParsedRule | null {
  if (!task.recurrence) return null;
  let parsed = parsedRules.get(task.recurrence);
  if (!parsed) {
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
function ruleSpans(task: TaskCalendar): RuleSpan[] {
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

/** Occurrence dates in [from, to], clipped to the start and due dates, each under the rule of its day. */
function expandBetween(task: TaskCalendar, from: string, to: string, limit: number): string[] {
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
function nextOccurrenceOf(task: TaskCalendar, onOrAfter: string): string | null {
  for (const span of ruleSpans(task)) {
    if (span.until !== null && span.until < onOrAfter) continue;
    const next = nextOccurrenceDate(span.rule, task.startDate, later(onOrAfter, span.from));
    if (next !== null && (span.until === null || next <= span.until)) return next;
  }
  return null;
}

/** The latest occurrence strictly before today, under the rule of its day. */
function lastOccurrenceBefore(task: TaskCalendar, today: string): string | null {
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

/** A task's dates around one local day, each worked out on first use. */
export interface DayFacts {
  /** The latest occurrence strictly before the day (it decides whether the task is overdue). */
  lastPast(): string | null;
  /** The occurrences from the day through LOGGED_AHEAD_DAYS later (those that can already have counts). */
  mayHaveCounts(): readonly string[];
  /**
   * The `index`-th occurrence (0-based) on or after the day (or the start date, if later), up to the due date;
   * null when there are fewer. Found one at a time, as the next due date needs only the first unmet one.
   */
  nextOccurrence(index: number): string | null;
}

/** A copy of what an expansion reads, so that a caller editing its task object later cannot reach an entry. */
const snapshot = (task: TaskCalendar): TaskCalendar => ({
  startDate: task.startDate,
  dueDate: task.dueDate,
  recurrence: task.recurrence,
  recurrenceHistory: (task.recurrenceHistory ?? []).map((p) => ({ rule: p.rule, until: p.until })),
});

class LazyDayFacts implements DayFacts {
  private last?: string | null;
  private ahead?: readonly string[];
  private readonly upcoming: string[] = [];
  private upcomingEnded = false;

  constructor(
    private readonly task: TaskCalendar,
    private readonly today: string,
  ) {}

  lastPast(): string | null {
    if (this.last === undefined) this.last = lastOccurrenceBefore(this.task, this.today);
    return this.last;
  }

  mayHaveCounts(): readonly string[] {
    this.ahead ??= expandBetween(this.task, this.today, addDays(this.today, LOGGED_AHEAD_DAYS), 1000);
    return this.ahead;
  }

  nextOccurrence(index: number): string | null {
    const { task, upcoming } = this;
    while (upcoming.length <= index && !this.upcomingEnded) {
      const from =
        upcoming.length === 0 ? later(this.today, task.startDate) : addDays(upcoming[upcoming.length - 1], 1);
      const next = nextOccurrenceOf(task, from);
      if (next === null || (task.dueDate !== null && next > task.dueDate)) this.upcomingEnded = true;
      else upcoming.push(next);
    }
    return upcoming[index] ?? null;
  }
}

/** Where the cheap half gets a task's dates from: the memo, or (to compare and to measure) a fresh expansion. */
export interface FactsSource {
  day(task: TaskCalendar, today: string): DayFacts;
  /** Occurrences in [from, to] (at most `limit`); the array is the caller's own. */
  between(task: TaskCalendar, from: string, to: string, limit: number): string[];
}

/** Expands on every call: what every read did before issue 12. */
export const expandEveryTime: FactsSource = {
  day: (task, today) => new LazyDayFacts(snapshot(task), today),
  between: (task, from, to, limit) => expandBetween(task, from, to, limit),
};

/**
 * Every input of an expansion, unambiguously: JSON of a fixed-shape array (the history as its rule and until
 * only, the two fields ruleSpans reads) followed by the local dates asked about, so no two different questions
 * share a key. A missing history and an empty one expand alike and share one.
 */
function keyOf(task: TaskCalendar, ...dates: (string | number)[]): string {
  const history = (task.recurrenceHistory ?? []).map((p) => [p.rule, p.until]);
  return JSON.stringify([task.recurrence, task.startDate, task.dueDate, history, ...dates]);
}

// A dashboard of 50 clients × 8 tasks needs 400 day entries; 20 000 cover a busy process's day across firms in a
// few MB (an entry holds a handful of dates). Windows are sized by the dates they hold: a streak of an old
// daily habit holds hundreds.
const dayFacts = new LRUCache<string, DayFacts>({ max: 20_000 });
const windows = new LRUCache<string, readonly string[]>({
  max: 20_000,
  maxSize: 500_000,
  sizeCalculation: (dates) => dates.length + 1,
});

/** The memo: one expansion per calendar and day (or window) per process, while it stays in the LRU. */
export const memoised: FactsSource = {
  day(task, today) {
    const key = keyOf(task, today);
    let facts = dayFacts.get(key);
    if (!facts) {
      facts = expandEveryTime.day(task, today);
      dayFacts.set(key, facts);
    }
    return facts;
  },
  between(task, from, to, limit) {
    const key = keyOf(task, from, to, limit);
    let dates = windows.get(key);
    if (!dates) {
      dates = expandBetween(task, from, to, limit);
      windows.set(key, dates);
    }
    return [...dates];
  },
};
