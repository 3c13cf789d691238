import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import type { JobsOptions, Queue } from 'bullmq';
import { AfterCommit, TenantTransaction } from '#cairn/shared/database';
import { jobId, QueueName } from '#cairn/shared/queue';

export const DELIVER_JOB = 'webhooks.deliver';

export interface DeliverJobData {
  tenantId: string;
  deliveryId: string;
  /** The attempt this job makes (1 for the first): part of the job id, so each attempt is enqueued once. */
  attempt: number;
}

/**
 * Removed once finished, so the sweep can enqueue the same attempt again if the job found nothing to do (for
 * example it ran before the outbox transaction committed); the claim in the database prevents a second POST.
 */
export function deliverJob(data: DeliverJobData): { name: string; data: DeliverJobData; opts: JobsOptions } {
  return {
    name: DELIVER_JOB,
    data,
    opts: {
      jobId: jobId('webhook-delivery', data.tenantId, data.deliveryId, String(data.attempt)),
      removeOnComplete: true,
      removeOnFail: true,
    },
  };
}

/**
 * The fast path: deliveries written by a transaction are enqueued right after it commits. Best effort only:
 * if Redis is down the outbox rows stay PENDING and the worker's sweep enqueues them later.
 */
@Injectable()
export class DeliveryEnqueuer {
  private readonly logger = new Logger('WebhookEnqueuer');
  private readonly batch = Symbol('webhook-deliveries');

  constructor(
    private readonly afterCommit: AfterCommit,
    @InjectQueue(QueueName.WEBHOOKS) private readonly queue: Queue,
  ) {}

  enqueueAfterCommit(tx: TenantTransaction, jobs: DeliverJobData[]): void {
    this.afterCommit.collect(tx, this.batch, jobs, (all) => this.enqueue(all));
  }

  /** Never awaited by requests: a Redis outage must not hold up or fail the change that produced the event. */
  enqueue(jobs: DeliverJobData[]): void {
    if (jobs.length === 0) return;
    this.queue.addBulk(jobs.map(deliverJob)).catch((error: Error) => {
      this.logger.warn(
        `Could not enqueue ${jobs.length} webhook deliveries (the sweep will): ${error.message}`,
      );
    });
  }
}
