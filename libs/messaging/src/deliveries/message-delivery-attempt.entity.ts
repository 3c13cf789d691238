import { Field, GraphQLISODateTime, Int, ObjectType } from '@nestjs/graphql';
import { Check, Column, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { TenantForeignKey } from '#cairn/shared/database';
import { DeliveryAttemptState } from '#cairn/shared/delivery';

@ObjectType({ description: 'One try at sending an email.' })
@Check(
  'message_delivery_attempts_state_check',
  `(state = ANY (ARRAY['STARTED'::text, 'SUCCEEDED'::text, 'FAILED'::text, 'INTERRUPTED'::text]))`,
)
@Check('message_delivery_attempts_attempt_number_check', '(attempt_number >= 1)')
@Check('message_delivery_attempts_error_check', '(length(error) <= 2000)')
@Check('message_delivery_attempts_response_check', '(length(response) <= 2000)')
@Unique('message_delivery_attempts_tenant_id_delivery_id_attempt_num_key', [
  'tenantId',
  'deliveryId',
  'attemptNumber',
])
@TenantForeignKey(
  'MessageDelivery',
  'deliveryId',
  'message_delivery_attempts_tenant_id_delivery_id_fkey',
  'CASCADE',
)
@Entity('message_delivery_attempts')
export class MessageDeliveryAttempt {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  tenantId: string;

  @Column('uuid')
  deliveryId: string;

  @Field(() => Int)
  @Column('int')
  attemptNumber: number;

  @Field(() => GraphQLISODateTime)
  @Column({ type: 'timestamptz' })
  attemptedAt: Date;

  @Field(() => Int, { description: 'How long it took; 0 until it finishes.' })
  @Column('int', { default: 0 })
  durationMs: number;

  @Field({ description: 'False until it finishes (and for one that was interrupted).' })
  @Column({ default: false })
  succeeded: boolean;

  @Field(() => DeliveryAttemptState)
  @Column({ type: 'text', default: DeliveryAttemptState.STARTED })
  state: DeliveryAttemptState;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'Null while in flight, or when it was interrupted.' })
  @Column({ type: 'timestamptz', nullable: true })
  finishedAt: Date | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', nullable: true })
  error: string | null;

  @Field(() => String, { nullable: true, description: 'What the SMTP server answered.' })
  @Column({ type: 'text', nullable: true })
  response: string | null;
}
