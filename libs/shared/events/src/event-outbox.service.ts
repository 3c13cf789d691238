import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { randomUUID } from 'node:crypto';
import { jsonRecords, type TenantTransaction } from '#cairn/shared/database';
import type {
  DetailsOf,
  DomainEventDetails,
  DomainEventName,
  DomainEvents,
  EventExtra,
  RecordedEvent,
} from './domain-events.js';
import { type EventSubscriber, SubscribesTo } from './event-subscriber.js';

/** The extra part is required exactly when the event has details. */
type ExtraArg<N extends DomainEventName> = N extends keyof DomainEventDetails
  ? [extra: EventExtra<N>]
  : [extra?: EventExtra<N>];
/** Per payload, in the same order. */
type ExtrasArg<N extends DomainEventName> = N extends keyof DomainEventDetails
  ? [extras: readonly EventExtra<N>[]]
  : [extras?: readonly EventExtra<N>[]];

export interface EmittedEvent {
  eventId: string;
  /** Outward deliveries the subscribers scheduled for it (webhooks: one per subscribed, enabled endpoint). */
  deliveries: number;
}

/**
 * The transactional outbox. Call it inside the transaction that makes the change: the event and whatever its
 * subscribers write commit or roll back with it, so no event is lost or sent for a change that did not happen.
 * The table is `domain_events` (StoredEvent); the payload is stored, the details are not.
 */
@Injectable()
export class EventOutbox implements OnModuleInit {
  private readonly subscribers = new Map<DomainEventName, EventSubscriber[]>();

  constructor(private readonly discovery: DiscoveryService) {}

  onModuleInit(): void {
    const seen = new Set<unknown>();
    for (const wrapper of this.discovery.getProviders({ metadataKey: SubscribesTo.KEY })) {
      // Two instances of one subscriber would deliver everything twice; a request-scoped one has no instance.
      if (seen.has(wrapper.metatype)) throw new Error(`Event subscriber ${wrapper.name} is provided twice`);
      if (!wrapper.isDependencyTreeStatic())
        throw new Error(`Event subscriber ${wrapper.name} must be a singleton`);
      seen.add(wrapper.metatype);
      const subscriber = wrapper.instance as EventSubscriber;
      for (const name of this.discovery.getMetadataByDecorator(SubscribesTo, wrapper) ?? []) {
        this.subscribers.set(name, [...(this.subscribers.get(name) ?? []), subscriber]);
      }
    }
  }

  /** One event; `extra` carries its details (required for events that have them) and whether it goes outward. */
  async emit<N extends DomainEventName>(
    tx: TenantTransaction,
    name: N,
    payload: DomainEvents[N],
    occurredAt: Date = new Date(),
    ...[extra]: ExtraArg<N>
  ): Promise<EmittedEvent> {
    const [emitted] = await this.record(tx, name, [payload], occurredAt, extra && [extra as EventExtra<N>]);
    return emitted;
  }

  /**
   * Many events of one name in one statement, whatever their number; results in `payloads` order, and `extras`,
   * when given, in the same order.
   */
  async emitMany<N extends DomainEventName>(
    tx: TenantTransaction,
    name: N,
    payloads: readonly DomainEvents[N][],
    occurredAt: Date = new Date(),
    ...[extras]: ExtrasArg<N>
  ): Promise<EmittedEvent[]> {
    return this.record(tx, name, payloads, occurredAt, extras as readonly EventExtra<N>[] | undefined);
  }

  private async record<N extends DomainEventName>(
    tx: TenantTransaction,
    name: N,
    payloads: readonly DomainEvents[N][],
    occurredAt: Date,
    extras: readonly EventExtra<N>[] | undefined,
  ): Promise<EmittedEvent[]> {
    if (extras && extras.length !== payloads.length)
      throw new Error(`EventOutbox.emitMany(${name}): ${payloads.length} payloads but ${extras.length} extras`);
    if (payloads.length === 0) return [];
    // Ids made here, so results follow `payloads` order whatever order the rows are written in.
    const events: RecordedEvent<N>[] = payloads.map((payload, i) => ({
      id: randomUUID(),
      name,
      payload,
      occurredAt,
      details: extras?.[i].details as DetailsOf<N>,
      outward: extras?.[i].outward ?? true,
    }));
    // One statement whatever the number of events: the rows travel as one JSON parameter, not five per event.
    const rows = events.map(({ id, payload }) => ({ id, payload }));
    await tx.db
      .insertInto('domain_events')
      .columns(['id', 'type', 'payload', 'occurred_at'])
      .expression((db) =>
        db
          .selectFrom(jsonRecords(rows, 'p', 'id uuid, payload jsonb'))
          .select((eb) => ['p.id', eb.val(name).as('type'), 'p.payload', eb.val(occurredAt).as('occurred_at')]),
      )
      .execute();
    const deliveries = events.map(() => 0);
    for (const subscriber of this.subscribers.get(name) ?? []) {
      const counts = await subscriber.onEvents(tx, name, events);
      counts?.forEach((count, i) => (deliveries[i] += count));
    }
    return events.map((event, i) => ({ eventId: event.id, deliveries: deliveries[i] }));
  }
}
