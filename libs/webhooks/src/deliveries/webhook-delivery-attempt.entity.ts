import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Check, Column, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { AuditColumns, TenantForeignKey } from '#cairn/shared/database';
import { DeliveryAttemptColumns } from '#cairn/shared/delivery';

@ObjectType({ description: 'One POST to the endpoint: the status code it answered, or why it could not.' })
@Check(
  'webhook_delivery_attempts_state_check',
  `(state = ANY (ARRAY['STARTED'::text, 'SUCCEEDED'::text, 'FAILED'::text, 'INTERRUPTED'::text]))`,
)
@Check('webhook_delivery_attempts_attempt_number_check', '(attempt_number >= 1)')
@Check('webhook_delivery_attempts_duration_ms_check', '(duration_ms >= 0)')
@Check('webhook_delivery_attempts_error_check', '(length(error) <= 1000)')
@Unique('webhook_delivery_attempts_tenant_id_delivery_id_attempt_num_key', [
  'tenantId',
  'deliveryId',
  'attemptNumber',
])
@TenantForeignKey(
  'WebhookDelivery',
  'deliveryId',
  'webhook_delivery_attempts_tenant_id_delivery_id_fkey',
  'CASCADE',
)
@Entity('webhook_delivery_attempts')
export class WebhookDeliveryAttempt extends DeliveryAttemptColumns(AuditColumns({ createdAt: 'column' })) {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => Int, { nullable: true })
  @Column({ type: 'int', nullable: true })
  statusCode: number | null;

  @Field(() => String, {
    nullable: true,
    description: 'Timeout, refused connection, redirect, blocked address…',
  })
  @Column({ type: 'text', nullable: true })
  error: string | null;
}
