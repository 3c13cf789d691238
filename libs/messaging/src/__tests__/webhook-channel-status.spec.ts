import { describe, expect, it } from '@jest/globals';
import type { EventDeliveryOutcome } from '#cairn/shared/events';
import { DeliveryChannel, DeliveryStatus } from '../deliveries/delivery.enums.js';
import type { MessageDelivery } from '../deliveries/message-delivery.entity.js';
import { withWebhookOutcome } from '../deliveries/webhook-channel-status.js';

const handedOver = (status = DeliveryStatus.SENT): MessageDelivery =>
  ({
    id: 'd',
    channel: DeliveryChannel.WEBHOOK,
    status,
    attemptCount: 0,
    nextAttemptAt: null,
    lastError:
      status === DeliveryStatus.SKIPPED ? 'No enabled webhook endpoint subscribes to nudge.sent' : null,
    sentAt: new Date('2026-12-01T09:00:00Z'),
    failedAt: null,
    webhookEventId: 'e',
  }) as MessageDelivery;

const outcome = (o: Partial<EventDeliveryOutcome>): EventDeliveryOutcome => ({
  endpoints: 2,
  delivered: 0,
  failed: 0,
  pending: 0,
  held: 0,
  attempts: 0,
  nextAttemptAt: null,
  deliveredAt: null,
  failedAt: null,
  ...o,
});

describe('withWebhookOutcome', () => {
  it('is QUEUED while any endpoint is still being tried, with the earliest next try', () => {
    const next = new Date('2026-12-01T09:00:30Z');
    expect(withWebhookOutcome(handedOver(), outcome({ pending: 2 }))).toMatchObject({
      status: DeliveryStatus.QUEUED,
      sentAt: null,
      lastError: null,
    });
    expect(
      withWebhookOutcome(
        handedOver(),
        outcome({ pending: 1, delivered: 1, attempts: 2, nextAttemptAt: next }),
      ),
    ).toMatchObject({
      status: DeliveryStatus.QUEUED,
      attemptCount: 2,
      nextAttemptAt: next,
      lastError: 'Not yet accepted by 1 of 2 webhook endpoints',
    });
  });

  it('is FAILED as soon as one endpoint gave up, even with another still being tried', () => {
    expect(withWebhookOutcome(handedOver(), outcome({ failed: 1, pending: 1, attempts: 12 }))).toMatchObject({
      status: DeliveryStatus.FAILED,
      nextAttemptAt: null,
      lastError: 'Not accepted by 1 of 2 webhook endpoints',
    });
  });

  it('stays QUEUED, saying so, while an endpoint is disabled with the event pending for it', () => {
    expect(withWebhookOutcome(handedOver(), outcome({ delivered: 1, held: 1, attempts: 1 }))).toMatchObject({
      status: DeliveryStatus.QUEUED,
      nextAttemptAt: null,
      lastError: '1 of 2 webhook endpoints disabled',
    });
  });

  it('is FAILED once an endpoint gave up and none is pending, SENT when every one accepted it', () => {
    const failedAt = new Date('2026-12-02T09:00:00Z');
    expect(
      withWebhookOutcome(handedOver(), outcome({ delivered: 1, failed: 1, attempts: 12, failedAt })),
    ).toMatchObject({
      status: DeliveryStatus.FAILED,
      attemptCount: 12,
      failedAt,
      sentAt: null,
      lastError: 'Not accepted by 1 of 2 webhook endpoints',
    });
    const deliveredAt = new Date('2026-12-01T09:00:01Z');
    expect(
      withWebhookOutcome(handedOver(), outcome({ delivered: 2, attempts: 1, deliveredAt })),
    ).toMatchObject({
      status: DeliveryStatus.SENT,
      attemptCount: 1,
      sentAt: deliveredAt,
      lastError: null,
    });
  });

  it('leaves the row as it is without deliveries to follow (purged, endpoints deleted) or when it was not sent', () => {
    expect(withWebhookOutcome(handedOver(), undefined)).toEqual(handedOver());
    expect(withWebhookOutcome(handedOver(), outcome({ endpoints: 0 }))).toEqual(handedOver());
    const skipped = handedOver(DeliveryStatus.SKIPPED);
    expect(withWebhookOutcome(skipped, outcome({ pending: 1 }))).toEqual(skipped);
  });
});
