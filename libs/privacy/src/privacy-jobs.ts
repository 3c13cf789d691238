import type { JobsOptions, Queue } from 'bullmq';
import { jobId } from '#cairn/shared/queue';

/** Carried by every privacy job: ids only. */
export interface ExportJobData {
  tenantId: string;
  exportId: string;
}
export interface EraseJobData {
  tenantId: string;
  erasureId: string;
}

export type PrivacyJob =
  | { name: 'privacy.export-client'; data: ExportJobData; opts: JobsOptions & { jobId: string } }
  | { name: 'privacy.erase-client'; data: EraseJobData; opts: JobsOptions & { jobId: string } };

export function exportJob(data: ExportJobData): PrivacyJob {
  return {
    name: 'privacy.export-client',
    data,
    opts: {
      jobId: jobId('privacy.export-client', data.tenantId, data.exportId),
      removeOnComplete: true,
      removeOnFail: { age: 86_400 },
    },
  };
}

export function eraseJob(data: EraseJobData): PrivacyJob {
  return {
    name: 'privacy.erase-client',
    data,
    opts: {
      jobId: jobId('privacy.erase-client', data.tenantId, data.erasureId),
      // A failed step (a database error, a job still running elsewhere) is tried again from where it stopped.
      attempts: 8,
      backoff: { type: 'exponential', delay: 1000 },
      removeOnComplete: true,
      removeOnFail: { age: 7 * 86_400 },
    },
  };
}

/**
 * Adds each job, or retries it when its deterministic id is a job that failed for good: asking again (or the
 * sweep) resumes work a job gave up on. A job still waiting, delayed or running is left as it is.
 */
export async function addOrRetry(queue: Queue, jobs: readonly PrivacyJob[]): Promise<void> {
  for (const job of jobs) {
    const existing = await queue.getJob(job.opts.jobId);
    if (existing && (await existing.isFailed())) await existing.retry();
    else await queue.add(job.name, job.data, job.opts);
  }
}
