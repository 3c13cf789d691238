import { describe, expect, it } from '@jest/globals';
import { GIVE_UP_AFTER_MS, nextAttemptAfterFailure, retryDelayMs } from '../retry-schedule.js';

describe('retry schedule', () => {
  it('starts at 30 s, doubles, and caps at 6 h', () => {
    expect([1, 2, 3, 4].map(retryDelayMs)).toEqual([30_000, 60_000, 120_000, 240_000]);
    expect(retryDelayMs(11)).toBe(6 * 3_600_000);
    expect(retryDelayMs(40)).toBe(6 * 3_600_000);
  });

  it('keeps retrying for a day after the delivery was created, then gives up', () => {
    const created = new Date('2026-01-01T00:00:00Z');
    const justBefore = new Date(created.getTime() + GIVE_UP_AFTER_MS - 1);
    expect(nextAttemptAfterFailure(created, 12, justBefore)).toEqual(
      new Date(justBefore.getTime() + 6 * 3_600_000),
    );
    expect(nextAttemptAfterFailure(created, 13, new Date(created.getTime() + GIVE_UP_AFTER_MS))).toBeNull();
  });

  it('the schedule covers at least 24 h of attempts', () => {
    let elapsed = 0;
    let attempts = 1;
    while (elapsed < GIVE_UP_AFTER_MS) elapsed += retryDelayMs(attempts++);
    expect(attempts).toBeGreaterThan(10);
  });
});
