import { Injectable } from '@nestjs/common';
import { SecretBox } from '#cairn/shared/auth';
import { AppConfig } from '#cairn/shared/config';
import { type DeliveryChannel, DeliveryEngine, type DeliveryOutcome } from '#cairn/shared/delivery';
import { RequestContext } from '#cairn/shared/tenancy';
import type { DeliverJobData } from '../outbox/delivery-enqueuer.js';
import { type ClaimedWebhook, WebhookDeliveryStore } from './webhook-delivery-store.js';
import { sendWebhook, WEBHOOK_TIMEOUT_MS, webhookSignatureHeader } from './webhook-sender.js';

const SWEEP_BATCH = 500;

export type AttemptOutcome = 'delivered' | 'retrying' | 'failed' | 'skipped';

/**
 * The webhook channel of the delivery engine (libs/shared/delivery): its store is webhook_deliveries, its sender
 * a signed POST, with WEBHOOK_CONCURRENCY slots per process. Every POST of one delivery carries the same
 * `Cairn-Delivery-Id`, so a receiver can drop a repeat.
 */
@Injectable()
export class WebhookDeliverer implements DeliveryChannel<ClaimedWebhook> {
  readonly name = 'webhooks';
  readonly slots: number;
  /** Per-attempt limit; a field so tests can shorten it instead of waiting ten seconds. */
  timeoutMs = WEBHOOK_TIMEOUT_MS;
  private readonly engine: DeliveryEngine<ClaimedWebhook>;

  constructor(
    readonly store: WebhookDeliveryStore,
    private readonly config: AppConfig,
    private readonly box: SecretBox,
  ) {
    this.slots = config.WEBHOOK_CONCURRENCY;
    this.engine = new DeliveryEngine(this);
  }

  /** Every due delivery of every tenant whose endpoint is enabled, oldest due first (the worker's sweep). */
  dueDeliveries(limit = SWEEP_BATCH): Promise<DeliverJobData[]> {
    return this.store.due(limit);
  }

  /** Attempt number `attempt` of one delivery; does nothing unless that attempt is the one due now. */
  attempt({ tenantId, deliveryId, attempt }: DeliverJobData): Promise<AttemptOutcome> {
    return RequestContext.runAs({ tenantId }, async () => {
      const result = (await this.engine.run([{ deliveryId, attempt }])).get(deliveryId) ?? 'skipped';
      return result === 'sent' ? 'delivered' : result;
    });
  }

  async send(claimed: ClaimedWebhook): Promise<DeliveryOutcome> {
    const secrets = this.signingSecrets(claimed);
    if (!secrets) {
      return {
        sent: false,
        statusCode: null,
        error: 'The endpoint’s signing secret cannot be read with this DATA_ENCRYPTION_KEY; nothing was sent',
        durationMs: 0,
      };
    }
    const timestamp = Math.floor(Date.now() / 1000);
    const body = JSON.stringify({
      id: claimed.eventId,
      type: claimed.eventType,
      occurredAt: claimed.occurredAt.toISOString(),
      tenantId: claimed.tenantId,
      data: claimed.payload,
    });
    const result = await sendWebhook({
      url: claimed.url,
      body,
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Cairn-Webhooks/1',
        'cairn-event-id': claimed.eventId,
        'cairn-event-type': claimed.eventType,
        'cairn-delivery-id': claimed.deliveryId,
        'cairn-timestamp': String(timestamp),
        'cairn-signature': webhookSignatureHeader(secrets, timestamp, body),
      },
      allowPrivate: this.config.WEBHOOK_ALLOW_PRIVATE_TARGETS,
      timeoutMs: this.timeoutMs,
    });
    return result.succeeded
      ? { sent: true, statusCode: result.statusCode, durationMs: result.durationMs }
      : {
          sent: false,
          statusCode: result.statusCode,
          error: result.error ?? `HTTP ${result.statusCode}`,
          durationMs: result.durationMs,
        };
  }

  /** The secrets to sign with, newest first; null when they were sealed under another key (recorded, retried). */
  private signingSecrets(claimed: ClaimedWebhook): string[] | null {
    try {
      const current = this.box.open(claimed.secret);
      return claimed.previousSecret ? [current, this.box.open(claimed.previousSecret)] : [current];
    } catch {
      return null;
    }
  }
}
