import { Field, GraphQLISODateTime, ID, Int, ObjectType } from '@nestjs/graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { DeliveryChannel, DeliveryStatus } from './delivery.enums.js';

@ObjectType({ description: 'One message on one channel: the delivery log.' })
@Entity('message_deliveries')
export class MessageDelivery {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  tenantId: string;

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

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When the next attempt is due, while QUEUED.' })
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

  @Field(() => GraphQLISODateTime)
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
