import { Field, ID, ObjectType } from '@nestjs/graphql';
import type { EventValue } from '#cairn/shared/events';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { WebhookEventType } from '../webhook-event-type.enum.js';

/** Ids only (goalId, clientId, status…): receivers fetch what they need through GraphQL. */
export type WebhookEventData = Record<string, EventValue>;

@ObjectType({
  description: 'Something that happened, recorded in the same transaction as the change itself.',
})
@Entity('webhook_events')
export class WebhookEvent {
  @Field(() => ID, { description: 'Sent as `Cairn-Event-Id`; the same for every retry and re-send.' })
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  tenantId: string;

  @Field(() => WebhookEventType)
  @Column({ type: 'text' })
  type: WebhookEventType;

  @Column({ type: 'jsonb' })
  payload: WebhookEventData;

  @Field()
  @Column({ type: 'timestamptz' })
  occurredAt: Date;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
