import { Field, GraphQLISODateTime, Int, ObjectType } from '@nestjs/graphql';
import { Check, Column, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { TenantForeignKey } from '#cairn/shared/database';

@ObjectType({ description: 'One try at sending an email.' })
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

  @Field(() => Int)
  @Column('int')
  durationMs: number;

  @Field()
  @Column()
  succeeded: boolean;

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', nullable: true })
  error: string | null;

  @Field(() => String, { nullable: true, description: 'What the SMTP server answered.' })
  @Column({ type: 'text', nullable: true })
  response: string | null;
}
