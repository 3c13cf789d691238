import { Field, GraphQLISODateTime, ID, Int, ObjectType } from '@nestjs/graphql';
import { Check, Column, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { AuditColumns, TenantForeignKey } from '#cairn/shared/database';
import { DeliveryAttemptState } from '#cairn/shared/delivery';

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
export class WebhookDeliveryAttempt extends AuditColumns({ createdAt: 'column' }) {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  tenantId: string;

  @Column('uuid')
  deliveryId: string;

  @Field(() => Int)
  @Column('int')
  attemptNumber: number;

  @Field()
  @Column({ type: 'timestamptz' })
  attemptedAt: Date;

  @Field(() => Int, { description: 'How long it took; 0 until it finishes.' })
  @Column('int', { default: 0 })
  durationMs: number;

  @Field(() => Int, { nullable: true })
  @Column({ type: 'int', nullable: true })
  statusCode: number | null;

  @Field(() => String, {
    nullable: true,
    description: 'Timeout, refused connection, redirect, blocked address…',
  })
  @Column({ type: 'text', nullable: true })
  error: string | null;

  @Field({ description: 'False until it finishes (and for one that was interrupted).' })
  @Column({ default: false })
  succeeded: boolean;

  @Field(() => DeliveryAttemptState)
  @Column({ type: 'text', default: DeliveryAttemptState.STARTED })
  state: DeliveryAttemptState;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'Null while in flight, or when it was interrupted.' })
  @Column({ type: 'timestamptz', nullable: true })
  finishedAt: Date | null;
}
