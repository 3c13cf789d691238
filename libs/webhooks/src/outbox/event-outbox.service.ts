import { Injectable } from '@nestjs/common';
import { TenantTransaction } from '#cairn/shared/database';
import { WebhookEventType } from '../webhook-event-type.enum.js';
import { DeliveryEnqueuer } from './delivery-enqueuer.js';
import { WebhookEventData } from './webhook-event.entity.js';

/**
 * The transactional outbox. Call it inside the transaction that makes the change: the event and one delivery
 * per subscribed, enabled endpoint commit or roll back with it, so no event is lost or sent for a change that
 * did not happen.
 */
@Injectable()
export class EventOutbox {
  constructor(private readonly enqueuer: DeliveryEnqueuer) {}

  async record(
    tx: TenantTransaction,
    type: WebhookEventType,
    payload: WebhookEventData,
    occurredAt: Date = new Date(),
  ): Promise<{ eventId: string; deliveryIds: string[] }> {
    const [event] = await tx.manager.query(
      `INSERT INTO webhook_events (tenant_id, type, payload, occurred_at) VALUES ($1, $2, $3, $4) RETURNING id`,
      [tx.tenantId, type, JSON.stringify(payload), occurredAt],
    );
    const deliveries: Array<{ id: string }> = await tx.manager.query(
      `INSERT INTO webhook_deliveries (tenant_id, event_id, endpoint_id, next_attempt_at)
       SELECT tenant_id, $2, id, now() FROM webhook_endpoints
        WHERE tenant_id = $1 AND enabled AND $3 = ANY (event_types)
       RETURNING id`,
      [tx.tenantId, event.id, type],
    );
    const deliveryIds = deliveries.map((d) => d.id);
    this.enqueuer.enqueueAfterCommit(
      tx,
      deliveryIds.map((deliveryId) => ({ tenantId: tx.tenantId, deliveryId, attempt: 1 })),
    );
    return { eventId: event.id, deliveryIds };
  }
}
