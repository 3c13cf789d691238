import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Job, Queue } from 'bullmq';
import { fanOutToTenants, JobHandler, periodOf, QueueName, scheduleEvery, type TenantJobData } from '#cairn/shared/queue';
import { CheckInLifecycleService, TenantSweepResult } from '../lifecycle/check-in-lifecycle.service.js';

@Injectable()
export class SweepCheckInsJob {
  constructor(
    private readonly lifecycle: CheckInLifecycleService,
    @InjectQueue(QueueName.CHECK_INS) private readonly queue: Queue,
  ) {}

  /** Finds the tenants with work and hands each its own job, so one firm's failure never holds up another's. */
  @JobHandler('check-ins.sweep')
  async fanOut(): Promise<{ tenants: number }> {
    const now = new Date();
    const tenants = await this.lifecycle.tenantsWithWork(now);
    return { tenants: await fanOutToTenants(this.queue, 'check-ins.sweep-tenant', tenants, periodOf(now, scheduleEvery('check-ins.sweep'))) };
  }

  @JobHandler('check-ins.sweep-tenant')
  sweepTenant(job: Job<TenantJobData>): Promise<TenantSweepResult> {
    return this.lifecycle.sweepTenant(job.data.tenantId);
  }
}
