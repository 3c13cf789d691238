import { getQueueToken } from '@nestjs/bullmq';
import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Queue } from 'bullmq';
import { QueueName } from './job-catalog.js';

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

/** Redis and queue checks for readiness; also keeps Redis errors from crashing a process that has no Redis yet. */
@Injectable()
export class QueueHealth implements OnModuleInit {
  private readonly logger = new Logger('Queues');
  private readonly queues: Queue[] = [];
  private lastErrorLog = 0;

  constructor(private readonly moduleRef: ModuleRef) {}

  onModuleInit(): void {
    for (const name of Object.values(QueueName)) {
      const queue = this.moduleRef.get<Queue>(getQueueToken(name), { strict: false });
      // An EventEmitter 'error' without a listener would throw: log it, at most every 10 s.
      queue.on('error', (error) => {
        if (Date.now() - this.lastErrorLog > 10_000) {
          this.lastErrorLog = Date.now();
          this.logger.warn(`Queue ${name}: ${error.message}`);
        }
      });
      this.queues.push(queue);
    }
  }

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
