import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import type { Job, Queue } from 'bullmq';
import { AppConfig } from '#cairn/shared/config';
import { fanOutToTenants, JobHandler, periodOf, QueueName, scheduleEvery, type TenantJobData } from '#cairn/shared/queue';
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
  async fanOut(): Promise<{ tenants: number; period: string }> {
    const period = periodOf(new Date(), scheduleEvery('supporters.digest-sweep'));
    if (this.config.NUDGES_PAUSED) {
      this.logger.warn(`Nudges are paused (NUDGES_PAUSED): no supporter digests for ${period}`);
      return { tenants: 0, period };
    }
    const tenants = await this.planner.tenantsWithSupporters();
    return { tenants: await fanOutToTenants(this.queue, 'supporters.digest-tenant', tenants, period), period };
  }

  @JobHandler('supporters.digest-tenant')
  async plan(job: Job<TenantJobData>): Promise<TenantDigestResult | { paused: true }> {
    if (this.config.NUDGES_PAUSED) return { paused: true };
    return this.planner.planTenant(job.data.tenantId);
  }
}
