import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '#cairn/shared/config';
import type { Job, Queue } from 'bullmq';
import { fanOutToTenants, JobHandler, periodOf, QueueName, scheduleEvery, type TenantJobData } from '#cairn/shared/queue';
import { NudgePlanner, TenantNudgeResult } from '../planning/nudge-planner.service.js';

@Injectable()
export class NudgeSweepJob {
  private readonly logger = new Logger('Nudges');

  constructor(
    private readonly config: AppConfig,
    private readonly planner: NudgePlanner,
    @InjectQueue(QueueName.NUDGES) private readonly queue: Queue,
  ) {}

  @JobHandler('nudges.sweep')
  async fanOut(): Promise<{ tenants: number; period: string }> {
    const period = periodOf(new Date(), scheduleEvery('nudges.sweep'));
    if (this.config.NUDGES_PAUSED) {
      this.logger.warn(`Nudges are paused (NUDGES_PAUSED): nothing planned for ${period}`);
      return { tenants: 0, period };
    }
    const tenants = await this.planner.tenantsToNudge();
    return { tenants: await fanOutToTenants(this.queue, 'nudges.plan-tenant', tenants, period), period };
  }

  @JobHandler('nudges.plan-tenant')
  async plan(job: Job<TenantJobData>): Promise<TenantNudgeResult | { paused: true }> {
    if (this.config.NUDGES_PAUSED) return { paused: true };
    const result = await this.planner.planTenant(job.data.tenantId, job.data.period);
    // One line per firm's run, with its counts: what an operator checks first when a client says "no nudge".
    this.logger.log({ tenantId: job.data.tenantId, period: job.data.period, ...result }, 'Nudge run');
    return result;
  }
}
