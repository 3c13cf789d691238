import { describe, expect, it, jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import type { Job, Queue } from 'bullmq';
import type { AppConfig } from '#cairn/shared/config';
import type { TenantJobData } from '#cairn/shared/queue';
import { NudgeSweepJob } from '../jobs/nudge-sweep.job.js';
import type { NudgePlanner, TenantNudgeResult } from '../planning/nudge-planner.service.js';

describe('NudgeSweepJob', () => {
  it("logs one line per firm's run with its counts", async () => {
    const result: TenantNudgeResult = { clients: 12, sent: 7, quiet: 2, capped: 1, optedOut: 1, failed: 0 };
    const planner = { planTenant: jest.fn(async () => result) } as unknown as NudgePlanner;
    const job = new NudgeSweepJob({ NUDGES_PAUSED: false } as AppConfig, planner, {} as Queue);
    const log = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    try {
      const data: TenantJobData = { tenantId: 't-1', period: '2026-12-06T00:00' };
      await expect(job.plan({ data } as Job<TenantJobData>)).resolves.toEqual(result);
      expect(log).toHaveBeenCalledTimes(1);
      expect(log).toHaveBeenCalledWith(
        { tenantId: 't-1', period: '2026-12-06T00:00', ...result },
        'Nudge run',
      );
    } finally {
      log.mockRestore();
    }
  });
});
