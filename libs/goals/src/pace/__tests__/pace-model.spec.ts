import { describe, expect, it as test } from '@jest/globals';
import { fc, it } from '@fast-check/jest';
import { addDays } from '#cairn/shared/calendar';
import {
  goalPaceOf,
  habitPace,
  PACE_WINDOW_DAYS,
  PaceBasis,
  paceOf,
  PaceState,
  rollUpPace,
  straightLineProgress,
  type Pace,
  type PaceInput,
} from '../pace-model.js';

// A 100-day plan from 0 to 100, judged on day 50 (today), unless a case says otherwise.
const START = '2027-01-01';
const TARGET = '2027-04-11';
const TODAY = '2027-02-20';
const plan = (over: Partial<PaceInput> = {}): PaceInput => ({
  baseline: 0,
  target: 100,
  current: 0,
  startDay: START,
  targetDay: TARGET,
  today: TODAY,
  history: [],
  ...over,
});
/** Updates 20 and 10 days before today and today, with these values; current is the last. */
const trend = (a: number, b: number, c: number, over: Partial<PaceInput> = {}) =>
  plan({
    current: c,
    history: [
      { day: addDays(TODAY, -20), value: a },
      { day: addDays(TODAY, -10), value: b },
      { day: TODAY, value: c },
    ],
    ...over,
  });

describe('pace model on crafted histories', () => {
  const cases: [string, PaceInput, Partial<Pace>][] = [
    ['no data, started today', plan({ startDay: TODAY }), { state: PaceState.ON_TRACK, basis: PaceBasis.NONE, forecastDate: null }],
    ['not started yet', plan({ startDay: addDays(TODAY, 3) }), { state: PaceState.ON_TRACK, basis: PaceBasis.NONE }],
    ['target already met', plan({ current: 100 }), { state: PaceState.AHEAD, met: true, remaining: 0 }],
    ['target overshot', plan({ current: 130 }), { state: PaceState.AHEAD, met: true, remaining: 0 }],
    ['lower is better, met', plan({ baseline: 10, target: 5, current: 4 }), { state: PaceState.AHEAD, met: true }],
    [
      'steady trend, exactly on time',
      trend(30, 40, 50),
      { state: PaceState.ON_TRACK, basis: PaceBasis.RECENT_TREND, forecastDate: TARGET, dataPoints: 3 },
    ],
    ['fast trend', trend(30, 45, 60), { state: PaceState.AHEAD, forecastDate: addDays(TODAY, 27) }],
    ['slow trend (0.6 of 1.16 a day)', trend(30, 36, 42), { state: PaceState.BEHIND }],
    ['crawling trend (0.2 of 1.32 a day)', trend(30, 32, 34), { state: PaceState.AT_RISK }],
    ['no movement', trend(30, 30, 30), { state: PaceState.AT_RISK, forecastDate: null, actualRate: 0 }],
    ['moving the wrong way', trend(40, 35, 30), { state: PaceState.AT_RISK, forecastDate: null }],
    [
      'lower is better, on trend',
      trend(70, 60, 50, { baseline: 100, target: 0 }),
      { state: PaceState.ON_TRACK, forecastDate: TARGET, remaining: 50 },
    ],
    ['target date passed', trend(30, 40, 50, { targetDay: addDays(TODAY, -1) }), { state: PaceState.AT_RISK, requiredRate: null }],
    ['due today, not met', trend(30, 40, 50, { targetDay: TODAY }), { state: PaceState.AT_RISK }],
    [
      'one update: the average since the start, on the line',
      plan({ current: 50, history: [{ day: TODAY, value: 50 }] }),
      { state: PaceState.ON_TRACK, basis: PaceBasis.SINCE_START, forecastDate: TARGET },
    ],
    ['since the start, at 40% of 50%', plan({ current: 40 }), { state: PaceState.BEHIND, basis: PaceBasis.SINCE_START }],
    ['since the start, nothing after half the time', plan(), { state: PaceState.AT_RISK, basis: PaceBasis.SINCE_START }],
    ['too early to judge (5 of 100 days)', plan({ today: addDays(START, 5) }), { state: PaceState.ON_TRACK, basis: PaceBasis.SINCE_START }],
    [
      'updates older than the window do not make a trend',
      plan({
        current: 50,
        history: [
          { day: addDays(TODAY, -PACE_WINDOW_DAYS - 5), value: 10 },
          { day: addDays(TODAY, -PACE_WINDOW_DAYS - 1), value: 50 },
        ],
      }),
      { basis: PaceBasis.SINCE_START, state: PaceState.ON_TRACK },
    ],
    ['no target date', trend(30, 40, 50, { targetDay: null }), { state: PaceState.ON_TRACK, requiredRate: null, forecastDate: addDays(TODAY, 50) }],
  ];
  test.each(cases)('%s', (_name, input, expected) => {
    const pace = paceOf(input);
    expect(pace).toMatchObject(expected);
    expect(pace.explanation.length).toBeGreaterThan(10);
  });

  test('a target equal to its baseline is met only there, and is as far from above as from below', () => {
    // fast-check's counterexample (the mirror property): the direction came from baseline → target, so one side
    // read as met and the other not.
    const at = { baseline: 193, target: 193, startDay: '2027-02-20', targetDay: null, history: [], today: '2027-02-20' };
    const below = paceOf({ ...at, current: 0 });
    const above = paceOf({ ...at, current: 386 });
    expect(below).toMatchObject({ met: false, remaining: 193 });
    expect(above).toMatchObject({ met: false, remaining: 193, state: below.state });
    expect(paceOf({ ...at, current: 193 })).toMatchObject({ met: true, remaining: 0 });
  });

  test('rates are per day towards the target', () => {
    const pace = paceOf(trend(70, 60, 50, { baseline: 100, target: 0 }));
    expect(pace.actualRate).toBeCloseTo(1);
    expect(pace.requiredRate).toBeCloseTo(1);
    expect(pace.explanation).toContain('On track');
  });

  test('the explanation names the unit and the figures', () => {
    const pace = paceOf(trend(30, 36, 42, { unit: 'reports' }));
    expect(pace.explanation).toBe(
      "Behind pace: the last 3 updates' trend is 0.6 reports/day, 1.16 reports/day needed to reach the target by 2027-04-11; at this rate the target is reached on 2027-05-28.",
    );
  });
});

describe('habits', () => {
  const days = (from: string, n: number, step = 1) => Array.from({ length: n }, (_, i) => addDays(from, i * step));

  test('a finite series is a measure from 0 to target × occurrences', () => {
    const all = days(START, 100);
    const past = all.filter((d) => d <= TODAY);
    const pace = habitPace({ countTarget: 2, allOccurrences: all, pastOccurrences: past, startDay: START, today: TODAY, logged: () => 2 });
    expect(pace.state).toBe(PaceState.ON_TRACK);
    expect(pace.remaining).toBe(200 - 2 * past.length);
    expect(pace.basis).toBe(PaceBasis.RECENT_TREND);
  });

  test('extra logs do not make up for a missed occurrence', () => {
    const all = days(START, 100);
    const past = all.filter((d) => d <= TODAY);
    const pace = habitPace({
      countTarget: 1,
      allOccurrences: all,
      pastOccurrences: past,
      startDay: START,
      today: TODAY,
      logged: (d) => (past.indexOf(d) % 2 === 0 ? 5 : 0),
    });
    expect(pace.remaining).toBe(100 - Math.ceil(past.length / 2));
    expect(pace.state).toBe(PaceState.AT_RISK);
  });

  test.each([
    [8, PaceState.ON_TRACK],
    [5, PaceState.BEHIND],
    [3, PaceState.AT_RISK],
  ])('an open-ended habit with %i of its last 8 occurrences met is %s', (metCount, state) => {
    const past = days(addDays(TODAY, -70), 11, 7);
    const recent = past.filter((d) => d < TODAY).slice(-8);
    const pace = habitPace({
      countTarget: 1,
      allOccurrences: null,
      pastOccurrences: past,
      startDay: past[0],
      today: TODAY,
      logged: (d) => (recent.indexOf(d) >= 8 - metCount ? 1 : 0),
    });
    expect(pace.state).toBe(state);
    expect(pace.basis).toBe(PaceBasis.RECENT_OCCURRENCES);
    expect(pace.forecastDate).toBeNull();
  });
});

describe('goal roll-up', () => {
  const on = paceOf(trend(30, 40, 50));
  const behind = paceOf(trend(30, 36, 42));
  const risk = paceOf(trend(30, 30, 30));

  test('the worst part decides and explains', () => {
    const goal = rollUpPace([
      { kind: 'measure', title: 'Reports', pace: on },
      { kind: 'task', title: 'Call a client', pace: risk },
      { kind: 'measure', title: 'Calls', pace: behind },
    ])!;
    expect(goal.state).toBe(PaceState.AT_RISK);
    expect(goal.explanation).toMatch(/^Task “Call a client”: At risk/);
    expect(goal.explanation).toContain('(2 of 3 parts behind)');
    expect(goal.forecastDate).toBeNull();
    expect(goal.partsBehind).toBe(2);
  });

  test('the forecast is the latest of the open parts', () => {
    const fast = paceOf(trend(30, 45, 60));
    expect(rollUpPace([{ kind: 'measure', title: 'a', pace: on }, { kind: 'measure', title: 'b', pace: fast }])!.forecastDate).toBe(TARGET);
  });

  test('without parts, progress against the straight line; without progress, nothing', () => {
    const fallback = { startDay: START, targetDay: TARGET, today: TODAY };
    expect(goalPaceOf([], { ...fallback, progress: 55 })).toMatchObject({ state: PaceState.ON_TRACK, parts: 0 });
    expect(goalPaceOf([], { ...fallback, progress: 10 })?.state).toBe(PaceState.AT_RISK);
    expect(goalPaceOf([], { ...fallback, progress: null })).toBeNull();
  });
});

describe('pace model properties', () => {
  const day = fc.integer({ min: -400, max: 400 }).map((n) => addDays(TODAY, n));
  const value = fc.oneof(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.integer({ min: -5, max: 200 }));
  const input = fc
    .record({
      baseline: value,
      target: value,
      current: value,
      startDay: day,
      targetDay: fc.option(day, { nil: null }),
      history: fc.array(fc.record({ day, value }), { maxLength: 15 }),
    })
    .map((r) => ({ ...r, today: TODAY, history: [...r.history].sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0)) }));

  it.prop([input])('never NaN or Infinity, and the forecast is never before today', (i) => {
    const pace = paceOf(i);
    for (const n of [pace.requiredRate, pace.actualRate, pace.remaining, pace.daysLeft]) {
      if (n !== null) expect(Number.isFinite(n)).toBe(true);
    }
    if (pace.forecastDate !== null) expect(pace.forecastDate >= TODAY).toBe(true);
    expect(pace.explanation).not.toMatch(/NaN|Infinity/);
  });

  // Recent updates on distinct days, a target date ahead: the model fits a trend.
  const recentDay = fc.integer({ min: -PACE_WINDOW_DAYS + 1, max: 0 }).map((n) => addDays(TODAY, n));
  const trending = fc
    .record({
      baseline: value,
      target: value,
      startDay: fc.integer({ min: -400, max: 0 }).map((n) => addDays(TODAY, n)),
      targetDay: fc.integer({ min: 0, max: 400 }).map((n) => addDays(TODAY, n)),
      history: fc.uniqueArray(fc.record({ day: recentDay, value }), { minLength: 2, maxLength: 12, selector: (p) => p.day }),
    })
    .map((r) => {
      const history = [...r.history].sort((a, b) => (a.day < b.day ? -1 : 1));
      return { ...r, today: TODAY, history, current: history.at(-1)!.value };
    });

  it.prop([trending])('on a recent trend, on track (or ahead) iff the forecast is on or before the target date', (i) => {
    const pace = paceOf(i);
    fc.pre(!pace.met);
    expect(pace.basis).toBe(PaceBasis.RECENT_TREND);
    const onTime = pace.forecastDate !== null && pace.forecastDate <= i.targetDay!;
    expect(pace.state === PaceState.AHEAD || pace.state === PaceState.ON_TRACK).toBe(onTime);
  });

  it.prop([input, fc.double({ min: 0, max: 1e5, noNaN: true })])('a farther target is never forecast earlier', (i, more) => {
    const near = paceOf(i);
    const far = paceOf({ ...i, target: i.target >= i.baseline ? i.target + more : i.target - more });
    if (near.forecastDate === null) expect(far.forecastDate === null || near.met).toBe(true);
    else if (far.forecastDate !== null) expect(far.forecastDate >= near.forecastDate).toBe(true);
  });

  it.prop([input])('lower-is-better mirrors higher-is-better', (i) => {
    const up = paceOf(i);
    const mirror = (v: number) => -v;
    const down = paceOf({
      ...i,
      baseline: mirror(i.baseline),
      target: mirror(i.target),
      current: mirror(i.current),
      history: i.history.map((p) => ({ ...p, value: mirror(p.value) })),
    });
    expect(down.state).toBe(up.state);
    expect(down.forecastDate).toBe(up.forecastDate);
  });
});

describe('the straight line the reports show', () => {
  test('is 0 at the start, 100 at the target, proportional between, clamped outside', () => {
    expect(straightLineProgress('2026-01-01', '2026-01-11', '2026-01-01')).toBe(0);
    expect(straightLineProgress('2026-01-01', '2026-01-11', '2026-01-06')).toBe(50);
    expect(straightLineProgress('2026-01-01', '2026-01-11', '2026-01-11')).toBe(100);
    expect(straightLineProgress('2026-01-01', '2026-01-11', '2025-12-01')).toBe(0);
    expect(straightLineProgress('2026-01-01', '2026-01-11', '2026-02-01')).toBe(100);
    expect(straightLineProgress('2026-01-11', '2026-01-11', '2026-01-05')).toBe(100);
  });
});

describe('habit properties', () => {
  // An open-ended or finite daily habit around today, with any logged counts (even negative or huge).
  const habit = fc
    .record({
      countTarget: fc.integer({ min: 1, max: 100 }),
      startIn: fc.integer({ min: -120, max: 10 }),
      length: fc.option(fc.integer({ min: 1, max: 200 }), { nil: null }),
      counts: fc.array(fc.integer({ min: -5, max: 500 }), { minLength: 1, maxLength: 40 }),
    })
    .map(({ countTarget, startIn, length, counts }) => {
      const startDay = addDays(TODAY, startIn);
      const upTo = (last: string) => {
        const days: string[] = [];
        for (let d = startDay; d <= last && days.length < 400; d = addDays(d, 1)) days.push(d);
        return days;
      };
      const all = length === null ? null : upTo(addDays(startDay, length - 1));
      const past = (all ?? upTo(TODAY)).filter((d) => d <= TODAY);
      const logged = (day: string) => counts[Math.abs(day.charCodeAt(9) + day.charCodeAt(8)) % counts.length];
      return { countTarget, allOccurrences: all, pastOccurrences: past, startDay, today: TODAY, logged };
    });

  it.prop([habit])('never NaN or Infinity; an open-ended habit keeping every recent occurrence is on track, else not', (h) => {
    const pace = habitPace(h);
    for (const n of [pace.requiredRate, pace.actualRate, pace.remaining]) if (n !== null) expect(Number.isFinite(n)).toBe(true);
    expect(pace.explanation).not.toMatch(/NaN|Infinity/);
    if (h.allOccurrences === null) {
      const recent = h.pastOccurrences.filter((d) => d < TODAY).slice(-8);
      const kept = recent.every((d) => h.logged(d) >= h.countTarget);
      expect(pace.state === PaceState.ON_TRACK).toBe(kept);
    }
  });
});
