import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Job, Queue } from 'bullmq';
import { fanOutToTenants, JobHandler, periodOf, QueueName, scheduleEvery, type TenantJobData } from '#cairn/shared/queue';
import { OverdueAnnouncer } from '../agenda/overdue-announcer.service.js';

@Injectable()
export class AnnounceOverdueTasksJob {
  constructor(
    private readonly announcer: OverdueAnnouncer,
    @InjectQueue(QueueName.ACTION_PLANS) private readonly queue: Queue,
  ) {}

  @JobHandler('action-plans.overdue-sweep')
  async fanOut(): Promise<{ tenants: number }> {
    const now = new Date();
    const tenants = await this.announcer.tenantsWithOpenTasks(now);
    const period = periodOf(now, scheduleEvery('action-plans.overdue-sweep'));
    return { tenants: await fanOutToTenants(this.queue, 'action-plans.overdue-tenant', tenants, period) };
  }

  @JobHandler('action-plans.overdue-tenant')
  announce(job: Job<TenantJobData>): Promise<{ announced: number }> {
    return this.announcer.announce(job.data.tenantId);
  }
}
