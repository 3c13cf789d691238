import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { JobsOptions, Queue } from 'bullmq';
import { AfterCommit, TenantTransaction } from '#cairn/shared/database';
import { jobId, QueueName } from '#cairn/shared/queue';
import { EMAIL_BATCH, type EmailAttemptRef, type SendEmailJobData } from './email-deliverer.service.js';

export const SEND_EMAIL_JOB = 'messages.send-email';

/**
 * A tenant's email attempts in send jobs of up to EMAIL_BATCH, in delivery-id order. Each job's id is derived
 * from exactly the attempts it carries (`messages.send-email/<tenant>/<digest>`), so enqueuing the same batch
 * twice adds it once; a batch cut differently is still safe, because an attempt is claimed once in the
 * database. Removed when finished, so the sweep can enqueue an attempt again if it found nothing to do yet.
 */
export function sendEmailJobs(
  tenantId: string,
  attempts: EmailAttemptRef[],
): { name: string; data: SendEmailJobData; opts: JobsOptions }[] {
  const sorted = [...attempts].sort((a, b) =>
    a.deliveryId < b.deliveryId ? -1 : a.deliveryId > b.deliveryId ? 1 : 0,
  );
  const jobs = [];
  for (let i = 0; i < sorted.length; i += EMAIL_BATCH) {
    const batch = sorted.slice(i, i + EMAIL_BATCH);
    const digest = createHash('sha256')
      .update(batch.map((a) => `${a.deliveryId}@${a.attempt}`).join(','))
      .digest('base64url')
      .slice(0, 22);
    jobs.push({
      name: SEND_EMAIL_JOB,
      data: { tenantId, attempts: batch },
      opts: { jobId: jobId(SEND_EMAIL_JOB, tenantId, digest), removeOnComplete: true, removeOnFail: true },
    });
  }
  return jobs;
}

/**
 * The fast path: emails queued by a transaction are enqueued right after it commits. Best effort: with Redis down
 * the deliveries stay QUEUED and the worker's sweep enqueues them later.
 */
@Injectable()
export class EmailEnqueuer {
  private readonly logger = new Logger('EmailEnqueuer');
  private readonly batch = Symbol('email-deliveries');

  constructor(
    private readonly afterCommit: AfterCommit,
    @InjectQueue(QueueName.MESSAGES) private readonly queue: Queue,
  ) {}

  enqueueAfterCommit(tx: TenantTransaction, attempts: EmailAttemptRef[]): void {
    const tenantId = tx.tenantId;
    this.afterCommit.collect(tx, this.batch, attempts, (all) => this.add(sendEmailJobs(tenantId, all)));
  }

  /** Due attempts of any tenants (the sweep's), in each tenant's batches. */
  enqueue(attempts: Array<EmailAttemptRef & { tenantId: string }>): void {
    const byTenant = new Map<string, EmailAttemptRef[]>();
    for (const { tenantId, deliveryId, attempt } of attempts) {
      const refs = byTenant.get(tenantId) ?? [];
      refs.push({ deliveryId, attempt });
      byTenant.set(tenantId, refs);
    }
    this.add([...byTenant].flatMap(([tenantId, refs]) => sendEmailJobs(tenantId, refs)));
  }

  private add(jobs: ReturnType<typeof sendEmailJobs>): void {
    if (jobs.length === 0) return;
    const emails = jobs.reduce((n, job) => n + job.data.attempts.length, 0);
    this.queue.addBulk(jobs).catch((error: Error) => {
      this.logger.warn(`Could not enqueue ${emails} emails (the sweep will): ${error.message}`);
    });
  }
}
