import { DiscoveryService } from '@nestjs/core';
import type { TenantTransaction } from '#cairn/shared/database';
import type { DomainEventName, RecordedEvent } from './domain-events.js';

/**
 * A consumer of domain events (webhooks' fan-out, the notification feed). Mark the provider with `@SubscribesTo(...names)`; the
 * outbox finds it wherever the app wires it, so the emitting domain never names its consumers.
 */
export interface EventSubscriber {
  /**
   * Runs inside the emitting transaction, so what it writes commits or rolls back with the change; anything
   * outside the database (a queue, a socket) goes after commit (AfterCommit). All `events` have `name`. Only an
   * event's `payload` may leave Cairn, and only when it is `outward`; its `details` are for this process.
   * Returns, per event in order, how many outward deliveries it scheduled (none: nothing or undefined).
   */
  onEvents<N extends DomainEventName>(
    tx: TenantTransaction,
    name: N,
    events: readonly RecordedEvent<N>[],
  ): Promise<number[] | void>;
}

export const SubscribesTo = DiscoveryService.createDecorator<readonly DomainEventName[]>();
