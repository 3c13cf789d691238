import type { EventDeliveryOutcome } from '#cairn/shared/events';
import { DeliveryStatus } from './delivery.enums.js';
import type { MessageDelivery } from './message-delivery.entity.js';

const endpoints = (n: number) => (n === 1 ? '1 webhook endpoint' : `${n} webhook endpoints`);

/**
 * A WEBHOOK delivery as the firm's endpoints took its event: FAILED once one gave up, else QUEUED while one is
 * still being retried (or waits, disabled, for an admin), SENT when every one accepted it. The row itself only
 * says the event went into the outbox (SENT), and that is what shows once the event's deliveries are purged
 * (WEBHOOK_RETENTION_DAYS). A deleted endpoint's pending deliveries are FAILED, so it counts as not accepting.
 * Counts only, no endpoint or error details: recipients see this too; admins have `webhookDeliveries(eventId:)`.
 */
export function withWebhookOutcome(
  delivery: MessageDelivery,
  outcome: EventDeliveryOutcome | undefined,
): MessageDelivery {
  if (delivery.status !== DeliveryStatus.SENT || !outcome || outcome.endpoints === 0) return delivery;
  const of = endpoints(outcome.endpoints);
  if (outcome.failed > 0)
    return {
      ...delivery,
      status: DeliveryStatus.FAILED,
      attemptCount: outcome.attempts,
      nextAttemptAt: null,
      sentAt: null,
      failedAt: outcome.failedAt,
      lastError: `Not accepted by ${outcome.failed} of ${of}`,
    };
  if (outcome.pending > 0 || outcome.held > 0)
    return {
      ...delivery,
      status: DeliveryStatus.QUEUED,
      attemptCount: outcome.attempts,
      nextAttemptAt: outcome.nextAttemptAt,
      sentAt: null,
      lastError:
        outcome.held > 0
          ? `${outcome.held} of ${of} disabled`
          : outcome.attempts > 0
            ? `Not yet accepted by ${outcome.endpoints - outcome.delivered} of ${of}`
            : null,
    };
  return { ...delivery, attemptCount: outcome.attempts, sentAt: outcome.deliveredAt ?? delivery.sentAt };
}
