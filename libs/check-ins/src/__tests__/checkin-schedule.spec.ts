import { describe, expect, it } from '@jest/globals';
import { checkSchedule, ScheduleError, scheduledOccurrences } from '../assignments/checkin-schedule.js';

const NOW = new Date('2026-03-02T12:00:00Z');
const friday16 = { rule: 'FREQ=WEEKLY;BYDAY=FR', startsAt: '2026-03-06T16:00', endsOn: null as string | null, windowMinutes: 24 * 60, zone: 'Europe/London' };
const failure = (over: Partial<typeof friday16>) => {
  try {
    checkSchedule({ ...friday16, ...over }, NOW);
    return null;
  } catch (error) {
    return error instanceof ScheduleError ? error.field : String(error);
  }
};

describe('check-in schedules', () => {
  it('keeps "every Friday 16:00" at 16:00 local across the DST change', () => {
    const rule = checkSchedule(friday16, NOW);
    const instants = scheduledOccurrences({ ...friday16, rule }, NOW, new Date('2026-04-04T00:00:00Z')).map((o) => o.instant);
    // British Summer Time starts on Sunday 29 March 2026: 16:00 local is 16:00Z before it and 15:00Z after.
    expect(instants.map((i) => i.toISOString())).toEqual([
      '2026-03-06T16:00:00.000Z',
      '2026-03-13T16:00:00.000Z',
      '2026-03-20T16:00:00.000Z',
      '2026-03-27T16:00:00.000Z',
      '2026-04-03T15:00:00.000Z',
    ]);
  });

  it('rejects schedules that never fire, fire too often, or overlap their own windows', () => {
    expect(failure({ rule: 'FREQ=WEEKLY;BYDAY=FR', endsOn: '2026-03-05' })).toBe('recurrence');
    expect(failure({ rule: 'FREQ=MONTHLY;BYMONTHDAY=31;BYMONTH=2' })).toBe('recurrence');
    expect(failure({ rule: 'FREQ=DAILY;BYHOUR=9;BYMINUTE=0;BYSECOND=0,30' })).toBe('recurrence');
    expect(failure({ rule: 'FREQ=MINUTELY' })).toBe('recurrence');
    expect(failure({ rule: 'not a rule' })).toBe('recurrence');
    expect(failure({ rule: 'FREQ=DAILY', windowMinutes: 2 * 24 * 60 })).toBe('windowMinutes');
    expect(failure({ windowMinutes: 5 })).toBe('windowMinutes');
    expect(failure({})).toBeNull();
  });

  it('stops on the end date, in the client’s zone', () => {
    const rule = checkSchedule({ ...friday16, endsOn: '2026-03-13' }, NOW);
    const instants = scheduledOccurrences({ ...friday16, rule, endsOn: '2026-03-13' }, NOW, new Date('2026-06-01T00:00:00Z')).map((o) => o.instant);
    expect(instants).toHaveLength(2);
  });
});
