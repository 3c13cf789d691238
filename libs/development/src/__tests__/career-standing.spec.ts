import { describe, expect, it } from '@jest/globals';
import { standingOf } from '../career-paths/career-standing.js';
import { CareerStep } from '../career-paths/career-step.entity.js';

const ladder = (years: number[]): CareerStep[] =>
  years.map((estimatedYears, i) => Object.assign(new CareerStep(), { id: `s${i + 1}`, position: i + 1, title: `Step ${i + 1}`, estimatedYears }));

describe('standingOf', () => {
  const steps = ladder([0, 3, 4, 4, 4]);

  it('counts the steps after the current one and sums their years', () => {
    expect(standingOf(steps, 's1')).toMatchObject({ stepsToGo: 4, estimatedYearsToTop: 15, atTop: false });
    expect(standingOf(steps, 's1').nextStep?.id).toBe('s2');
    expect(standingOf(steps, 's3')).toMatchObject({ stepsToGo: 2, estimatedYearsToTop: 8 });
  });

  it('at the top nothing is left', () => {
    expect(standingOf(steps, 's5')).toMatchObject({ nextStep: null, stepsToGo: 0, estimatedYearsToTop: 0, atTop: true });
  });

  it('without a current step every step is still to go', () => {
    const standing = standingOf(steps, null);
    expect(standing).toMatchObject({ currentStep: null, stepsToGo: 5, estimatedYearsToTop: 15, atTop: false });
    expect(standing.nextStep?.id).toBe('s1');
  });

  it('sums tenths exactly and handles an empty ladder', () => {
    expect(standingOf(ladder([0.1, 0.2, 0.4]), null).estimatedYearsToTop).toBe(0.7);
    expect(standingOf([], null)).toMatchObject({ topStep: null, nextStep: null, stepsToGo: 0, estimatedYearsToTop: 0, atTop: false });
  });
});
