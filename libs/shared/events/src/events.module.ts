import { Module, type Type } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { EventOutbox } from './event-outbox.service.js';
import { DomainEvents1763900002500 } from './migrations/1763900002500-domain-events.js';
import { StoredEvent } from './stored-event.entity.js';

export const eventsEntities: Type[] = [StoredEvent];
/** The table itself was created as `webhook_events` by libs/webhooks' first migration; renamed here. */
export const eventsMigrations: Type[] = [DomainEvents1763900002500];

/** Imported by every domain that emits; one EventOutbox app-wide (Nest shares an imported module's instance). */
@Module({ imports: [DiscoveryModule], providers: [EventOutbox], exports: [EventOutbox] })
export class EventsModule {}
