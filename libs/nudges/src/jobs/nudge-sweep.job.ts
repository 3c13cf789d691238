import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '#cairn/shared/config';
import type { Job, Queue } from 'bullmq';
import { JobHandler, QueueName, sweepTenants, type TenantJobData } from '#cairn/shared/queue';
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
  fanOut(): Promise<{ tenants: number; period: string }> {
    return sweepTenants({
      queue: this.queue,
      sweep: 'nudges.sweep',
      job: 'nudges.plan-tenant',
      pause: { name: 'NUDGES_PAUSED', on: this.config.NUDGES_PAUSED },
      logger: this.logger,
      tenants: () => this.planner.tenantsToNudge(),
    });
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
