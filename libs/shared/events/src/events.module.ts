import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { EventOutbox } from './event-outbox.service.js';

/** Imported by every domain that emits; one EventOutbox app-wide (Nest shares an imported module's instance). */
@Module({ imports: [DiscoveryModule], providers: [EventOutbox], exports: [EventOutbox] })
export class EventsModule {}
