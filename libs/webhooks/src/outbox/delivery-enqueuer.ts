import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { JobsOptions, Queue } from 'bullmq';
import type { DataSource, EntitySubscriberInterface, QueryRunner, TransactionCommitEvent } from 'typeorm';
import type { TransactionRollbackEvent } from 'typeorm';
import { TenantTransaction } from '#cairn/shared/database';
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
export class DeliveryEnqueuer implements OnModuleInit, EntitySubscriberInterface {
  private readonly logger = new Logger('WebhookEnqueuer');
  private readonly afterCommit = new WeakMap<QueryRunner, DeliverJobData[]>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectQueue(QueueName.WEBHOOKS) private readonly queue: Queue,
  ) {}

  onModuleInit(): void {
    this.dataSource.subscribers.push(this);
  }

  enqueueAfterCommit(tx: TenantTransaction, jobs: DeliverJobData[]): void {
    const runner = tx.manager.queryRunner;
    if (!runner || jobs.length === 0) return;
    this.afterCommit.set(runner, [...(this.afterCommit.get(runner) ?? []), ...jobs]);
  }

  afterTransactionCommit(event: TransactionCommitEvent): void {
    // A released savepoint is not the commit: wait for the outermost transaction.
    if (event.queryRunner.isTransactionActive) return;
    const jobs = this.afterCommit.get(event.queryRunner);
    if (!jobs) return;
    this.afterCommit.delete(event.queryRunner);
    this.enqueue(jobs);
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    if (!event.queryRunner.isTransactionActive) this.afterCommit.delete(event.queryRunner);
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
