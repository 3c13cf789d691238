import { InjectQueue } from '@nestjs/bullmq';
import { Mutation, Resolver } from '@nestjs/graphql';
import type { Queue } from 'bullmq';
import { Role, Roles } from '#cairn/shared/auth';
import { AppConfig } from '#cairn/shared/config';
import { enqueueTenantRun, QueueName } from '#cairn/shared/queue';
import { RequestContext } from '#cairn/shared/tenancy';
import { CoachReportRun } from './coach-report-run.model.js';

@Resolver(() => CoachReportRun)
export class CoachReportRunResolver {
  constructor(
    private readonly config: AppConfig,
    @InjectQueue(QueueName.REPORTS) private readonly queue: Queue,
  ) {}

  // No scope: API keys are refused, like updateReportPolicy.
  @Roles(Role.ADMIN)
  @Mutation(() => CoachReportRun, {
    description:
      'Admins only. Queues the firm’s coach-report run now instead of at the next 15-minute sweep. Only coaches whose report is due (reportPolicy weekday and time passed in their zone) get one, and at most one per cycle: running it again, or with the scheduled run, makes nothing twice.',
  })
  async runCoachReportNow(): Promise<CoachReportRun> {
    const run = await enqueueTenantRun(this.queue, 'reports.sweep', 'reports.plan-tenant', RequestContext.requireTenantId());
    return { ...run, paused: this.config.REPORTS_PAUSED };
  }
}
