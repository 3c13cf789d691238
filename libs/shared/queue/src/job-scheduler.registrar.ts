import { getQueueToken } from '@nestjs/bullmq';
import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Queue } from 'bullmq';
import { JOB_CATALOG, JOB_SCHEDULES } from './job-catalog.js';

/**
 * Upserts every periodic job's scheduler at worker boot. Upserting by job name is idempotent, so any number
 * of replicas or restarts leave exactly one scheduler per job. Runs in the background so a worker started
 * while Redis is down keeps retrying instead of failing its boot.
 */
@Injectable()
export class JobSchedulerRegistrar implements OnApplicationBootstrap {
  private readonly logger = new Logger('JobSchedulers');

  constructor(private readonly moduleRef: ModuleRef) {}

  onApplicationBootstrap(): void {
    void this.registerAll();
  }

  async registerAll(): Promise<void> {
    for (const { job, everyMs } of JOB_SCHEDULES) {
      const queue = this.moduleRef.get<Queue>(getQueueToken(JOB_CATALOG[job]), { strict: false });
      try {
        await queue.upsertJobScheduler(job, { every: everyMs }, { name: job });
        this.logger.log(`Scheduled ${job} every ${everyMs / 1000} s`);
      } catch (error) {
        this.logger.error({ err: error }, `Could not schedule ${job}`);
      }
    }
  }
}
