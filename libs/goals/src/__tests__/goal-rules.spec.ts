import { describe, expect, it } from '@jest/globals';
import { canMove, horizonFits } from '../goals/goal-rules.js';
import { GoalHorizon, GoalStatus } from '../goals/goal.enums.js';
import { MeasureDirection, MeasureKind } from '../measures/measure.enums.js';
import {
  checkProgressValue,
  describeMeasure,
  periodEndOf,
  resolveMeasure,
} from '../measures/measure-rules.js';

describe('goal tree and life-cycle rules', () => {
  it('a child’s horizon may equal its parent’s or be shorter, never longer', () => {
    expect(horizonFits(GoalHorizon.LONG_TERM, GoalHorizon.MID_TERM)).toBe(true);
    expect(horizonFits(GoalHorizon.MID_TERM, GoalHorizon.MID_TERM)).toBe(true);
    expect(horizonFits(GoalHorizon.MID_TERM, GoalHorizon.IMMEDIATE)).toBe(true);
    expect(horizonFits(GoalHorizon.IMMEDIATE, GoalHorizon.MID_TERM)).toBe(false);
    expect(horizonFits(GoalHorizon.MID_TERM, GoalHorizon.LONG_TERM)).toBe(false);
  });

  it('status transitions', () => {
    expect(canMove(GoalStatus.DRAFT, GoalStatus.ACTIVE)).toBe(true);
    expect(canMove(GoalStatus.DRAFT, GoalStatus.ACHIEVED)).toBe(false);
    expect(canMove(GoalStatus.ACTIVE, GoalStatus.ACHIEVED)).toBe(true);
    expect(canMove(GoalStatus.ACHIEVED, GoalStatus.ACTIVE)).toBe(true);
    expect(canMove(GoalStatus.ABANDONED, GoalStatus.ACTIVE)).toBe(false);
    expect(canMove(GoalStatus.ACTIVE, GoalStatus.ACTIVE)).toBe(false);
  });
});

describe('measure definitions', () => {
  const codeOf = (fn: () => unknown) => {
    try {
      fn();
    } catch (error) {
      return (error as { extensions?: { fields?: { field: string }[] } }).extensions?.fields?.[0]?.field;
    }
    return undefined;
  };

  it('NUMERIC infers the direction and defaults the baseline to 0', () => {
    expect(
      resolveMeasure(MeasureKind.NUMERIC, { title: 'Reports', target: 4, unit: 'reports' }, '2026-01-01'),
    ).toMatchObject({
      baseline: 0,
      target: 4,
      direction: MeasureDirection.INCREASE,
      unit: 'reports',
      periodStart: null,
    });
    expect(
      resolveMeasure(MeasureKind.NUMERIC, { title: 'Late days', baseline: 10, target: 2 }, '2026-01-01')
        .direction,
    ).toBe(MeasureDirection.DECREASE);
    expect(
      codeOf(() =>
        resolveMeasure(
          MeasureKind.NUMERIC,
          { title: 'x', baseline: 0, target: 4, direction: MeasureDirection.DECREASE },
          '2026-01-01',
        ),
      ),
    ).toBe('direction');
    expect(
      codeOf(() => resolveMeasure(MeasureKind.NUMERIC, { title: 'x', baseline: 4, target: 4 }, '2026-01-01')),
    ).toBe('target');
    expect(codeOf(() => resolveMeasure(MeasureKind.NUMERIC, { title: 'x' }, '2026-01-01'))).toBe('target');
  });

  it('COUNT needs a whole target and a period; the period ends the day before the same date months later', () => {
    const count = resolveMeasure(
      MeasureKind.COUNT,
      { title: 'Conferences', target: 3, periodMonths: 12, unit: 'conferences' },
      '2026-01-01',
    );
    expect(count).toMatchObject({
      target: 3,
      periodStart: '2026-01-01',
      periodEnd: '2026-12-31',
      periodMonths: 12,
    });
    expect(periodEndOf('2026-01-31', 1)).toBe('2026-02-27');
    expect(
      codeOf(() =>
        resolveMeasure(MeasureKind.COUNT, { title: 'x', target: 2.5, periodMonths: 12 }, '2026-01-01'),
      ),
    ).toBe('target');
    expect(codeOf(() => resolveMeasure(MeasureKind.COUNT, { title: 'x', target: 3 }, '2026-01-01'))).toBe(
      'periodMonths',
    );
    expect(
      codeOf(() =>
        resolveMeasure(
          MeasureKind.COUNT,
          { title: 'x', target: 3, periodMonths: 12, baseline: 1 },
          '2026-01-01',
        ),
      ),
    ).toBe('baseline');
  });

  it('PERCENTAGE stays within 0–100; MILESTONE takes a title only', () => {
    expect(
      codeOf(() => resolveMeasure(MeasureKind.PERCENTAGE, { title: 'x', target: 120 }, '2026-01-01')),
    ).toBe('target');
    expect(
      codeOf(() =>
        resolveMeasure(MeasureKind.PERCENTAGE, { title: 'x', target: 80, unit: '%' }, '2026-01-01'),
      ),
    ).toBe('unit');
    expect(codeOf(() => resolveMeasure(MeasureKind.MILESTONE, { title: 'x', target: 1 }, '2026-01-01'))).toBe(
      'target',
    );
    expect(
      describeMeasure(
        MeasureKind.MILESTONE,
        resolveMeasure(MeasureKind.MILESTONE, { title: 'Offer received' }, '2026-01-01'),
      ),
    ).toBe('MILESTONE "Offer received"');
  });

  it('progress values must fit the kind', () => {
    expect(codeOf(() => checkProgressValue(MeasureKind.MILESTONE, 0.5))).toBe('value');
    expect(codeOf(() => checkProgressValue(MeasureKind.PERCENTAGE, 101))).toBe('value');
    expect(codeOf(() => checkProgressValue(MeasureKind.COUNT, 0))).toBe('value');
    expect(codeOf(() => checkProgressValue(MeasureKind.COUNT, 1.5))).toBe('value');
    expect(codeOf(() => checkProgressValue(MeasureKind.NUMERIC, -3))).toBeUndefined();
  });
});
