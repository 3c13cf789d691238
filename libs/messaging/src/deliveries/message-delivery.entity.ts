import { Field, GraphQLISODateTime, ID, Int, ObjectType } from '@nestjs/graphql';
import { Check, Column, Entity, Index, Unique } from 'typeorm';
import { AuditColumns, TenantForeignKey } from '#cairn/shared/database';
import { DeliveryChannel, DeliveryStatus } from './delivery.enums.js';

@ObjectType({ description: 'One message on one channel: the delivery log.' })
@Check('message_deliveries_attempt_count_check', '(attempt_count >= 0)')
@Check(
  'message_deliveries_channel_check',
  `(channel = ANY (ARRAY['EMAIL'::text, 'IN_APP'::text, 'WEBHOOK'::text]))`,
)
@Check('message_deliveries_check', `((status = 'QUEUED'::text) = (next_attempt_at IS NOT NULL))`)
@Check('message_deliveries_last_error_check', '(length(last_error) <= 2000)')
@Check(
  'message_deliveries_status_check',
  `(status = ANY (ARRAY['QUEUED'::text, 'SENT'::text, 'FAILED'::text, 'SKIPPED'::text]))`,
)
@Check(
  'message_deliveries_webhook_event_channel',
  `((webhook_event_id IS NULL) OR (channel = 'WEBHOOK'::text))`,
)
@Unique('message_deliveries_tenant_id_id_key', ['tenantId', 'id'])
@Unique('message_deliveries_tenant_id_message_id_channel_key', ['tenantId', 'messageId', 'channel'])
@TenantForeignKey('Message', 'messageId', 'message_deliveries_tenant_id_message_id_fkey', 'CASCADE')
@Index('message_deliveries_queued', ['nextAttemptAt'], { where: `(status = 'QUEUED'::text)` })
@Index('message_deliveries_tenant_created', ['tenantId', 'createdAt', 'id'])
@Entity('message_deliveries')
export class MessageDelivery extends AuditColumns({
  id: 'field',
  tenantId: 'column',
  createdAt: 'field',
  updatedAt: 'column',
}) {
  @Field(() => ID)
  @Column('uuid')
  messageId: string;

  @Field(() => DeliveryChannel)
  @Column({ type: 'text' })
  channel: DeliveryChannel;

  @Field(() => DeliveryStatus)
  @Column({ type: 'text' })
  status: DeliveryStatus;

  @Field(() => Int)
  @Column({ type: 'int', default: 0 })
  attemptCount: number;

  @Field(() => GraphQLISODateTime, {
    nullable: true,
    description: 'When the next attempt is due, while QUEUED.',
  })
  @Column({ type: 'timestamptz', nullable: true })
  nextAttemptAt: Date | null;

  @Field(() => String, { nullable: true, description: 'The address an email went to.' })
  @Column({ type: 'text', nullable: true })
  toAddress: string | null;

  @Field(() => String, { nullable: true, description: 'The email’s Message-ID.' })
  @Column({ type: 'text', nullable: true })
  providerMessageId: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', nullable: true })
  lastError: string | null;

  @Field(() => ID, {
    nullable: true,
    description:
      'WEBHOOK: the event this message went out as, the `Cairn-Event-Id` its receivers saw; admins find each endpoint’s attempts with `webhookDeliveries`.',
  })
  @Column({ type: 'uuid', nullable: true })
  webhookEventId: string | null;

  @Field(() => GraphQLISODateTime, { nullable: true })
  @Column({ type: 'timestamptz', nullable: true })
  sentAt: Date | null;

  @Field(() => GraphQLISODateTime, { nullable: true })
  @Column({ type: 'timestamptz', nullable: true })
  failedAt: Date | null;
}
