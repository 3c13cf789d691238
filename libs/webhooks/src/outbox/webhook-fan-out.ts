import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
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
    const ids = outward.map((event) => event.id);
    const deliveries = await tx.db
      .insertInto('webhook_deliveries')
      .columns(['event_id', 'endpoint_id', 'next_attempt_at'])
      .expression((db) =>
        db
          .selectFrom('webhook_endpoints as e')
          .crossJoin(sql<{ id: string }>`unnest(${ids}::uuid[])`.as<'ev'>(sql.raw('ev (id)')))
          .select(['ev.id as event_id', 'e.id as endpoint_id', sql<Date>`now()`.as('next_attempt_at')])
          .where((eb) => eb.and([eb.ref('e.enabled'), sql<boolean>`${name} = ANY (${eb.ref('e.event_types')})`])),
      )
      .returning(['id', 'event_id'])
      .execute();
    this.enqueuer.enqueueAfterCommit(
      tx,
      deliveries.map((d) => ({ tenantId: tx.tenantId, deliveryId: d.id, attempt: 1 })),
    );
    return events.map((event) => deliveries.filter((d) => d.event_id === event.id).length);
  }
}
