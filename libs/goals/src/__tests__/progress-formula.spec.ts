import { describe, expect, it } from '@jest/globals';
import { GoalStatus } from '../goals/goal.enums.js';
import { MeasureKind } from '../measures/measure.enums.js';
import {
  currentValue,
  GoalNode,
  MeasureFigures,
  measureProgress,
  rollUpProgress,
} from '../progress/progress-formula.js';

const figures = (f: Partial<MeasureFigures> & { kind: MeasureKind }): MeasureFigures => ({
  baseline: null,
  target: null,
  latestValue: null,
  periodTotal: null,
  ...f,
});

describe('measure progress', () => {
  it('MILESTONE is 0 until done, then 100', () => {
    expect(measureProgress(figures({ kind: MeasureKind.MILESTONE }))).toBe(0);
    expect(measureProgress(figures({ kind: MeasureKind.MILESTONE, latestValue: 1 }))).toBe(100);
    expect(measureProgress(figures({ kind: MeasureKind.MILESTONE, latestValue: 0 }))).toBe(0);
    expect(currentValue(figures({ kind: MeasureKind.MILESTONE }))).toBe(0);
  });

  it('NUMERIC moves from baseline to target, either way, clamped', () => {
    const reports = { kind: MeasureKind.NUMERIC, baseline: 0, target: 4 };
    expect(measureProgress(figures(reports))).toBe(0);
    expect(currentValue(figures(reports))).toBe(0);
    expect(measureProgress(figures({ ...reports, latestValue: 1 }))).toBe(25);
    expect(measureProgress(figures({ ...reports, latestValue: 6 }))).toBe(100);
    expect(measureProgress(figures({ ...reports, latestValue: -2 }))).toBe(0);
    const lateDays = { kind: MeasureKind.NUMERIC, baseline: 10, target: 2 };
    expect(measureProgress(figures({ ...lateDays, latestValue: 4 }))).toBe(75);
    expect(measureProgress(figures({ ...lateDays, latestValue: 12 }))).toBe(0);
  });

  it('PERCENTAGE works like NUMERIC', () => {
    expect(
      measureProgress(figures({ kind: MeasureKind.PERCENTAGE, baseline: 20, target: 80, latestValue: 50 })),
    ).toBe(50);
  });

  it('COUNT is occurrences within the period over the target, capped', () => {
    const conferences = { kind: MeasureKind.COUNT, target: 3 };
    expect(measureProgress(figures(conferences))).toBe(0);
    expect(measureProgress(figures({ ...conferences, periodTotal: 1 }))).toBeCloseTo(33.33, 1);
    expect(measureProgress(figures({ ...conferences, periodTotal: 5 }))).toBe(100);
    expect(currentValue(figures({ ...conferences, periodTotal: 2 }))).toBe(2);
  });
});

describe('goal progress roll-up', () => {
  const node = (id: string, parentId: string | null, status = GoalStatus.ACTIVE): GoalNode => ({
    id,
    parentId,
    status,
  });

  it('averages own measures and non-abandoned children with equal weight; null when nothing to measure', () => {
    const nodes = [
      node('cso', null),
      node('manager', 'cso'),
      node('reports', 'manager'),
      node('surveys', 'manager'),
      node('dropped', 'manager', GoalStatus.ABANDONED),
      node('empty', 'cso'),
    ];
    const measures = new Map<string, number[]>([
      ['reports', [50, 100]],
      ['surveys', [0]],
      ['dropped', [100]],
      ['manager', [0]],
    ]);
    const progress = rollUpProgress(nodes, measures, ['cso', 'manager', 'reports', 'surveys', 'empty']);
    expect(progress.get('reports')).toBe(75);
    expect(progress.get('surveys')).toBe(0);
    // manager: own 0, reports 75, surveys 0 (dropped is ABANDONED) → 25.
    expect(progress.get('manager')).toBe(25);
    // cso: no measures, manager 25, empty has nothing to measure → 25.
    expect(progress.get('cso')).toBe(25);
    expect(progress.get('empty')).toBeNull();
  });

  it('an ACHIEVED goal is 100 whatever its measures say, and counts as 100 for its parent', () => {
    const nodes = [node('parent', null), node('done', 'parent', GoalStatus.ACHIEVED), node('open', 'parent')];
    const progress = rollUpProgress(
      nodes,
      new Map([
        ['done', [0]],
        ['open', [50]],
      ]),
      ['parent', 'done'],
    );
    expect(progress.get('done')).toBe(100);
    expect(progress.get('parent')).toBe(75);
  });

  it('rounds to one decimal and survives a cycle in corrupted data', () => {
    const rounded = rollUpProgress([node('a', null)], new Map([['a', [100, 0, 0]]]), ['a']);
    expect(rounded.get('a')).toBe(33.3);
    const cyclic = rollUpProgress([node('x', 'y'), node('y', 'x')], new Map([['x', [40]]]), ['x', 'y']);
    // The cycle is cut where it closes: y (reached inside x's walk) does not count x back.
    expect(cyclic.get('x')).toBe(40);
    expect(cyclic.get('y')).toBeNull();
  });

  it('unknown ids are null', () => {
    expect(rollUpProgress([], new Map(), ['missing']).get('missing')).toBeNull();
  });
});
