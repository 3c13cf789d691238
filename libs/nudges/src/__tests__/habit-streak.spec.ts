import { describe, expect, it } from '@jest/globals';
import { addDays, occurrenceDates, parseRecurrence } from '#cairn/shared/calendar';
import {
  STREAK_LOOKBACK,
  streakMilestonesReached,
  streakUnit,
  type StreakCompletion,
} from '../rules/habit-streak.js';

const START = '2026-03-01';
const days = (n: number, from = START) => Array.from({ length: n }, (_, i) => addDays(from, i));
/** A log written on the evening of `date` (UTC), or at `at`. */
const log = (date: string, count = 1, at = `${date}T19:00:00Z`): StreakCompletion => ({
  occurrenceOn: date,
  count,
  loggedAt: new Date(at),
});
const when = (reached: Map<number, Date>) =>
  Object.fromEntries([...reached].map(([n, at]) => [n, at.toISOString()]));

describe('streak milestones of a habit', () => {
  it('a daily habit met 7 days running reaches 7 with the seventh log, and nothing longer', () => {
    const occurrences = days(8); // the 8th is today, not logged yet: pending, it breaks nothing
    const reached = streakMilestonesReached(
      occurrences,
      days(7).map((d) => log(d)),
      1,
    );
    expect(when(reached)).toEqual({ 7: '2026-03-07T19:00:00.000Z' });
  });

  it('6 met occurrences, or a run broken by one miss, reach nothing', () => {
    expect(
      streakMilestonesReached(
        days(7),
        days(6).map((d) => log(d)),
        1,
      ).size,
    ).toBe(0);
    const occurrences = days(13);
    const missed = occurrences[6];
    const logs = occurrences.filter((d) => d !== missed).map((d) => log(d));
    expect(streakMilestonesReached(occurrences, logs, 1).size).toBe(0);
  });

  it('an occurrence counts once its logs add up to the target, from the log that gets there', () => {
    const occurrences = days(7);
    const logs = occurrences.map((d) => log(d, 2));
    logs[3] = log(occurrences[3], 1);
    expect(streakMilestonesReached(occurrences, logs, 2).size).toBe(0);
    logs.push(log(occurrences[3], 1, '2026-03-09T08:00:00Z'));
    expect(when(streakMilestonesReached(occurrences, logs, 2))).toEqual({ 7: '2026-03-09T08:00:00.000Z' });
  });

  it('a late log that joins two runs reaches the milestone when it is written, whatever the order of the input', () => {
    const occurrences = days(10);
    const logs = occurrences.filter((d) => d !== occurrences[3]).map((d) => log(d));
    logs.unshift(log(occurrences[3], 1, '2026-03-12T10:00:00Z'));
    expect(when(streakMilestonesReached(occurrences, logs, 1))).toEqual({ 7: '2026-03-12T10:00:00.000Z' });
  });

  it('is reached by the first run of that length: a later run of the same length does not move it', () => {
    const occurrences = days(20);
    const logs = occurrences.filter((d) => d !== occurrences[9]).map((d) => log(d));
    expect(when(streakMilestonesReached(occurrences, logs, 1))).toEqual({ 7: '2026-03-07T19:00:00.000Z' });
  });

  it('a long streak reaches 7, 30 and 100 on the days it got there', () => {
    const occurrences = days(120);
    const reached = streakMilestonesReached(
      occurrences,
      occurrences.map((d) => log(d)),
      1,
    );
    expect(when(reached)).toEqual({
      7: `${occurrences[6]}T19:00:00.000Z`,
      30: `${occurrences[29]}T19:00:00.000Z`,
      100: `${occurrences[99]}T19:00:00.000Z`,
    });
    expect(STREAK_LOOKBACK).toBeGreaterThan(100);
  });

  it('counts scheduled occurrences, not calendar days; logs for other dates are ignored', () => {
    // Mondays and Thursdays: 7 in a row take three and a half weeks.
    const occurrences = occurrenceDates('FREQ=WEEKLY;BYDAY=MO,TH', '2026-03-02', '2026-03-02', '2026-03-31');
    expect(occurrences.slice(0, 7)).toEqual([
      '2026-03-02',
      '2026-03-05',
      '2026-03-09',
      '2026-03-12',
      '2026-03-16',
      '2026-03-19',
      '2026-03-23',
    ]);
    const logs = [...occurrences.slice(0, 7).map((d) => log(d)), log('2026-03-03'), log('2026-03-04')];
    expect(when(streakMilestonesReached(occurrences, logs, 1))).toEqual({ 7: '2026-03-23T19:00:00.000Z' });
    // A skipped Thursday breaks it even though a Wednesday was logged.
    const broken = logs.filter((l) => l.occurrenceOn !== '2026-03-12');
    expect(streakMilestonesReached(occurrences, broken, 1).size).toBe(0);
  });
});

describe('what a streak counts', () => {
  it('days and weeks for plain daily and weekly habits, times otherwise', () => {
    const unit = (rule: string) => streakUnit(parseRecurrence(rule));
    expect(unit('FREQ=DAILY')).toBe('days');
    expect(unit('FREQ=DAILY;COUNT=60')).toBe('days');
    expect(unit('FREQ=WEEKLY')).toBe('weeks');
    expect(unit('FREQ=WEEKLY;BYDAY=FR')).toBe('weeks');
    expect(unit('FREQ=WEEKLY;BYDAY=MO,TH')).toBe('times');
    expect(unit('FREQ=DAILY;INTERVAL=2')).toBe('times');
    expect(unit('FREQ=MONTHLY')).toBe('times');
  });
});
