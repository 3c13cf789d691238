import { Injectable } from '@nestjs/common';
import { JobHandler } from '#cairn/shared/queue';
import { PurgeCounts, WebhookRetention } from '../outbox/webhook-retention.service.js';

/** Hourly: what is past WEBHOOK_RETENTION_DAYS is small each time, so every run stays short. */
@Injectable()
export class PurgeOldWebhooksJob {
  constructor(private readonly retention: WebhookRetention) {}

  @JobHandler('webhooks.purge-old')
  run(): Promise<PurgeCounts> {
    return this.retention.purge();
  }
}
