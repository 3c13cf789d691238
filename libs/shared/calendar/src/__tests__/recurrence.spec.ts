import { describe, expect, it } from '@jest/globals';
import {
  isOccurrenceDate,
  nextOccurrenceDate,
  occurrenceDates,
  occurrenceInstants,
  parseRecurrence,
  previousOccurrenceDate,
  RecurrenceError,
} from '../recurrence.js';

const reason = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(RecurrenceError);
    return (error as Error).message;
  }
  throw new Error('expected a RecurrenceError');
};

describe('parseRecurrence', () => {
  it('canonicalises the seeds’ rules', () => {
    expect(parseRecurrence('FREQ=WEEKLY;BYDAY=MO')).toMatchObject({
      rule: 'FREQ=WEEKLY;BYDAY=MO',
      frequency: 'WEEKLY',
      interval: 1,
    });
    expect(parseRecurrence(' rrule:byday=mo,we;freq=weekly;interval=2 ').rule).toBe(
      'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE',
    );
    expect(parseRecurrence('FREQ=DAILY;').rule).toBe('FREQ=DAILY');
    expect(parseRecurrence('FREQ=MONTHLY;BYDAY=-1FR;COUNT=12')).toMatchObject({ count: 12, until: null });
    expect(parseRecurrence('FREQ=DAILY;UNTIL=20270401').until).toBe('2027-04-01');
    expect(parseRecurrence('FREQ=DAILY;UNTIL=20270401T120000Z').until).toBe('2027-04-01T12:00:00Z');
  });

  it('rejects malformed rules with a readable message', () => {
    expect(reason(() => parseRecurrence(''))).toMatch(/empty/);
    expect(reason(() => parseRecurrence('every monday'))).toMatch(/NAME=VALUE/);
    expect(reason(() => parseRecurrence('BYDAY=MO'))).toMatch(/FREQ is required/);
    expect(reason(() => parseRecurrence('FREQ=FORTNIGHTLY'))).toMatch(/Unknown frequency/);
    expect(reason(() => parseRecurrence('FREQ=DAILY;FOO=1'))).toMatch(/FOO is not a supported/);
    expect(reason(() => parseRecurrence('FREQ=DAILY;FREQ=WEEKLY'))).toMatch(/twice/);
    expect(reason(() => parseRecurrence('FREQ=WEEKLY;BYDAY=XX'))).toMatch(/BYDAY/);
    expect(reason(() => parseRecurrence('FREQ=WEEKLY;BYDAY=1MO'))).toMatch(/MONTHLY or FREQ=YEARLY/);
    expect(reason(() => parseRecurrence('FREQ=MONTHLY;BYDAY=6MO'))).toMatch(/between -5 and 5/);
    expect(reason(() => parseRecurrence('FREQ=DAILY;INTERVAL=0'))).toMatch(/INTERVAL/);
    expect(reason(() => parseRecurrence('FREQ=DAILY;INTERVAL=abc'))).toMatch(/INTERVAL/);
    expect(reason(() => parseRecurrence('FREQ=DAILY;COUNT=1001'))).toMatch(/COUNT/);
    expect(reason(() => parseRecurrence('FREQ=DAILY;COUNT=3;UNTIL=20270101'))).toMatch(/COUNT and UNTIL/);
    expect(reason(() => parseRecurrence('FREQ=DAILY;UNTIL=20270230'))).toMatch(/UNTIL/);
    expect(reason(() => parseRecurrence('FREQ=MONTHLY;BYMONTHDAY=0'))).toMatch(/BYMONTHDAY/);
    expect(reason(() => parseRecurrence('FREQ=YEARLY;BYMONTH=13'))).toMatch(/BYMONTH/);
    expect(reason(() => parseRecurrence('FREQ=WEEKLY;BYMONTHDAY=1'))).toMatch(/WEEKLY/);
    expect(reason(() => parseRecurrence('FREQ=MONTHLY;BYSETPOS=1'))).toMatch(/BYSETPOS/);
    expect(reason(() => parseRecurrence('DTSTART:20260101\nRRULE:FREQ=DAILY'))).toMatch(/only the RRULE/);
    expect(reason(() => parseRecurrence(`FREQ=DAILY;BYMONTH=${'1,'.repeat(300)}1`))).toMatch(
      /longer than 500/,
    );
  });

  it('rejects sub-daily frequencies and times of day unless asked for', () => {
    for (const freq of ['HOURLY', 'MINUTELY', 'SECONDLY']) {
      expect(reason(() => parseRecurrence(`FREQ=${freq}`))).toMatch(/not supported here/);
      expect(parseRecurrence(`FREQ=${freq}`, { allowSubDaily: true }).subDaily).toBe(true);
    }
    expect(reason(() => parseRecurrence('FREQ=DAILY;BYHOUR=9'))).toMatch(/BYHOUR/);
    expect(parseRecurrence('FREQ=DAILY;BYHOUR=9,17', { allowTimeOfDay: true }).hasTimeOfDay).toBe(true);
    expect(
      reason(() => parseRecurrence('FREQ=HOURLY;BYHOUR=9', { allowSubDaily: true, allowTimeOfDay: true })),
    ).toMatch(/cannot be combined/);
  });
});

describe('occurrenceDates', () => {
  it('weekly on Monday, from a Wednesday start', () => {
    expect(occurrenceDates('FREQ=WEEKLY;BYDAY=MO', '2026-03-04', '2026-03-01', '2026-03-31')).toEqual([
      '2026-03-09',
      '2026-03-16',
      '2026-03-23',
      '2026-03-30',
    ]);
  });

  it('daily, with a window that starts before the series and ends on its last day', () => {
    expect(occurrenceDates('FREQ=DAILY;UNTIL=20260303', '2026-03-01', '2026-02-01', '2026-03-10')).toEqual([
      '2026-03-01',
      '2026-03-02',
      '2026-03-03',
    ]);
  });

  it('COUNT counts from the start even when the window begins later', () => {
    expect(occurrenceDates('FREQ=WEEKLY;COUNT=3', '2026-01-05', '2026-01-10', '2026-12-31')).toEqual([
      '2026-01-12',
      '2026-01-19',
    ]);
  });

  it('every other week stays on the start’s weeks however old the series is', () => {
    // 2016-01-04 + 265 × 14 days = 2026-03-02.
    const dates = occurrenceDates(
      'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO',
      '2016-01-04',
      '2026-03-01',
      '2026-03-31',
    );
    expect(dates).toEqual(['2026-03-02', '2026-03-16', '2026-03-30']);
    expect(
      occurrenceDates('FREQ=WEEKLY;INTERVAL=2;BYDAY=MO', '2016-01-11', '2026-03-01', '2026-03-31'),
    ).toEqual(['2026-03-09', '2026-03-23']);
  });

  it('old series give the same answer as a full expansion (fast-forward is transparent)', () => {
    const rules = [
      'FREQ=DAILY;INTERVAL=3',
      'FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR',
      'FREQ=WEEKLY;INTERVAL=3;BYDAY=TU,SA;WKST=SU',
      'FREQ=MONTHLY;BYDAY=-1FR',
      'FREQ=MONTHLY;INTERVAL=5',
      'FREQ=MONTHLY;BYMONTHDAY=31',
      'FREQ=YEARLY;INTERVAL=2;BYMONTH=4;BYDAY=1FR',
      'FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1',
    ];
    for (const rule of rules) {
      const all = occurrenceDates(rule, '2019-01-17', '2019-01-17', '2026-06-30', { limit: 10_000 });
      const window = occurrenceDates(rule, '2019-01-17', '2025-01-01', '2026-06-30');
      expect({ rule, window }).toEqual({ rule, window: all.filter((d) => d >= '2025-01-01') });
      expect(window.length).toBeGreaterThan(0);
    }
  });

  it('long expansions are complete (the guard against endless walks never cuts a real window short)', () => {
    expect(
      occurrenceDates('FREQ=DAILY', '2016-01-01', '2016-01-01', '2026-12-31', { limit: 10_000 }),
    ).toHaveLength(4018);
    expect(
      occurrenceDates('FREQ=WEEKLY;BYDAY=MO,TH', '2016-01-01', '2016-01-01', '2026-12-31', { limit: 10_000 }),
    ).toHaveLength(1148);
  });

  it('returns at most `limit` dates and refuses silly limits', () => {
    expect(
      occurrenceDates('FREQ=DAILY', '2026-01-01', '2026-01-01', '2026-12-31', { limit: 3 }),
    ).toHaveLength(3);
    expect(
      reason(() => occurrenceDates('FREQ=DAILY', '2026-01-01', '2026-01-01', '2026-12-31', { limit: 0 })),
    ).toMatch(/limit/);
    expect(
      reason(() =>
        occurrenceDates('FREQ=DAILY', '2026-01-01', '2026-01-01', '2026-12-31', { limit: 10_001 }),
      ),
    ).toMatch(/limit/);
  });

  it('a rule that never occurs stops at the end of its window instead of walking to the year 9999', () => {
    // Work, not time: rrule reads the rule's options (through the guard's Reflect.get) once or twice per day
    // it steps through. Ten years of days is about 3,650 steps; the walk to 9999 would be some 2.9 million.
    const realGet = Reflect.get;
    let optionReads = 0;
    Reflect.get = ((...args: Parameters<typeof Reflect.get>) => {
      if (++optionReads > 1_000_000) throw new Error('the expansion walked far past its window');
      return realGet(...args);
    }) as typeof Reflect.get;
    try {
      expect(
        occurrenceDates('FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30', '2026-01-01', '2026-01-01', '2036-01-01'),
      ).toEqual([]);
      expect(nextOccurrenceDate('FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30', '2026-01-01', '2026-01-01')).toBeNull();
    } finally {
      Reflect.get = realGet;
    }
    expect(optionReads).toBeGreaterThan(0);
  });

  it('isOccurrenceDate, previous and next occurrence', () => {
    const rule = parseRecurrence('FREQ=WEEKLY;BYDAY=MO');
    expect(isOccurrenceDate(rule, '2026-03-04', '2026-03-09')).toBe(true);
    expect(isOccurrenceDate(rule, '2026-03-04', '2026-03-10')).toBe(false);
    expect(isOccurrenceDate(rule, '2026-03-04', '2026-03-02')).toBe(false); // a Monday before the start
    expect(previousOccurrenceDate(rule, '2026-03-04', '2026-03-15')).toBe('2026-03-09');
    expect(previousOccurrenceDate(rule, '2026-03-04', '2026-03-09')).toBe('2026-03-09');
    expect(previousOccurrenceDate(rule, '2026-03-04', '2026-03-08')).toBeNull();
    expect(nextOccurrenceDate(rule, '2026-03-04', '2026-03-10')).toBe('2026-03-16');
    expect(previousOccurrenceDate('FREQ=YEARLY;BYMONTH=4;BYDAY=1FR', '2020-01-01', '2026-03-01')).toBe(
      '2025-04-04',
    );
    expect(nextOccurrenceDate('FREQ=DAILY;COUNT=2', '2026-03-01', '2026-03-03')).toBeNull();
  });

  it('refuses rules with times of day and invalid dates', () => {
    expect(
      reason(() =>
        occurrenceDates('FREQ=DAILY;BYHOUR=9', '2026-01-01', '2026-01-01', '2026-01-31', {
          parse: { allowTimeOfDay: true },
        }),
      ),
    ).toMatch(/DAILY or coarser/);
    expect(reason(() => occurrenceDates('FREQ=DAILY', '2026-02-30', '2026-01-01', '2026-03-31'))).toMatch(
      /not a valid/,
    );
  });
});

describe('occurrenceInstants', () => {
  const iso = (dates: Date[]) => dates.map((d) => d.toISOString());

  it('every Friday 16:00 in London keeps 16:00 local across the March DST change', () => {
    const fridays = occurrenceInstants(
      'FREQ=WEEKLY;BYDAY=FR',
      '2026-03-06T16:00',
      'Europe/London',
      new Date('2026-03-01T00:00:00Z'),
      new Date('2026-04-11T00:00:00Z'),
    );
    // BST starts on Sunday 29 March 2026: 16:00 local is 16:00Z before and 15:00Z after.
    expect(iso(fridays)).toEqual([
      '2026-03-06T16:00:00.000Z',
      '2026-03-13T16:00:00.000Z',
      '2026-03-20T16:00:00.000Z',
      '2026-03-27T16:00:00.000Z',
      '2026-04-03T15:00:00.000Z',
      '2026-04-10T15:00:00.000Z',
    ]);
  });

  it('New York in November: daily 09:00 moves from 13:00Z to 14:00Z', () => {
    const days = occurrenceInstants(
      'FREQ=DAILY',
      '2026-10-30T09:00',
      'America/New_York',
      new Date('2026-10-31T00:00:00Z'),
      new Date('2026-11-03T00:00:00Z'),
    );
    expect(iso(days)).toEqual([
      '2026-10-31T13:00:00.000Z',
      '2026-11-01T14:00:00.000Z',
      '2026-11-02T14:00:00.000Z',
    ]);
  });

  it('a time that does not exist moves forward by the gap; an ambiguous one takes the earlier instant', () => {
    const gap = occurrenceInstants(
      'FREQ=DAILY;COUNT=3',
      '2026-03-28T01:30',
      'Europe/London',
      new Date('2026-03-01T00:00:00Z'),
      new Date('2026-04-01T00:00:00Z'),
    );
    // 29 March 01:30 does not exist in London (clocks jump 01:00 → 02:00): it becomes 02:30 BST = 01:30Z.
    expect(iso(gap)).toEqual([
      '2026-03-28T01:30:00.000Z',
      '2026-03-29T01:30:00.000Z',
      '2026-03-30T00:30:00.000Z',
    ]);
    const overlap = occurrenceInstants(
      'FREQ=DAILY;COUNT=1',
      '2026-10-25T01:30',
      'Europe/London',
      new Date('2026-10-01T00:00:00Z'),
      new Date('2026-11-01T00:00:00Z'),
    );
    expect(iso(overlap)).toEqual(['2026-10-25T00:30:00.000Z']);
  });

  it('the window is [from, to), counted in instants, and a UTC UNTIL is honoured', () => {
    const rule = 'FREQ=WEEKLY;BYDAY=FR;UNTIL=20260320T160000Z';
    const start = '2026-03-06T16:00';
    expect(
      iso(
        occurrenceInstants(
          rule,
          start,
          'Europe/London',
          new Date('2026-03-13T16:00:00Z'),
          new Date('2026-03-27T00:00:00Z'),
        ),
      ),
    ).toEqual(['2026-03-13T16:00:00.000Z', '2026-03-20T16:00:00.000Z']);
    expect(
      occurrenceInstants(
        'FREQ=WEEKLY',
        start,
        'Europe/London',
        new Date('2026-03-13T16:00:00Z'),
        new Date('2026-03-13T16:00:00Z'),
      ),
    ).toEqual([]);
  });

  it('several times a day with BYHOUR, and a limit', () => {
    const times = occurrenceInstants(
      'FREQ=DAILY;BYHOUR=9,17;BYMINUTE=0',
      '2026-06-01T09:00',
      'Asia/Tokyo',
      new Date('2026-06-01T00:00:00Z'),
      new Date('2026-06-30T00:00:00Z'),
      { limit: 3 },
    );
    expect(iso(times)).toEqual([
      '2026-06-01T00:00:00.000Z',
      '2026-06-01T08:00:00.000Z',
      '2026-06-02T00:00:00.000Z',
    ]);
  });

  it('rejects unknown zones, bad starts, and windows too wide for sub-daily rules', () => {
    const from = new Date('2026-01-01T00:00:00Z');
    const to = new Date('2026-02-01T00:00:00Z');
    expect(
      reason(() => occurrenceInstants('FREQ=DAILY', '2026-01-01T09:00', 'Mars/Olympus', from, to)),
    ).toMatch(/time zone/);
    expect(reason(() => occurrenceInstants('FREQ=DAILY', '2026-01-01', 'Europe/London', from, to))).toMatch(
      /local date-time/,
    );
    expect(
      reason(() => occurrenceInstants('FREQ=HOURLY', '2026-01-01T09:00', 'Europe/London', from, to)),
    ).toMatch(/not supported/);
    const secondly = parseRecurrence('FREQ=SECONDLY', { allowSubDaily: true });
    expect(reason(() => occurrenceInstants(secondly, '2026-01-01T09:00', 'Europe/London', from, to))).toMatch(
      /too wide/,
    );
    expect(
      occurrenceInstants(
        parseRecurrence('FREQ=HOURLY;INTERVAL=6', { allowSubDaily: true }),
        '2026-01-01T09:00',
        'UTC',
        from,
        new Date('2026-01-02T00:00:00Z'),
      ),
    ).toHaveLength(3);
  });
});
