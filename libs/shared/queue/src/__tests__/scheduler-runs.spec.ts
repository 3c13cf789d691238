import { describe, expect, it } from '@jest/globals';
import {
  isScheduledJob,
  LATE_AFTER_INTERVALS,
  parseSchedulerRecords,
  runOf,
  SchedulerRecords,
  schedulerStatus,
} from '../scheduler-runs.js';

const PURGE = { job: 'identity.purge-expired-credentials', everyMs: 60 * 60 * 1000 } as const;
const HOUR = 60 * 60 * 1000;
const NOW = Date.UTC(2026, 0, 10, 12, 0, 0);
const none = (): SchedulerRecords => ({ runs: new Map(), since: new Map() });
const ranAt = (finishedAt: number, outcome: 'completed' | 'failed' = 'completed'): SchedulerRecords => ({
  runs: new Map([[PURGE.job, { jobId: 'j', outcome, finishedAt, durationMs: 5, attempt: 1 }]]),
  since: new Map(),
});

describe('scheduler runs', () => {
  it('knows which job names are periodic', () => {
    expect(isScheduledJob('identity.purge-expired-credentials')).toBe(true);
    expect(isScheduledJob('webhooks.deliver')).toBe(false);
    expect(isScheduledJob('no.such-job')).toBe(false);
  });

  it('records a run from the job: finish time, duration, attempt; a retried failure finishes now', () => {
    expect(
      runOf({ id: 'a', processedOn: NOW - 250, finishedOn: NOW, attemptsMade: 1 }, 'completed', NOW + 5),
    ).toEqual({
      jobId: 'a',
      outcome: 'completed',
      finishedAt: NOW,
      durationMs: 250,
      attempt: 1,
    });
    expect(
      runOf({ id: 'b', processedOn: NOW - 40, finishedOn: undefined, attemptsMade: 2 }, 'failed', NOW),
    ).toEqual({
      jobId: 'b',
      outcome: 'failed',
      finishedAt: NOW,
      durationMs: 40,
      attempt: 2,
    });
  });

  it('parses the hash and skips fields that are not valid records', () => {
    const records = parseSchedulerRecords({
      [`run:${PURGE.job}`]: JSON.stringify({
        jobId: 'x',
        outcome: 'failed',
        finishedAt: NOW,
        durationMs: 3,
        attempt: 2,
      }),
      'run:check-ins.sweep': 'not json',
      'run:webhooks.purge-old': JSON.stringify({ outcome: 'maybe', finishedAt: NOW }),
      [`since:${PURGE.job}`]: String(NOW - HOUR),
      'since:check-ins.sweep': 'soon',
    });
    expect([...records.runs.keys()]).toEqual([PURGE.job]);
    expect(records.runs.get(PURGE.job)).toMatchObject({ outcome: 'failed', finishedAt: NOW, attempt: 2 });
    expect([...records.since.entries()]).toEqual([[PURGE.job, NOW - HOUR]]);
  });

  it(`is late once the last run finished more than ${LATE_AFTER_INTERVALS} intervals ago, not before`, () => {
    const scheduler = { every: HOUR, next: NOW + HOUR };
    const limit = NOW - LATE_AFTER_INTERVALS * HOUR;
    expect(schedulerStatus(PURGE, scheduler, ranAt(limit), NOW).late).toBe(false);
    expect(schedulerStatus(PURGE, scheduler, ranAt(limit - 1), NOW).late).toBe(true);
    expect(schedulerStatus(PURGE, scheduler, ranAt(NOW - HOUR), NOW)).toEqual({
      job: PURGE.job,
      queue: 'maintenance',
      registered: true,
      every: HOUR,
      lastRunAt: NOW - HOUR,
      lastOutcome: 'completed',
      lastDurationMs: 5,
      nextRunAt: NOW + HOUR,
      late: false,
    });
  });

  it('uses the registered interval over the catalogue one', () => {
    const every = 10 * HOUR;
    expect(schedulerStatus(PURGE, { every, next: NOW }, ranAt(NOW - 5 * HOUR), NOW)).toMatchObject({
      every,
      late: false,
    });
  });

  it('is late when it never ran although its scheduler has existed for more than 3 intervals', () => {
    const since = (at: number): SchedulerRecords => ({ runs: new Map(), since: new Map([[PURGE.job, at]]) });
    const scheduler = { every: HOUR, next: NOW - 3 * HOUR };
    expect(schedulerStatus(PURGE, scheduler, since(NOW - 2 * HOUR), NOW).late).toBe(false);
    expect(schedulerStatus(PURGE, scheduler, since(NOW - 4 * HOUR), NOW)).toMatchObject({
      late: true,
      lastRunAt: null,
      lastOutcome: null,
    });
    // No scheduler: nothing is due, so never having run is not late (readiness warns that none is registered).
    expect(schedulerStatus(PURGE, undefined, since(NOW - 4 * HOUR), NOW)).toMatchObject({
      registered: false,
      nextRunAt: null,
      every: HOUR,
      late: false,
    });
    // Unknown age (registered before runs were recorded): not late.
    expect(schedulerStatus(PURGE, scheduler, none(), NOW).late).toBe(false);
  });
});
