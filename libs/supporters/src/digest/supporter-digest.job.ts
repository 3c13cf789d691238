import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import type { Job, Queue } from 'bullmq';
import { AppConfig } from '#cairn/shared/config';
import { JobHandler, QueueName, sweepTenants, type TenantJobData } from '#cairn/shared/queue';
import { SupporterDigestPlanner, type TenantDigestResult } from './supporter-digest.planner.js';

/** Shares the nudge queue and its pause switch (NUDGES_PAUSED): a digest is the supporters' nudge. */
@Injectable()
export class SupporterDigestJob {
  private readonly logger = new Logger('SupporterDigests');

  constructor(
    private readonly config: AppConfig,
    private readonly planner: SupporterDigestPlanner,
    @InjectQueue(QueueName.NUDGES) private readonly queue: Queue,
  ) {}

  @JobHandler('supporters.digest-sweep')
  fanOut(): Promise<{ tenants: number; period: string }> {
    return sweepTenants({
      queue: this.queue,
      sweep: 'supporters.digest-sweep',
      job: 'supporters.digest-tenant',
      pause: { name: 'NUDGES_PAUSED', on: this.config.NUDGES_PAUSED },
      logger: this.logger,
      tenants: () => this.planner.tenantsWithSupporters(),
    });
  }

  @JobHandler('supporters.digest-tenant')
  async plan(job: Job<TenantJobData>): Promise<TenantDigestResult | { paused: true }> {
    if (this.config.NUDGES_PAUSED) return { paused: true };
    return this.planner.planTenant(job.data.tenantId);
  }
}
