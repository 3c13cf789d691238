import { describe, expect, it, jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import type { Job, Queue } from 'bullmq';
import type { AppConfig } from '#cairn/shared/config';
import type { TenantJobData } from '#cairn/shared/queue';
import { ReportSweepJob } from '../jobs/report-sweep.job.js';
import type { ReportPlanner } from '../planning/report-planner.service.js';

function setup(paused: boolean) {
  const calls = { tenants: 0, planned: [] as string[], added: [] as { name: string; data: TenantJobData; opts: { jobId?: string } }[] };
  const planner = {
    tenantsToReport: async () => {
      calls.tenants += 1;
      return ['t-1', 't-2'];
    },
    planTenant: async (tenantId: string) => {
      calls.planned.push(tenantId);
      return { coaches: 1, created: 1, notDue: 0, alreadyReported: 0, failed: 0 };
    },
  } as unknown as ReportPlanner;
  const queue = {
    addBulk: async (jobs: typeof calls.added) => {
      calls.added.push(...jobs);
      return [];
    },
  } as unknown as Queue;
  const job = new ReportSweepJob({ REPORTS_PAUSED: paused } as AppConfig, planner, queue);
  return { job, calls };
}

const planJob = (tenantId: string) => ({ data: { tenantId, period: '20260302T0800' } }) as Job<TenantJobData>;

describe('the report sweep', () => {
  it('fans out one plan job per tenant, named by tenant and 15-minute slot', async () => {
    const { job, calls } = setup(false);
    const result = await job.fanOut();
    expect(result.tenants).toBe(2);
    expect(result.period).toMatch(/^\d{8}T\d{2}(00|15|30|45)$/);
    expect(calls.added.map((j) => [j.name, j.data.tenantId, j.data.period])).toEqual([
      ['reports.plan-tenant', 't-1', result.period],
      ['reports.plan-tenant', 't-2', result.period],
    ]);
    expect(new Set(calls.added.map((j) => j.opts.jobId)).size).toBe(2);
    expect(await job.plan(planJob('t-1'))).toMatchObject({ created: 1 });
    expect(calls.planned).toEqual(['t-1']);
  });

  it('does nothing while REPORTS_PAUSED is set, not even jobs already fanned out', async () => {
    const { job, calls } = setup(true);
    expect((await job.fanOut()).tenants).toBe(0);
    expect(await job.plan(planJob('t-1'))).toEqual({ paused: true });
    expect(calls).toEqual({ tenants: 0, planned: [], added: [] });
  });

  it("logs one line per firm's run with its counts", async () => {
    const { job } = setup(false);
    const log = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    try {
      await job.plan(planJob('t-1'));
      expect(log).toHaveBeenCalledTimes(1);
      expect(log).toHaveBeenCalledWith(
        { tenantId: 't-1', period: '20260302T0800', coaches: 1, created: 1, notDue: 0, alreadyReported: 0, failed: 0 },
        'Report run',
      );
    } finally {
      log.mockRestore();
    }
  });
});
