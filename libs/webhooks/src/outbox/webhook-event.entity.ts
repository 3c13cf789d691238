import { Field, ID, ObjectType } from '@nestjs/graphql';
import type { EventValue } from '#cairn/shared/events';
import { Check, Column, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { AuditColumns, FirmForeignKey } from '#cairn/shared/database';
import { WebhookEventType } from '../webhook-event-type.enum.js';

/** Ids only (goalId, clientId, status…): receivers fetch what they need through GraphQL. */
export type WebhookEventData = Record<string, EventValue>;

@ObjectType({
  description: 'Something that happened, recorded in the same transaction as the change itself.',
})
@Check(
  'webhook_events_type_check',
  `(type = ANY (ARRAY['checkin.due'::text, 'checkin.submitted'::text, 'checkin.missed'::text, 'checkin.feedback_added'::text, 'goal.status_changed'::text, 'goal.achieved'::text, 'task.overdue'::text, 'nudge.sent'::text, 'report.ready'::text]))`,
)
@Unique('webhook_events_tenant_id_id_key', ['tenantId', 'id'])
@FirmForeignKey('webhook_events_tenant_id_fkey')
@Index('webhook_events_tenant_created', ['tenantId', 'createdAt', 'id'])
@Entity('webhook_events')
export class WebhookEvent extends AuditColumns({ createdAt: 'column' }) {
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
}
