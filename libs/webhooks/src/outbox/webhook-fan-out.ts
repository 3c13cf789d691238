import { Injectable } from '@nestjs/common';
import type { TenantTransaction } from '#cairn/shared/database';
import {
  DOMAIN_EVENT_NAMES,
  type DomainEventName,
  type EventSubscriber,
  type RecordedEvent,
  SubscribesTo,
} from '#cairn/shared/events';
import { DeliveryEnqueuer } from './delivery-enqueuer.js';

/**
 * Webhooks' subscription to every domain event: one delivery per subscribed, enabled endpoint, written in the
 * emitting transaction and enqueued after it commits. Events not `outward` stay in Cairn; receivers get the
 * payload only, never an event's details.
 */
@SubscribesTo(DOMAIN_EVENT_NAMES)
@Injectable()
export class WebhookFanOut implements EventSubscriber {
  constructor(private readonly enqueuer: DeliveryEnqueuer) {}

  async onEvents<N extends DomainEventName>(
    tx: TenantTransaction,
    name: N,
    events: readonly RecordedEvent<N>[],
  ): Promise<number[]> {
    const outward = events.filter((event) => event.outward);
    if (outward.length === 0) return events.map(() => 0);
    const deliveries: Array<{ id: string; event_id: string }> = await tx.manager.query(
      `INSERT INTO webhook_deliveries (tenant_id, event_id, endpoint_id, next_attempt_at)
       SELECT e.tenant_id, ev.id, e.id, now()
         FROM webhook_endpoints e CROSS JOIN unnest($3::uuid[]) AS ev (id)
        WHERE e.tenant_id = $1 AND e.enabled AND $2 = ANY (e.event_types)
       RETURNING id, event_id`,
      [tx.tenantId, name, outward.map((event) => event.id)],
    );
    this.enqueuer.enqueueAfterCommit(
      tx,
      deliveries.map((d) => ({ tenantId: tx.tenantId, deliveryId: d.id, attempt: 1 })),
    );
    return events.map((event) => deliveries.filter((d) => d.event_id === event.id).length);
  }
}
