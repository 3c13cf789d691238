import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import type { JobsOptions, Queue } from 'bullmq';
import { AfterCommit, TenantTransaction } from '#cairn/shared/database';
import { jobId, QueueName } from '#cairn/shared/queue';
import type { SendEmailJobData } from './email-deliverer.service.js';

export const SEND_EMAIL_JOB = 'messages.send-email';

/** Removed when finished, so the sweep can enqueue the same attempt again if it found nothing to do yet. */
export function sendEmailJob(data: SendEmailJobData): { name: string; data: SendEmailJobData; opts: JobsOptions } {
  return {
    name: SEND_EMAIL_JOB,
    data,
    opts: {
      jobId: jobId(SEND_EMAIL_JOB, data.tenantId, data.deliveryId, String(data.attempt)),
      removeOnComplete: true,
      removeOnFail: true,
    },
  };
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

  enqueueAfterCommit(tx: TenantTransaction, jobs: SendEmailJobData[]): void {
    this.afterCommit.collect(tx, this.batch, jobs, (all) => this.enqueue(all));
  }

  enqueue(jobs: SendEmailJobData[]): void {
    if (jobs.length === 0) return;
    this.queue.addBulk(jobs.map(sendEmailJob)).catch((error: Error) => {
      this.logger.warn(`Could not enqueue ${jobs.length} emails (the sweep will): ${error.message}`);
    });
  }
}
