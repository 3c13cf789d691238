import { Field, ID, ObjectType } from '@nestjs/graphql';
import type { EventValue } from '#cairn/shared/events';
import { WebhookEventType } from '../webhook-event-type.enum.js';

/** Ids only (goalId, clientId, status…): receivers fetch what they need through GraphQL. */
export type WebhookEventData = Record<string, EventValue>;

/**
 * A domain event as webhook receivers see it: the outbox row (StoredEvent, table `domain_events`) through
 * GraphQL; its `data` is the stored payload, never an event's details.
 */
@ObjectType({
  description: 'Something that happened, recorded in the same transaction as the change itself.',
})
export class WebhookEvent {
  @Field(() => ID, { description: 'Sent as `Cairn-Event-Id`; the same for every retry and re-send.' })
  id: string;

  @Field(() => WebhookEventType)
  type: `${WebhookEventType}`;

  payload: WebhookEventData;

  @Field()
  occurredAt: Date;
}
