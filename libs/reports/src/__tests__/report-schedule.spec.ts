import { describe, expect, it } from '@jest/globals';
import { DateTime } from 'luxon';
import { duePeriod, figuresAsOf, reportCycle, reportKey, startOfLocalDay } from '../content/report-schedule.js';

const at = (iso: string, zone: string) => DateTime.fromISO(iso, { zone }).toJSDate();
const WEEKLY = { weekday: 1, localTime: '08:00', periodDays: 7 };

describe('when a report is due', () => {
  it('weekly on Monday 08:00: not before, and from then on the report covers the seven days before Monday', () => {
    // 2026-03-02 is a Monday.
    expect(duePeriod(at('2026-03-02T07:59', 'Europe/London'), 'Europe/London', WEEKLY)).toBeNull();
    const due = duePeriod(at('2026-03-02T08:00', 'Europe/London'), 'Europe/London', WEEKLY);
    expect(due).toMatchObject({ cycleStart: '2026-03-02', sendOn: '2026-03-02', periodStart: '2026-02-23', periodEnd: '2026-03-02' });
    expect(due?.dueAt.toISOString()).toBe('2026-03-02T08:00:00.000Z');
    // Later in the same week it is still the same period: a coach who was missed then is caught up.
    expect(duePeriod(at('2026-03-08T23:59', 'Europe/London'), 'Europe/London', WEEKLY)?.periodStart).toBe('2026-02-23');
    // The next Monday before 08:00 is a new cycle whose report is not due yet.
    expect(duePeriod(at('2026-03-09T07:00', 'Europe/London'), 'Europe/London', WEEKLY)).toBeNull();
  });

  it('is decided in the coach’s own zone: the same instant is before the time in London and after it in Auckland', () => {
    const instant = at('2026-03-02T07:30', 'Europe/London'); // 20:30 on Monday in Auckland (NZDT)
    expect(duePeriod(instant, 'Europe/London', WEEKLY)).toBeNull();
    expect(duePeriod(instant, 'Pacific/Auckland', WEEKLY)).toMatchObject({ periodStart: '2026-02-23', periodEnd: '2026-03-02' });
    // …and still the previous week (Sunday night) in Los Angeles, whose Monday 08:00 is long past.
    expect(duePeriod(instant, 'America/Los_Angeles', WEEKLY)).toMatchObject({ periodStart: '2026-02-16', periodEnd: '2026-02-23' });
  });

  it('on another weekday, the period ends on that day', () => {
    const friday = { weekday: 5, localTime: '17:30', periodDays: 7 };
    expect(duePeriod(at('2026-03-06T17:29', 'Europe/Paris'), 'Europe/Paris', friday)).toBeNull();
    expect(duePeriod(at('2026-03-06T17:30', 'Europe/Paris'), 'Europe/Paris', friday)).toMatchObject({
      periodStart: '2026-02-27',
      periodEnd: '2026-03-06',
    });
    // Monday to Thursday of the week after: still before this cycle's Friday, so nothing (last week's went out).
    expect(duePeriod(at('2026-03-09T12:00', 'Europe/Paris'), 'Europe/Paris', friday)).toBeNull();
  });

  it('fortnightly cycles start every other Monday counted from 2024-01-01, whatever the run', () => {
    const fortnightly = { weekday: 1, localTime: '08:00', periodDays: 14 };
    // 2026-03-02 is 113 weeks after 2024-01-01: odd, so it is the second week of the cycle that began 2026-02-23.
    expect(reportCycle(at('2026-03-02T09:00', 'UTC'), 'UTC', fortnightly).cycleStart).toBe('2026-02-23');
    expect(duePeriod(at('2026-03-02T09:00', 'UTC'), 'UTC', fortnightly)).toMatchObject({ periodStart: '2026-02-09', periodEnd: '2026-02-23' });
    expect(reportCycle(at('2026-03-09T09:00', 'UTC'), 'UTC', fortnightly).cycleStart).toBe('2026-03-09');
    expect(duePeriod(at('2026-03-09T07:59', 'UTC'), 'UTC', fortnightly)).toBeNull();
    expect(duePeriod(at('2026-03-09T08:00', 'UTC'), 'UTC', fortnightly)).toMatchObject({ periodStart: '2026-02-23', periodEnd: '2026-03-09' });
  });

  it('across a daylight-saving change, the local time is what counts', () => {
    // London went to BST on 2026-03-29: Monday 30 March 08:00 is 07:00 UTC.
    const due = duePeriod(at('2026-03-30T08:00', 'Europe/London'), 'Europe/London', WEEKLY);
    expect(due?.dueAt.toISOString()).toBe('2026-03-30T07:00:00.000Z');
    expect(due?.periodStart).toBe('2026-03-23');
    expect(startOfLocalDay('2026-03-30', 'Europe/London').toISOString()).toBe('2026-03-29T23:00:00.000Z');
  });

  it('takes a report’s figures at the end of its period, in the coach’s zone, however late it is made', () => {
    const made = at('2026-03-02T08:00', 'Europe/London');
    const due = duePeriod(made, 'Europe/London', WEEKLY)!;
    expect(figuresAsOf(due, 'Europe/London', made).toISOString()).toBe('2026-03-02T00:00:00.000Z');
    // Made days late (the worker was down), in the same cycle: the same instant.
    const late = at('2026-03-05T15:00', 'Europe/London');
    expect(figuresAsOf(duePeriod(late, 'Europe/London', WEEKLY)!, 'Europe/London', late)).toEqual(figuresAsOf(due, 'Europe/London', made));
    // Local midnight: across the spring change in London, and far east.
    expect(figuresAsOf({ periodEnd: '2026-03-30' }, 'Europe/London', at('2026-04-01T00:00', 'UTC')).toISOString()).toBe('2026-03-29T23:00:00.000Z');
    expect(figuresAsOf({ periodEnd: '2026-03-02' }, 'Pacific/Auckland', made).toISOString()).toBe('2026-03-01T11:00:00.000Z');
    // Never after the moment it is made.
    const early = at('2026-03-01T22:00', 'UTC');
    expect(figuresAsOf({ periodEnd: '2026-03-02' }, 'Europe/London', early)).toEqual(early);
  });

  it('names a report by its coach and the first day it covers', () => {
    expect(reportKey('c0ffee00-0000-4000-8000-000000000000', '2026-02-23')).toBe('report/c0ffee00-0000-4000-8000-000000000000/2026-02-23');
  });
});
