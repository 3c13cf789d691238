import { Injectable } from '@nestjs/common';
import { SecretBox } from '#cairn/shared/auth';
import { AppConfig } from '#cairn/shared/config';
import { SystemDatabase, TenantDatabase } from '#cairn/shared/database';
import { nextAttemptAfterFailure } from '#cairn/shared/queue';
import { RequestContext } from '#cairn/shared/tenancy';
import type { DeliverJobData } from '../outbox/delivery-enqueuer.js';
import { WebhookDeliveryAttempt } from './webhook-delivery-attempt.entity.js';
import { WebhookDeliveryStatus } from './webhook-delivery-status.enum.js';
import { WebhookDelivery } from './webhook-delivery.entity.js';
import { sendWebhook, WEBHOOK_TIMEOUT_MS, webhookSignatureHeader } from './webhook-sender.js';

// A claimed delivery is not due again for this long, so a second job for the same attempt does nothing while
// the first is still sending; if the worker dies mid-attempt, the sweep picks the delivery up after it.
const CLAIM_LEASE = '2 minutes';
const SWEEP_BATCH = 500;

export type AttemptOutcome = 'delivered' | 'retrying' | 'failed' | 'skipped';

interface Claimed {
  delivery_id: string;
  delivery_created_at: Date;
  url: string;
  secret: string;
  /** Set only while the last rotation's overlap window is open. */
  previous_secret: string | null;
  event_id: string;
  event_type: string;
  payload: Record<string, unknown>;
  occurred_at: Date;
}

/** Makes delivery attempts: claims a due delivery, POSTs it signed, records the attempt and what comes next. */
@Injectable()
export class WebhookDeliverer {
  /** Per-attempt limit; a field so tests can shorten it instead of waiting ten seconds. */
  timeoutMs = WEBHOOK_TIMEOUT_MS;

  constructor(
    private readonly tenantDb: TenantDatabase,
    private readonly systemDb: SystemDatabase,
    private readonly config: AppConfig,
    private readonly box: SecretBox,
  ) {}

  /** Every due delivery of every tenant whose endpoint is enabled, oldest due first (the worker's sweep). */
  async dueDeliveries(limit = SWEEP_BATCH): Promise<DeliverJobData[]> {
    const rows: Array<{ tenant_id: string; id: string; attempt_count: number }> =
      await this.systemDb.transaction((m) =>
        m.query(
          `SELECT d.tenant_id, d.id, d.attempt_count
           FROM webhook_deliveries d
           JOIN webhook_endpoints e ON e.tenant_id = d.tenant_id AND e.id = d.endpoint_id
          WHERE d.status = 'PENDING' AND d.next_attempt_at <= now() AND e.enabled
          ORDER BY d.next_attempt_at
          LIMIT $1`,
          [limit],
        ),
      );
    return rows.map((r) => ({ tenantId: r.tenant_id, deliveryId: r.id, attempt: r.attempt_count + 1 }));
  }

  /** Attempt number `attempt` of one delivery; does nothing unless that attempt is the one due now. */
  attempt({ tenantId, deliveryId, attempt }: DeliverJobData): Promise<AttemptOutcome> {
    return RequestContext.runAs({ tenantId }, async () => {
      const claimed = await this.claim(deliveryId, attempt);
      if (!claimed) return 'skipped';
      const timestamp = Math.floor(Date.now() / 1000);
      const body = JSON.stringify({
        id: claimed.event_id,
        type: claimed.event_type,
        occurredAt: new Date(claimed.occurred_at).toISOString(),
        tenantId,
        data: claimed.payload,
      });
      const attemptedAt = new Date();
      const secrets = this.signingSecrets(claimed);
      if (!secrets) {
        return this.record(deliveryId, attempt, new Date(claimed.delivery_created_at), attemptedAt, {
          succeeded: false,
          statusCode: null,
          error:
            'The endpoint’s signing secret cannot be read with this DATA_ENCRYPTION_KEY; nothing was sent',
          durationMs: 0,
        });
      }
      const result = await sendWebhook({
        url: claimed.url,
        body,
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Cairn-Webhooks/1',
          'cairn-event-id': claimed.event_id,
          'cairn-event-type': claimed.event_type,
          'cairn-delivery-id': deliveryId,
          'cairn-timestamp': String(timestamp),
          'cairn-signature': webhookSignatureHeader(secrets, timestamp, body),
        },
        allowPrivate: this.config.WEBHOOK_ALLOW_PRIVATE_TARGETS,
        timeoutMs: this.timeoutMs,
      });
      return this.record(deliveryId, attempt, new Date(claimed.delivery_created_at), attemptedAt, result);
    });
  }

  /** The secrets to sign with, newest first; null when they were sealed under another key (recorded, retried). */
  private signingSecrets(claimed: Claimed): string[] | null {
    try {
      const current = this.box.open(claimed.secret);
      return claimed.previous_secret ? [current, this.box.open(claimed.previous_secret)] : [current];
    } catch {
      return null;
    }
  }

  private async claim(deliveryId: string, attempt: number): Promise<Claimed | null> {
    return this.tenantDb.transaction(async (tx) => {
      const [row] = await tx.manager.query(
        `WITH claimed AS (
           UPDATE webhook_deliveries d SET next_attempt_at = now() + interval '${CLAIM_LEASE}'
             FROM webhook_endpoints e
            WHERE d.tenant_id = $1 AND d.id = $2 AND d.status = 'PENDING' AND d.attempt_count = $3
              AND d.next_attempt_at <= now()
              AND e.tenant_id = d.tenant_id AND e.id = d.endpoint_id AND e.enabled
           RETURNING d.id, d.created_at, d.event_id, e.url, e.secret,
                     CASE WHEN e.previous_secret_expires_at > now() THEN e.previous_secret END AS previous_secret)
         SELECT c.id AS delivery_id, c.created_at AS delivery_created_at, c.url, c.secret, c.previous_secret,
                ev.id AS event_id, ev.type AS event_type, ev.payload, ev.occurred_at
           FROM claimed c JOIN domain_events ev ON ev.tenant_id = $1 AND ev.id = c.event_id`,
        [tx.tenantId, deliveryId, attempt - 1],
      );
      return (row as Claimed | undefined) ?? null;
    });
  }

  private record(
    deliveryId: string,
    attempt: number,
    createdAt: Date,
    attemptedAt: Date,
    result: Awaited<ReturnType<typeof sendWebhook>>,
  ): Promise<AttemptOutcome> {
    return this.tenantDb.transaction(async (tx) => {
      const now = new Date();
      const next = result.succeeded ? null : nextAttemptAfterFailure(createdAt, attempt, now);
      const outcome: AttemptOutcome = result.succeeded ? 'delivered' : next ? 'retrying' : 'failed';
      const status = {
        delivered: WebhookDeliveryStatus.DELIVERED,
        retrying: WebhookDeliveryStatus.PENDING,
        failed: WebhookDeliveryStatus.FAILED,
      }[outcome as 'delivered' | 'retrying' | 'failed'];
      const updated = await tx.repo(WebhookDelivery).update(
        { id: deliveryId, attemptCount: attempt - 1, status: WebhookDeliveryStatus.PENDING },
        {
          attemptCount: attempt,
          status,
          nextAttemptAt: next,
          lastStatusCode: result.statusCode,
          lastError: result.error,
          deliveredAt: result.succeeded ? now : null,
          failedAt: outcome === 'failed' ? now : null,
        },
      );
      // Someone else recorded this attempt (or the endpoint was deleted meanwhile): keep theirs.
      if (updated === 0) return 'skipped';
      await tx.repo(WebhookDeliveryAttempt).insert({
        deliveryId,
        attemptNumber: attempt,
        attemptedAt,
        durationMs: result.durationMs,
        statusCode: result.statusCode,
        error: result.error,
        succeeded: result.succeeded,
      });
      return outcome;
    });
  }
}
