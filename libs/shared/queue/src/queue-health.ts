import { getQueueToken } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, Provider } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { JOB_CATALOG, JOB_SCHEDULES, QueueName } from './job-catalog.js';
import { readSchedulerRecords, schedulerStatus, SchedulerStatus } from './scheduler-runs.js';
import { withTimeout } from './timeout.js';

const ALL_QUEUES = Symbol('ALL_QUEUES');
const logger = new Logger('Queues');

/**
 * Every queue, with an 'error' listener attached the moment the queues exist: an EventEmitter 'error'
 * without a listener would reach stderr raw (or throw). Logged at most every 10 s per queue.
 */
export const allQueuesProvider: Provider = {
  provide: ALL_QUEUES,
  inject: Object.values(QueueName).map((name) => getQueueToken(name)),
  useFactory: (...queues: Queue[]) => {
    for (const queue of queues) {
      let lastLog = 0;
      queue.on('error', (error) => {
        if (Date.now() - lastLog < 10_000) return;
        lastLog = Date.now();
        logger.warn(`Queue ${queue.name}: ${error.message}`);
      });
    }
    return queues;
  },
};

export interface QueueStatus {
  name: string;
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
}

/** Every state /metrics reports a count for. */
export const JOB_STATES = ['waiting', 'active', 'delayed', 'failed', 'completed'] as const;
export type JobState = (typeof JOB_STATES)[number];

export interface QueueJobCounts {
  name: string;
  counts: Record<JobState, number>;
}

/** Redis, queue and scheduler checks for readiness and /metrics; every Redis call is bounded by `timeoutMs`. */
@Injectable()
export class QueueHealth {
  constructor(@Inject(ALL_QUEUES) private readonly queues: Queue[]) {}

  async pingRedis(timeoutMs = 1000): Promise<void> {
    await withTimeout(this.queues[0].waitUntilReady(), timeoutMs, 'Redis connection');
  }

  async queueStatuses(timeoutMs = 1000): Promise<QueueStatus[]> {
    return Promise.all(
      this.queues.map(async (queue) => {
        const counts = await withTimeout(
          queue.getJobCounts('waiting', 'active', 'delayed', 'failed'),
          timeoutMs,
          `Queue ${queue.name}`,
        );
        return {
          name: queue.name,
          waiting: counts.waiting ?? 0,
          active: counts.active ?? 0,
          delayed: counts.delayed ?? 0,
          failed: counts.failed ?? 0,
        };
      }),
    );
  }

  /** Job counts per queue in every state of {@link JOB_STATES}. */
  async jobCounts(timeoutMs = 1000): Promise<QueueJobCounts[]> {
    return Promise.all(
      this.queues.map(async (queue) => {
        const counts = await withTimeout(queue.getJobCounts(...JOB_STATES), timeoutMs, `Queue ${queue.name}`);
        return {
          name: queue.name,
          counts: Object.fromEntries(JOB_STATES.map((state) => [state, counts[state] ?? 0])) as Record<JobState, number>,
        };
      }),
    );
  }

  /**
   * Every periodic job of JOB_SCHEDULES: its BullMQ scheduler (interval, next run) and the last run the workers
   * recorded. Two reads per queue that has periodic jobs, bounded together by `timeoutMs`.
   */
  async schedulerStatuses(timeoutMs = 1000, now = Date.now()): Promise<SchedulerStatus[]> {
    const statuses = await Promise.all(
      this.queues.map(async (queue) => {
        const schedules = JOB_SCHEDULES.filter((s) => JOB_CATALOG[s.job] === queue.name);
        if (schedules.length === 0) return [];
        const [schedulers, records] = await withTimeout(
          Promise.all([queue.getJobSchedulers(0, -1), readSchedulerRecords(queue)]),
          timeoutMs,
          `Schedulers of queue ${queue.name}`,
        );
        return schedules.map((schedule) =>
          schedulerStatus(
            schedule,
            schedulers.find((s) => s.key === schedule.job),
            records,
            now,
          ),
        );
      }),
    );
    const order = JOB_SCHEDULES.map((s) => s.job);
    return statuses.flat().sort((a, b) => order.indexOf(a.job) - order.indexOf(b.job));
  }
}
