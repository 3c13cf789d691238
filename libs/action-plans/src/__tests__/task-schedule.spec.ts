import { describe, expect, it } from '@jest/globals';
import { TaskStatus } from '../tasks/action-task.entity.js';
import {
  nextDueOn,
  overdueSince,
  streakOf,
  upcomingEntries,
  type ScheduledTask,
} from '../tasks/task-schedule.js';

const TODAY = '2026-03-18'; // a Wednesday
const task = (patch: Partial<ScheduledTask>): ScheduledTask => ({
  id: 't',
  status: TaskStatus.TODO,
  startDate: '2026-03-01',
  dueDate: null,
  recurrence: null,
  countTarget: 1,
  ...patch,
});
const counts = (entries: Record<string, number>) => (date: string | null) => entries[date ?? 'total'] ?? 0;
const none = counts({});

describe('overdueSince', () => {
  it('one-off: due before today and open', () => {
    expect(overdueSince(task({ dueDate: '2026-03-17' }), TODAY, none)).toBe('2026-03-17');
    expect(overdueSince(task({ dueDate: TODAY }), TODAY, none)).toBeNull();
    expect(overdueSince(task({ dueDate: '2026-03-17', status: TaskStatus.DONE }), TODAY, none)).toBeNull();
    expect(
      overdueSince(task({ dueDate: '2026-03-17', status: TaskStatus.CANCELLED }), TODAY, none),
    ).toBeNull();
    expect(overdueSince(task({ dueDate: '2026-03-17', status: TaskStatus.IN_PROGRESS }), TODAY, none)).toBe(
      '2026-03-17',
    );
  });

  it('recurring: only the most recent past occurrence matters; today never is overdue', () => {
    const weekly = task({ recurrence: 'FREQ=WEEKLY;BYDAY=MO', countTarget: 2 });
    expect(overdueSince(weekly, TODAY, none)).toBe('2026-03-16');
    expect(overdueSince(weekly, TODAY, counts({ '2026-03-16': 1 }))).toBe('2026-03-16');
    expect(overdueSince(weekly, TODAY, counts({ '2026-03-16': 2 }))).toBeNull();
    expect(overdueSince(weekly, '2026-03-16', none)).toBe('2026-03-09');
    expect(overdueSince(task({ recurrence: 'FREQ=DAILY', startDate: TODAY }), TODAY, none)).toBeNull();
    // A series that ended (due date passed) stays overdue on its last occurrence until finished.
    expect(overdueSince(task({ recurrence: 'FREQ=DAILY', dueDate: '2026-03-10' }), TODAY, none)).toBe(
      '2026-03-10',
    );
  });
});

describe('streakOf', () => {
  const daily = task({ recurrence: 'FREQ=DAILY', startDate: '2026-03-13', countTarget: 3 });
  it('counts runs of met occurrences; today pending neither adds nor breaks', () => {
    const logged = counts({
      '2026-03-13': 3,
      '2026-03-14': 3,
      '2026-03-15': 3,
      '2026-03-16': 1,
      '2026-03-17': 4,
    });
    expect(streakOf(daily, TODAY, logged)).toEqual({
      current: 1,
      longest: 3,
      asOf: TODAY,
      todayPending: true,
    });
    expect(streakOf(daily, TODAY, counts({ '2026-03-17': 3, [TODAY]: 3 }))).toEqual({
      current: 2,
      longest: 2,
      asOf: TODAY,
      todayPending: false,
    });
    expect(streakOf(daily, TODAY, counts({ '2026-03-16': 3 }))).toMatchObject({ current: 0, longest: 1 });
  });
  it('no occurrences yet, and one-off tasks', () => {
    expect(streakOf(task({ recurrence: 'FREQ=DAILY', startDate: '2026-04-01' }), TODAY, none)).toEqual({
      current: 0,
      longest: 0,
      asOf: TODAY,
      todayPending: false,
    });
    expect(streakOf(task({ dueDate: TODAY }), TODAY, none)).toBeNull();
  });
});

describe('upcoming and next due', () => {
  it('one-off: START and DUE inside the window', () => {
    const q1 = task({ startDate: '2026-03-20', dueDate: '2026-03-27' });
    expect(upcomingEntries(q1, TODAY, '2026-03-31', none)).toEqual([
      { kind: 'START', date: '2026-03-20' },
      { kind: 'DUE', date: '2026-03-27' },
    ]);
    expect(upcomingEntries(q1, TODAY, '2026-03-26', none)).toEqual([{ kind: 'START', date: '2026-03-20' }]);
    expect(nextDueOn(q1, TODAY, none)).toBe('2026-03-27');
  });
  it('recurring: occurrences not met yet, within the due date', () => {
    const habit = task({ recurrence: 'FREQ=DAILY', dueDate: '2026-03-20' });
    expect(upcomingEntries(habit, TODAY, '2026-03-31', counts({ [TODAY]: 1 }))).toEqual([
      { kind: 'OCCURRENCE', date: '2026-03-19' },
      { kind: 'OCCURRENCE', date: '2026-03-20' },
    ]);
    expect(nextDueOn(habit, TODAY, none)).toBe(TODAY);
    expect(nextDueOn(habit, TODAY, counts({ [TODAY]: 1 }))).toBe('2026-03-19');
    expect(nextDueOn(habit, '2026-03-20', counts({ '2026-03-20': 1 }))).toBeNull();
    expect(
      nextDueOn(task({ recurrence: 'FREQ=WEEKLY;BYDAY=MO', startDate: '2026-04-01' }), TODAY, none),
    ).toBe('2026-04-06');
  });
});
