import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
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
    const [recorded] = await this.recordMany(tx, type, [payload], occurredAt);
    return recorded;
  }

  /** Many events of one type in one statement, whatever their number; results in `payloads` order. */
  async recordMany(
    tx: TenantTransaction,
    type: WebhookEventType,
    payloads: WebhookEventData[],
    occurredAt: Date = new Date(),
  ): Promise<Array<{ eventId: string; deliveryIds: string[] }>> {
    if (payloads.length === 0) return [];
    // Ids made here, so results follow `payloads` whatever order the rows are written in.
    const eventIds = payloads.map(() => randomUUID());
    // One statement: the events, and a delivery for each endpoint subscribed to the type.
    const deliveries: Array<{ id: string; event_id: string }> = await tx.manager.query(
      `WITH events AS (
         INSERT INTO webhook_events (id, tenant_id, type, payload, occurred_at)
         SELECT (p->>'id')::uuid, $1, $2, p->'payload', $4 FROM jsonb_array_elements($3::jsonb) AS p
         RETURNING id),
       deliveries AS (
         INSERT INTO webhook_deliveries (tenant_id, event_id, endpoint_id, next_attempt_at)
         SELECT e.tenant_id, ev.id, e.id, now()
           FROM webhook_endpoints e CROSS JOIN events ev
          WHERE e.tenant_id = $1 AND e.enabled AND $2 = ANY (e.event_types)
         RETURNING id, event_id)
       SELECT id, event_id FROM deliveries`,
      [tx.tenantId, type, JSON.stringify(payloads.map((payload, i) => ({ id: eventIds[i], payload }))), occurredAt],
    );
    this.enqueuer.enqueueAfterCommit(
      tx,
      deliveries.map((d) => ({ tenantId: tx.tenantId, deliveryId: d.id, attempt: 1 })),
    );
    return eventIds.map((eventId) => ({
      eventId,
      deliveryIds: deliveries.filter((d) => d.event_id === eventId).map((d) => d.id),
    }));
  }
}
