import { getQueueToken } from '@nestjs/bullmq';
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Queue } from 'bullmq';
import { JOB_CATALOG, JOB_SCHEDULES, JobName } from './job-catalog.js';
import { markSchedulerRegistered } from './scheduler-runs.js';

/** How often a running worker checks that its schedulers still exist. */
const RECHECK_MS = 60_000;

/**
 * Upserts every periodic job's scheduler at worker boot. Upserting by job name is idempotent, so any number
 * of replicas or restarts leave exactly one scheduler per job. Runs in the background so a worker started
 * while Redis is down keeps retrying instead of failing its boot. A Redis that restarts without persistence
 * loses the schedulers while the worker runs on, so every minute the worker puts back any that are missing.
 */
@Injectable()
export class JobSchedulerRegistrar implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('JobSchedulers');
  private recheck?: NodeJS.Timeout;

  constructor(private readonly moduleRef: ModuleRef) {}

  onApplicationBootstrap(): void {
    void this.registerAll();
    this.recheck = setInterval(() => void this.restoreMissing(), RECHECK_MS);
    this.recheck.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.recheck);
  }

  /** Registers the schedulers that are gone (Redis lost its data); returns their job names. */
  async restoreMissing(): Promise<string[]> {
    const restored: string[] = [];
    for (const { job, everyMs } of JOB_SCHEDULES) {
      const queue = this.moduleRef.get<Queue>(getQueueToken(JOB_CATALOG[job]), { strict: false });
      try {
        if (await queue.getJobScheduler(job)) continue;
        await this.register(queue, job, everyMs);
        restored.push(job);
        this.logger.warn(`Scheduler ${job} was missing (did Redis restart?); registered it again`);
      } catch (error) {
        this.logger.warn({ err: error }, `Could not check the scheduler of ${job}`);
      }
    }
    return restored;
  }

  async registerAll(): Promise<void> {
    for (const { job, everyMs } of JOB_SCHEDULES) {
      const queue = this.moduleRef.get<Queue>(getQueueToken(JOB_CATALOG[job]), { strict: false });
      try {
        await this.register(queue, job, everyMs);
        this.logger.log(`Scheduled ${job} every ${everyMs / 1000} s`);
      } catch (error) {
        this.logger.error({ err: error }, `Could not schedule ${job}`);
      }
    }
  }

  private async register(queue: Queue, job: JobName, everyMs: number): Promise<void> {
    await queue.upsertJobScheduler(job, { every: everyMs }, { name: job });
    // Kept from the first registration on: a scheduler that never runs shows as late after 3 intervals.
    await markSchedulerRegistered(queue, job);
  }
}
