import { describe, expect } from '@jest/globals';
import { fc, it } from '@fast-check/jest';
import { addDays, parseRecurrence, todayIn } from '#cairn/shared/calendar';
import { TaskStatus } from '../tasks/action-task.entity.js';
import {
  taskSchedule,
  uncachedSchedule,
  type LoggedCount,
  type ScheduledTask,
  type TaskSchedule,
} from '../tasks/task-schedule.js';

/**
 * The memoised schedule (issue 12) must answer exactly as expanding every rule on every call does. The cache
 * is shared by every case of this file, and rules, dates and zones come from small pools, so keys recur with
 * other inputs around them: an input missing from the key, an entry reachable through a task object edited in
 * place, or a returned array that is the cache's own would each show up as a difference.
 */

// DST zones (both hemispheres, a half-hour shift), ±14 h apart across the date line, odd offsets.
const ZONES = [
  'Europe/London',
  'America/New_York',
  'America/Santiago',
  'Australia/Lord_Howe',
  'Pacific/Chatham',
  'Pacific/Kiritimati',
  'Etc/GMT-14',
  'Etc/GMT+12',
  'Pacific/Pago_Pago',
  'Asia/Kathmandu',
  'America/St_Johns',
];
const POOL = [
  'FREQ=DAILY',
  'FREQ=DAILY;INTERVAL=2',
  'FREQ=WEEKLY;BYDAY=MO',
  'FREQ=WEEKLY;BYDAY=MO,WE,FR',
  'FREQ=MONTHLY;BYMONTHDAY=1,15,-1',
];

const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];
const generatedRule: fc.Arbitrary<string> = fc
  .record({
    freq: fc.constantFrom('DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'),
    interval: fc.option(fc.integer({ min: 2, max: 3 }), { nil: undefined }),
    byday: fc.option(fc.subarray(WEEKDAYS, { minLength: 1 }), { nil: undefined }),
    bymonthday: fc.option(fc.subarray([1, 15, 28, 31, -1], { minLength: 1 }), { nil: undefined }),
    bymonth: fc.option(fc.subarray([2, 3, 10, 11], { minLength: 1 }), { nil: undefined }),
    end: fc.option(
      fc.oneof(
        fc.integer({ min: 1, max: 30 }).map((n) => `COUNT=${n}`),
        fc
          .integer({ min: 0, max: 3 * 365 })
          .map((d) => `UNTIL=${addDays('2025-01-01', d).replaceAll('-', '')}`),
      ),
      { nil: undefined },
    ),
  })
  .map(({ freq, interval, byday, bymonthday, bymonth, end }) =>
    [
      `FREQ=${freq}`,
      interval && `INTERVAL=${interval}`,
      end,
      bymonth && freq !== 'WEEKLY' && `BYMONTH=${bymonth.join(',')}`,
      bymonthday && freq !== 'WEEKLY' && `BYMONTHDAY=${bymonthday.join(',')}`,
      byday && `BYDAY=${byday.join(',')}`,
    ]
      .filter(Boolean)
      .join(';'),
  )
  .filter((rule) => {
    try {
      return parseRecurrence(rule).rule === rule;
    } catch {
      return false;
    }
  });
const rule = fc.oneof(fc.constantFrom(...POOL), generatedRule);

// Instants around the DST changes of 2025–2027 in both hemispheres, and on other days.
const instant = fc
  .record({ day: fc.integer({ min: 0, max: 3 * 365 }), hour: fc.integer({ min: 0, max: 23 }) })
  .map(({ day, hour }) => new Date(Date.parse(`${addDays('2025-01-01', day)}T00:00:00Z`) + hour * 3_600_000));

type Step =
  | { kind: 'rule'; rule: string }
  | { kind: 'zone'; zone: string }
  | { kind: 'days'; days: number }
  | { kind: 'log'; daysAgo: number; count: number }
  | { kind: 'due'; days: number | null }
  | { kind: 'start'; days: number }
  | { kind: 'status'; status: TaskStatus };
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('rule' as const), rule }),
  fc.record({ kind: fc.constant('zone' as const), zone: fc.constantFrom(...ZONES) }),
  fc.record({ kind: fc.constant('days' as const), days: fc.integer({ min: 1, max: 40 }) }),
  fc.record({
    kind: fc.constant('log' as const),
    daysAgo: fc.integer({ min: -2, max: 10 }),
    count: fc.integer({ min: 1, max: 3 }),
  }),
  fc.record({
    kind: fc.constant('due' as const),
    days: fc.option(fc.integer({ min: -20, max: 60 }), { nil: null }),
  }),
  fc.record({ kind: fc.constant('start' as const), days: fc.integer({ min: -3, max: 3 }) }),
  fc.record({ kind: fc.constant('status' as const), status: fc.constantFrom(...Object.values(TaskStatus)) }),
);

/** A value or the error it threw, so that both paths failing alike also counts as agreeing. */
function settle<T>(work: () => T): { value: T } | { error: string } {
  try {
    return { value: work() };
  } catch (error) {
    return { error: String(error) };
  }
}

/** Everything the schedule says about a task on a day; arrays returned by the cache are then scribbled on. */
function factsOf(schedule: TaskSchedule, task: ScheduledTask, today: string, logged: LoggedCount) {
  const facts = {
    lastPast: settle(() => schedule.lastPastOccurrence(task, today)),
    mayHaveCounts: settle(() => schedule.occurrencesThatMayHaveCounts(task, today)),
    overdueSince: settle(() => schedule.overdueSince(task, today, logged)),
    nextDueOn: settle(() => schedule.nextDueOn(task, today, logged)),
    upcoming: settle(() => schedule.upcomingEntries(task, today, addDays(today, 13), logged)),
    streak: settle(() => schedule.streakOf(task, today, logged)),
    window: settle(() => schedule.occurrencesBetween(task, addDays(today, -30), addDays(today, 30))),
    firstThree: settle(() => schedule.occurrencesBetween(task, addDays(today, -30), addDays(today, 30), 3)),
    isOccurrence: settle(() => schedule.isTaskOccurrence(task, today)),
  };
  const copy = structuredClone(facts);
  for (const fact of [facts.mayHaveCounts, facts.window]) if ('value' in fact) fact.value.push('scribble');
  return copy;
}

const counted =
  (logs: Map<string, number>): LoggedCount =>
  (date) =>
    logs.get(date ?? 'total') ?? 0;

describe('memoised task schedule', () => {
  it.prop(
    {
      first: rule,
      zone: fc.constantFrom(...ZONES),
      now: instant,
      startOffset: fc.integer({ min: -400, max: 10 }),
      dueOffset: fc.option(fc.integer({ min: 0, max: 500 }), { nil: null }),
      countTarget: fc.integer({ min: 1, max: 3 }),
      steps: fc.array(step, { maxLength: 8 }),
    },
    { numRuns: 40 },
  )(
    'answers as expanding every time does, through rule edits, zone and day changes and completions',
    (input) => {
      let zone = input.zone;
      let now = input.now;
      const startDate = addDays(todayIn(zone, now), input.startOffset);
      // One object edited in place throughout, as an entity is: the cache must not keep reading it later.
      const task: ScheduledTask = {
        id: 'task',
        status: TaskStatus.IN_PROGRESS,
        startDate,
        dueDate: input.dueOffset === null ? null : addDays(startDate, input.dueOffset),
        recurrence: input.first,
        recurrenceHistory: [],
        countTarget: input.countTarget,
      };
      const logs = new Map<string, number>();
      /**
       * The task, and beside it the same task with one input changed: a key that missed that input would give one
       * of them the other's dates.
       */
      const variants = (): ScheduledTask[] => [
        task,
        { ...task, recurrenceHistory: [] },
        { ...task, recurrence: POOL.find((r) => r !== task.recurrence)! },
        { ...task, startDate: addDays(task.startDate, 1) },
        { ...task, dueDate: task.dueDate === null ? addDays(todayIn(zone, now), -1) : null },
      ];
      const check = () => {
        const today = todayIn(zone, now);
        const logged = counted(logs);
        for (const variant of variants()) {
          const expected = factsOf(uncachedSchedule, variant, today, logged);
          // First through a copy of the row (as the next request loads it), which its caller then edits in place:
          // an entry must not keep reading the object it was made from.
          const row = structuredClone(variant);
          expect(factsOf(taskSchedule, row, today, logged)).toEqual(expected);
          row.recurrence = 'FREQ=YEARLY';
          row.startDate = addDays(row.startDate, -7);
          row.dueDate = today;
          row.recurrenceHistory?.push({ rule: 'FREQ=DAILY', until: today });
          expect(factsOf(taskSchedule, variant, today, logged)).toEqual(expected);
        }
      };
      check();
      for (const s of input.steps) {
        const today = todayIn(zone, now);
        if (s.kind === 'rule') {
          // As ActionTaskService does: the replaced rule keeps the days before today, unless it governed none.
          const yesterday = addDays(today, -1);
          const history = task.recurrenceHistory!;
          const governedNoPastDay =
            yesterday < task.startDate ||
            (history.length > 0 && history[history.length - 1].until >= yesterday);
          if (s.rule !== task.recurrence && !governedNoPastDay)
            history.push({ rule: task.recurrence!, until: yesterday });
          task.recurrence = s.rule;
        } else if (s.kind === 'zone') zone = s.zone;
        else if (s.kind === 'days') now = new Date(now.getTime() + s.days * 86_400_000);
        else if (s.kind === 'log') {
          const date = addDays(today, -s.daysAgo);
          logs.set(date, (logs.get(date) ?? 0) + s.count);
        } else if (s.kind === 'due')
          task.dueDate = s.days === null ? null : later(task.startDate, addDays(today, s.days));
        else if (s.kind === 'start') task.startDate = addDays(task.startDate, s.days);
        else task.status = s.status;
        check();
      }
    },
  );

  describe('each input of an expansion is part of its key', () => {
    const logged = counted(new Map());
    // The Monday after Europe's clocks went forward; Kiritimati's Tuesday, Etc/GMT+12's Sunday.
    const NOW = new Date('2026-03-30T11:30:00Z');
    const base: ScheduledTask = {
      id: 'task',
      status: TaskStatus.TODO,
      startDate: '2026-01-05',
      dueDate: null,
      recurrence: 'FREQ=WEEKLY;BYDAY=MO,TH',
      recurrenceHistory: [],
      countTarget: 1,
    };
    const TODAY = todayIn('Europe/London', NOW);

    /** Warms the cache with `before`, then asks about `after`: it must get its own facts, not the warmed ones. */
    const expectNewFacts = (before: [ScheduledTask, string], after: [ScheduledTask, string]) => {
      const warmed = factsOf(taskSchedule, before[0], before[1], logged);
      const fresh = factsOf(taskSchedule, after[0], after[1], logged);
      expect(fresh).toEqual(factsOf(uncachedSchedule, after[0], after[1], logged));
      // Each case is chosen so that the dates around the day differ too, not only the windows.
      const around = ({ lastPast, mayHaveCounts, nextDueOn }: typeof fresh) => ({
        lastPast,
        mayHaveCounts,
        nextDueOn,
      });
      expect(around(fresh)).not.toEqual(around(warmed));
    };

    it('the rule', () => {
      expectNewFacts([base, TODAY], [{ ...base, recurrence: 'FREQ=WEEKLY;BYDAY=TU,FR' }, TODAY]);
    });
    it('the rule history (an edit keeps the old rule for past days)', () => {
      const edited = { ...base, recurrence: 'FREQ=WEEKLY;BYDAY=TU,FR' };
      expectNewFacts(
        [edited, TODAY],
        [{ ...edited, recurrenceHistory: [{ rule: base.recurrence!, until: addDays(TODAY, -1) }] }, TODAY],
      );
      expectNewFacts(
        [{ ...edited, recurrenceHistory: [{ rule: base.recurrence!, until: addDays(TODAY, -1) }] }, TODAY],
        [{ ...edited, recurrenceHistory: [{ rule: base.recurrence!, until: addDays(TODAY, -10) }] }, TODAY],
      );
      expectNewFacts(
        [{ ...edited, recurrenceHistory: [{ rule: base.recurrence!, until: addDays(TODAY, -1) }] }, TODAY],
        [{ ...edited, recurrenceHistory: [{ rule: 'FREQ=DAILY', until: addDays(TODAY, -1) }] }, TODAY],
      );
    });
    it('the start and due dates', () => {
      const everyOther = { ...base, recurrence: 'FREQ=DAILY;INTERVAL=2' };
      expectNewFacts([everyOther, TODAY], [{ ...everyOther, startDate: '2026-01-06' }, TODAY]);
      expectNewFacts([base, TODAY], [{ ...base, dueDate: addDays(TODAY, -5) }, TODAY]);
    });
    it('the local day', () => {
      expectNewFacts([base, TODAY], [base, addDays(TODAY, 1)]);
      expectNewFacts([base, addDays(TODAY, 1)], [base, addDays(TODAY, 4)]);
    });
    it('the zone, through the day it makes today', () => {
      const west = todayIn('Etc/GMT+12', NOW);
      const east = todayIn('Pacific/Kiritimati', NOW);
      expect(west).not.toBe(east);
      expectNewFacts([base, east], [base, west]);
    });
    it('the window of occurrences', () => {
      const window = (from: string, to: string, limit?: number) => {
        const cached = taskSchedule.occurrencesBetween(base, from, to, limit);
        expect(cached).toEqual(uncachedSchedule.occurrencesBetween(base, from, to, limit));
        return cached;
      };
      const month = window('2026-03-01', '2026-03-31');
      expect(window('2026-03-01', '2026-03-15')).not.toEqual(month);
      expect(window('2026-03-10', '2026-03-31')).not.toEqual(month);
      expect(window('2026-03-01', '2026-03-31', 2)).toEqual(month.slice(0, 2));
    });
  });

  it('counts and status are applied on top of cached dates, never cached themselves', () => {
    const habit: ScheduledTask = {
      id: 'habit',
      status: TaskStatus.TODO,
      startDate: '2026-03-01',
      dueDate: null,
      recurrence: 'FREQ=DAILY',
      countTarget: 2,
    };
    const today = '2026-03-18';
    expect(taskSchedule.overdueSince(habit, today, counted(new Map()))).toBe('2026-03-17');
    expect(taskSchedule.overdueSince(habit, today, counted(new Map([['2026-03-17', 2]])))).toBeNull();
    expect(taskSchedule.nextDueOn(habit, today, counted(new Map([[today, 2]])))).toBe('2026-03-19');
    expect(taskSchedule.nextDueOn({ ...habit, countTarget: 3 }, today, counted(new Map([[today, 2]])))).toBe(
      today,
    );
    expect(
      taskSchedule.nextDueOn({ ...habit, status: TaskStatus.DONE }, today, counted(new Map())),
    ).toBeNull();
  });
});

const later = (a: string, b: string) => (b > a ? b : a);
