import { describe, expect, it } from '@jest/globals';
import { occurrenceDates } from '#cairn/shared/calendar';
import {
  boundedEvents,
  checkInEvent,
  type FeedTask,
  goalEvent,
  recurringSeries,
  taskEvents,
} from '../calendar/feed-events.js';
import { etagOf, ifNoneMatchHits } from '../http/conditional-get.js';

const UPDATED = new Date('2027-01-10T09:30:00Z');
const task = (over: Partial<FeedTask> = {}): FeedTask => ({
  id: 't1',
  clientId: 'c1',
  goalTitle: 'Write better sales reports',
  title: 'Q1 report',
  notes: null,
  startDate: '2027-03-01',
  dueDate: '2027-03-08',
  recurrence: null,
  countTarget: 1,
  version: 3,
  updatedAt: UPDATED,
  ...over,
});
const noLabel = () => null;

describe('recurringSeries', () => {
  it('starts on the first real occurrence, since RFC 5545 always counts DTSTART as one', () => {
    // 2027-03-03 is a Wednesday; the first Monday after it is 2027-03-08.
    expect(
      recurringSeries({ startDate: '2027-03-03', dueDate: null, recurrence: 'FREQ=WEEKLY;BYDAY=MO' }),
    ).toEqual({
      start: '2027-03-08',
      rrule: 'FREQ=WEEKLY;BYDAY=MO',
    });
    expect(recurringSeries({ startDate: '2027-03-03', dueDate: null, recurrence: 'FREQ=DAILY' })).toEqual({
      start: '2027-03-03',
      rrule: 'FREQ=DAILY',
    });
  });

  it('ends the series on the due date, or on the rule’s own UNTIL when that is earlier, as a DATE', () => {
    expect(
      recurringSeries({ startDate: '2027-03-03', dueDate: '2027-06-30', recurrence: 'FREQ=WEEKLY;BYDAY=MO' })
        ?.rrule,
    ).toBe('FREQ=WEEKLY;UNTIL=20270630;BYDAY=MO');
    expect(
      recurringSeries({
        startDate: '2027-03-03',
        dueDate: '2027-06-30',
        recurrence: 'FREQ=DAILY;UNTIL=20270401',
      })?.rrule,
    ).toBe('FREQ=DAILY;UNTIL=20270401');
    expect(
      recurringSeries({
        startDate: '2027-03-03',
        dueDate: '2027-03-20',
        recurrence: 'FREQ=DAILY;UNTIL=20270401',
      })?.rrule,
    ).toBe('FREQ=DAILY;UNTIL=20270320');
    // A UTC UNTIL on a date rule is read as that local date, as the action plans read it.
    expect(
      recurringSeries({
        startDate: '2027-03-03',
        dueDate: null,
        recurrence: 'FREQ=DAILY;UNTIL=20270401T120000Z',
      })?.rrule,
    ).toBe('FREQ=DAILY;UNTIL=20270401');
  });

  it('keeps COUNT unless the due date ends the series first, then writes UNTIL instead', () => {
    expect(
      recurringSeries({ startDate: '2027-03-01', dueDate: '2027-12-31', recurrence: 'FREQ=WEEKLY;COUNT=4' })
        ?.rrule,
    ).toBe('FREQ=WEEKLY;COUNT=4');
    expect(
      recurringSeries({ startDate: '2027-03-01', dueDate: '2027-03-10', recurrence: 'FREQ=WEEKLY;COUNT=4' })
        ?.rrule,
    ).toBe('FREQ=WEEKLY;UNTIL=20270310');
  });

  it('yields exactly the dates the action plan computes, from the moved start', () => {
    const cases: [string, string, string | null][] = [
      ['FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH', '2027-03-03', '2027-09-30'],
      ['FREQ=MONTHLY;BYDAY=-1FR', '2027-03-03', null],
      ['FREQ=MONTHLY;BYMONTHDAY=15;COUNT=5', '2027-03-20', null],
      ['FREQ=YEARLY;BYMONTHDAY=15', '2027-03-20', null],
      ['FREQ=DAILY;INTERVAL=3;BYDAY=SA', '2027-03-03', '2027-12-31'],
      ['FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1', '2027-03-03', null],
    ];
    for (const [rule, startDate, dueDate] of cases) {
      const series = recurringSeries({ startDate, dueDate, recurrence: rule });
      expect(series).not.toBeNull();
      const last = '2029-12-31';
      const fromTask = occurrenceDates(rule, startDate, startDate, dueDate ?? last);
      const fromSeries = occurrenceDates(series!.rrule, series!.start, series!.start, last);
      expect(fromSeries).toEqual(fromTask);
      expect(fromSeries[0]).toBe(series!.start);
    }
  });

  it('has no series when no occurrence falls on or before the due date', () => {
    expect(
      recurringSeries({ startDate: '2027-03-03', dueDate: '2027-03-05', recurrence: 'FREQ=WEEKLY;BYDAY=MO' }),
    ).toBeNull();
    expect(recurringSeries({ startDate: '2027-03-03', dueDate: null, recurrence: 'not a rule' })).toBeNull();
  });
});

describe('taskEvents', () => {
  it('a one-off task: an all-day due event, and a start event when the lead time begins earlier', () => {
    const events = taskEvents(task({ notes: 'Survey enough clients first' }), noLabel);
    expect(events.map((e) => [e.uid, e.summary, e.start, e.end])).toEqual([
      ['task-t1@cairn', 'Due: Q1 report', { date: '2027-03-08' }, { date: '2027-03-09' }],
      ['task-t1-start@cairn', 'Start: Q1 report', { date: '2027-03-01' }, { date: '2027-03-02' }],
    ]);
    expect(events[0].description).toBe(
      'Goal: Write better sales reports\nAction-plan task due 2027-03-08.\nSurvey enough clients first',
    );
    expect(events[0]).toMatchObject({ sequence: 2, lastModified: UPDATED, dtstamp: UPDATED });
    expect(taskEvents(task({ startDate: '2027-03-08' }), noLabel).map((e) => e.uid)).toEqual([
      'task-t1@cairn',
    ]);
  });

  it('a recurring task: one series titled with its count target', () => {
    const [event, ...rest] = taskEvents(
      task({ title: 'Give feedback', recurrence: 'FREQ=DAILY', dueDate: null, countTarget: 3 }),
      noLabel,
    );
    expect(rest).toEqual([]);
    expect(event).toMatchObject({
      uid: 'task-t1@cairn',
      summary: 'Give feedback (×3)',
      rrule: 'FREQ=DAILY',
      start: { date: '2027-03-01' },
      end: { date: '2027-03-02' },
    });
  });

  it('names the client in a coach’s feed', () => {
    const events = taskEvents(task(), (id) => (id === 'c1' ? 'Casey Client' : null));
    expect(events.map((e) => e.summary)).toEqual([
      'Casey Client — Due: Q1 report',
      'Casey Client — Start: Q1 report',
    ]);
  });
});

describe('check-in and goal events', () => {
  it('a check-in is a timed event from opening to closing', () => {
    const event = checkInEvent(
      {
        id: 'k1',
        clientId: 'c1',
        templateName: 'Evening pulse',
        opensAt: new Date('2027-03-05T18:00:00Z'),
        closesAt: new Date('2027-03-05T19:00:00Z'),
        createdAt: UPDATED,
      },
      noLabel,
    );
    expect(event).toMatchObject({
      uid: 'checkin-k1@cairn',
      summary: 'Check-in: Evening pulse',
      start: { utc: new Date('2027-03-05T18:00:00Z') },
      end: { utc: new Date('2027-03-05T19:00:00Z') },
    });
  });

  it('a goal target is an all-day event', () => {
    const event = goalEvent(
      {
        id: 'g1',
        clientId: 'c1',
        title: 'Lead the team',
        status: 'ACTIVE',
        targetDate: '2027-06-30',
        version: 1,
        updatedAt: UPDATED,
      },
      noLabel,
    );
    expect(event).toMatchObject({
      uid: 'goal-g1@cairn',
      summary: 'Goal target: Lead the team',
      start: { date: '2027-06-30' },
      end: { date: '2027-07-01' },
      sequence: 0,
    });
  });
});

describe('boundedEvents', () => {
  it('orders by start then UID and keeps the earliest, saying when some were left out', () => {
    const at = (uid: string, date: string) =>
      goalEvent(
        {
          id: uid,
          clientId: 'c',
          title: uid,
          status: 'ACTIVE',
          targetDate: date,
          version: 1,
          updatedAt: UPDATED,
        },
        noLabel,
      );
    const events = [at('b', '2027-03-02'), at('c', '2027-03-01'), at('a', '2027-03-02')];
    expect(boundedEvents(events, 5).events.map((e) => e.uid)).toEqual([
      'goal-c@cairn',
      'goal-a@cairn',
      'goal-b@cairn',
    ]);
    expect(boundedEvents(events, 5).truncated).toBe(false);
    const cut = boundedEvents(events, 2);
    expect(cut.events.map((e) => e.uid)).toEqual(['goal-c@cairn', 'goal-a@cairn']);
    expect(cut.truncated).toBe(true);
  });
});

describe('conditional GET', () => {
  it('tags a body by its content', () => {
    expect(etagOf('BEGIN:VCALENDAR')).toBe(etagOf('BEGIN:VCALENDAR'));
    expect(etagOf('BEGIN:VCALENDAR')).not.toBe(etagOf('BEGIN:VCALENDAR '));
    expect(etagOf('x')).toMatch(/^"[A-Za-z0-9_-]{43}"$/);
  });

  it('matches If-None-Match by weak comparison, in lists and for *', () => {
    const tag = etagOf('body');
    expect(ifNoneMatchHits(undefined, tag)).toBe(false);
    expect(ifNoneMatchHits(tag, tag)).toBe(true);
    expect(ifNoneMatchHits(`W/${tag}`, tag)).toBe(true);
    expect(ifNoneMatchHits(`"other", ${tag}`, tag)).toBe(true);
    expect(ifNoneMatchHits('*', tag)).toBe(true);
    expect(ifNoneMatchHits('"other"', tag)).toBe(false);
  });
});
