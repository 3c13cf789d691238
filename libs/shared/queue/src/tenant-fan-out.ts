import type { JobsOptions, Queue } from 'bullmq';
import { type JobName, scheduleEvery } from './job-catalog.js';
import { jobId } from './job-id.js';

export interface TenantJobData {
  tenantId: string;
  /** The period the fan-out ran for, so a retry later still works for (and dedupes on) the same period. */
  period: string;
}

/** The period a run belongs to, as a job-id part: the start of its `everyMs` slot in UTC, e.g. `20261201T0931`. */
export function periodOf(now: Date, everyMs: number): string {
  const start = new Date(Math.floor(now.getTime() / everyMs) * everyMs);
  return start.toISOString().slice(0, 16).replace(/[-:]/g, '');
}

/**
 * One job per tenant for one period, with id `name/tenant/period`: a sweep that runs twice in a period (a
 * retry, a second replica) adds nothing new. Finished jobs are removed, because the per-tenant work is driven
 * by database state and finds nothing left to do if it runs again.
 */
export async function fanOutToTenants(
  queue: Queue,
  name: JobName,
  tenantIds: string[],
  period: string,
): Promise<number> {
  if (tenantIds.length === 0) return 0;
  const opts = (tenantId: string): JobsOptions => ({
    jobId: jobId(name, tenantId, period),
    removeOnComplete: true,
    removeOnFail: { age: 86_400 },
  });
  await queue.addBulk(
    tenantIds.map((tenantId) => ({
      name,
      data: { tenantId, period } satisfies TenantJobData,
      opts: opts(tenantId),
    })),
  );
  return tenantIds.length;
}

/** A sweep's fan-out, unless its pause switch is on. */
export interface TenantSweep {
  queue: Queue;
  sweep: JobName;
  /** The per-tenant job it adds. */
  job: JobName;
  /** The switch that holds it (NUDGES_PAUSED, REPORTS_PAUSED), by name and value: a paused sweep says so. */
  pause: { name: string; on: boolean };
  logger: { warn(message: string): unknown };
  tenants: () => Promise<string[]>;
}

/**
 * The sweep of a periodic per-tenant run: the period of `sweep`'s schedule now, and one `job` per tenant
 * `tenants` names (fanOutToTenants), or nothing, with a warning, while its pause switch is on.
 */
export async function sweepTenants(
  s: TenantSweep,
  now = new Date(),
): Promise<{ tenants: number; period: string }> {
  const period = periodOf(now, scheduleEvery(s.sweep));
  if (s.pause.on) {
    s.logger.warn(`${s.pause.name} is on: ${s.job} planned for no firm in ${period}`);
    return { tenants: 0, period };
  }
  return { tenants: await fanOutToTenants(s.queue, s.job, await s.tenants(), period), period };
}

/** What an on-demand run enqueued: the same job the scheduled sweep adds for this tenant and period. */
export interface TenantRunEnqueued {
  jobId: string;
  period: string;
}

/**
 * One tenant's plan job for the current period of `sweep`, now (an admin's "run it now"). Same id, data and
 * options as the sweep's fan-out, so while either is queued the other adds nothing; once one has run, the other
 * finds the planner's keys and ledgers taken and sends nothing twice.
 */
export async function enqueueTenantRun(
  queue: Queue,
  sweep: JobName,
  name: JobName,
  tenantId: string,
  now = new Date(),
): Promise<TenantRunEnqueued> {
  const period = periodOf(now, scheduleEvery(sweep));
  await fanOutToTenants(queue, name, [tenantId], period);
  return { jobId: jobId(name, tenantId, period), period };
}
