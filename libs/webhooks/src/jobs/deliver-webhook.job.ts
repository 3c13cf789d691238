import { Injectable } from '@nestjs/common';
import type { Job } from 'bullmq';
import { JobHandler } from '#cairn/shared/queue';
import { AttemptOutcome, WebhookDeliverer } from '../deliveries/webhook-deliverer.service.js';
import type { DeliverJobData } from '../outbox/delivery-enqueuer.js';

@Injectable()
export class DeliverWebhookJob {
  constructor(private readonly deliverer: WebhookDeliverer) {}

  /** Receiver failures are recorded attempts, not job failures; only a database error fails (and retries) the job. */
  @JobHandler('webhooks.deliver')
  async run(job: Job<DeliverJobData>): Promise<{ outcome: AttemptOutcome }> {
    return { outcome: await this.deliverer.attempt(job.data) };
  }
}
