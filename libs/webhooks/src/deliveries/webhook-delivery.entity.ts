import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Check, Column, Entity, Index, Unique } from 'typeorm';
import { AuditColumns, TenantForeignKey } from '#cairn/shared/database';
import { WebhookDeliveryStatus } from './webhook-delivery-status.enum.js';

@ObjectType({ description: 'One event on its way to one endpoint, with every attempt made.' })
@Check('webhook_deliveries_attempt_count_check', '(attempt_count >= 0)')
@Check('webhook_deliveries_check', `((status = 'PENDING'::text) = (next_attempt_at IS NOT NULL))`)
@Check('webhook_deliveries_last_error_check', '(length(last_error) <= 1000)')
@Check(
  'webhook_deliveries_status_check',
  `(status = ANY (ARRAY['PENDING'::text, 'DELIVERED'::text, 'FAILED'::text]))`,
)
@Unique('webhook_deliveries_tenant_id_id_key', ['tenantId', 'id'])
@TenantForeignKey('WebhookEndpoint', 'endpointId', 'webhook_deliveries_tenant_id_endpoint_id_fkey', 'CASCADE')
@TenantForeignKey('StoredEvent', 'eventId', 'webhook_deliveries_tenant_id_event_id_fkey', 'CASCADE')
@TenantForeignKey('WebhookDelivery', 'resentFromId', 'webhook_deliveries_tenant_id_resent_from_id_fkey')
@Index('webhook_deliveries_due', ['nextAttemptAt'], { where: `(status = 'PENDING'::text)` })
@Index('webhook_deliveries_tenant_created', ['tenantId', 'createdAt', 'id'])
@Index('webhook_deliveries_tenant_endpoint_created', ['tenantId', 'endpointId', 'createdAt', 'id'])
@Index('webhook_deliveries_tenant_event', ['tenantId', 'eventId'])
@Index('webhook_deliveries_tenant_resent_from', ['tenantId', 'resentFromId'], {
  where: '(resent_from_id IS NOT NULL)',
})
@Index('webhook_deliveries_tenant_status_created', ['tenantId', 'status', 'createdAt', 'id'])
@Entity('webhook_deliveries')
export class WebhookDelivery extends AuditColumns({ id: 'field', tenantId: 'column', createdAt: 'field' }) {
  @Field(() => ID)
  @Column('uuid')
  eventId: string;

  @Field(() => ID)
  @Column('uuid')
  endpointId: string;

  @Field(() => WebhookDeliveryStatus)
  @Column({ type: 'text', default: 'PENDING' })
  status: WebhookDeliveryStatus;

  @Field(() => Int)
  @Column('int', { default: 0 })
  attemptCount: number;

  @Field(() => Date, {
    nullable: true,
    description: 'When the next attempt is due; null once delivered or failed.',
  })
  @Column({ type: 'timestamptz', nullable: true })
  nextAttemptAt: Date | null;

  @Field(() => Int, { nullable: true })
  @Column({ type: 'int', nullable: true })
  lastStatusCode: number | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', nullable: true })
  lastError: string | null;

  @Field(() => Date, { nullable: true })
  @Column({ type: 'timestamptz', nullable: true })
  deliveredAt: Date | null;

  @Field(() => Date, { nullable: true })
  @Column({ type: 'timestamptz', nullable: true })
  failedAt: Date | null;

  @Field(() => ID, { nullable: true, description: 'The delivery this one re-sends, if any.' })
  @Column({ type: 'uuid', nullable: true })
  resentFromId: string | null;
}
