import { Injectable } from '@nestjs/common';
import { JobHandler } from '#cairn/shared/queue';
import { WebhookDeliverer } from '../deliveries/webhook-deliverer.service.js';
import { DeliveryEnqueuer } from '../outbox/delivery-enqueuer.js';

/**
 * The guarantee behind the API's best-effort enqueue: every few seconds, every due delivery (the outbox rows are
 * the source of truth) gets a deliver job. Job ids name the attempt, so re-enqueueing one already queued is a no-op.
 */
@Injectable()
export class DispatchDueWebhooksJob {
  constructor(
    private readonly deliverer: WebhookDeliverer,
    private readonly enqueuer: DeliveryEnqueuer,
  ) {}

  @JobHandler('webhooks.dispatch-due')
  async run(): Promise<{ enqueued: number }> {
    const due = await this.deliverer.dueDeliveries();
    this.enqueuer.enqueue(due);
    return { enqueued: due.length };
  }
}
