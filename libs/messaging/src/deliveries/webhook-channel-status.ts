import type { EventDeliveryOutcome } from '#cairn/webhooks';
import { DeliveryStatus } from './delivery.enums.js';
import type { MessageDelivery } from './message-delivery.entity.js';

const endpoints = (n: number) => (n === 1 ? '1 webhook endpoint' : `${n} webhook endpoints`);

/**
 * A WEBHOOK delivery as the firm's endpoints took its event: QUEUED while any is still being retried, FAILED
 * once one gave up, SENT when every one accepted it. The row itself only says the event went into the outbox
 * (SENT); once the event's deliveries are purged (WEBHOOK_RETENTION_DAYS), that is what is shown. An endpoint
 * deleted meanwhile counts as not accepting (its pending deliveries are FAILED). Counts only, no
 * endpoint or error details: recipients see this too, and admins have `webhookDeliveries(eventId:)`.
 */
export function withWebhookOutcome(
  delivery: MessageDelivery,
  outcome: EventDeliveryOutcome | undefined,
): MessageDelivery {
  if (delivery.status !== DeliveryStatus.SENT || !outcome || outcome.endpoints === 0) return delivery;
  const notYet = outcome.endpoints - outcome.delivered;
  if (outcome.pending > 0)
    return {
      ...delivery,
      status: DeliveryStatus.QUEUED,
      attemptCount: outcome.attempts,
      nextAttemptAt: outcome.nextAttemptAt,
      sentAt: null,
      lastError:
        outcome.attempts > 0 ? `Not yet accepted by ${notYet} of ${endpoints(outcome.endpoints)}` : null,
    };
  if (outcome.failed > 0)
    return {
      ...delivery,
      status: DeliveryStatus.FAILED,
      attemptCount: outcome.attempts,
      sentAt: null,
      failedAt: outcome.failedAt,
      lastError: `Not accepted by ${outcome.failed} of ${endpoints(outcome.endpoints)}`,
    };
  return { ...delivery, attemptCount: outcome.attempts, sentAt: outcome.deliveredAt ?? delivery.sentAt };
}
