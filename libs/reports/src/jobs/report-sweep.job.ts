import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import type { Job, Queue } from 'bullmq';
import { AppConfig } from '#cairn/shared/config';
import { JobHandler, QueueName, sweepTenants, type TenantJobData } from '#cairn/shared/queue';
import { ReportPlanner, TenantReportResult } from '../planning/report-planner.service.js';

@Injectable()
export class ReportSweepJob {
  private readonly logger = new Logger('Reports');

  constructor(
    private readonly config: AppConfig,
    private readonly planner: ReportPlanner,
    @InjectQueue(QueueName.REPORTS) private readonly queue: Queue,
  ) {}

  /** Every 15 minutes: one plan job per tenant that may have a coach due (id: tenant and slot). */
  @JobHandler('reports.sweep')
  fanOut(): Promise<{ tenants: number; period: string }> {
    return sweepTenants({
      queue: this.queue,
      sweep: 'reports.sweep',
      job: 'reports.plan-tenant',
      pause: { name: 'REPORTS_PAUSED', on: this.config.REPORTS_PAUSED },
      logger: this.logger,
      tenants: () => this.planner.tenantsToReport(),
    });
  }

  @JobHandler('reports.plan-tenant')
  async plan(job: Job<TenantJobData>): Promise<TenantReportResult | { paused: true }> {
    if (this.config.REPORTS_PAUSED) return { paused: true };
    const result = await this.planner.planTenant(job.data.tenantId);
    // One line per firm's run, with its counts: what an operator checks first when a coach says "no report".
    this.logger.log({ tenantId: job.data.tenantId, period: job.data.period, ...result }, 'Report run');
    return result;
  }
}
