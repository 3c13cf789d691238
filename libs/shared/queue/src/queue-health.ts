import { getQueueToken } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, Provider } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { QueueName } from './job-catalog.js';

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

const withTimeout = <T>(promise: Promise<T>, ms: number, what: string) =>
  Promise.race([
    promise,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms).unref()),
  ]);

/** Redis and queue checks for readiness. */
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
}
