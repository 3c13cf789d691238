import { Field, ObjectType } from '@nestjs/graphql';
import { Check, Column, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { TenantForeignKey } from '#cairn/shared/database';
import { DeliveryAttemptColumns } from '#cairn/shared/delivery';

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
export class MessageDeliveryAttempt extends DeliveryAttemptColumns(class {}) {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', nullable: true })
  error: string | null;

  @Field(() => String, { nullable: true, description: 'What the SMTP server answered.' })
  @Column({ type: 'text', nullable: true })
  response: string | null;
}
