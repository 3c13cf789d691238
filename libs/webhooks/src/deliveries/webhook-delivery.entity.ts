import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { WebhookDeliveryStatus } from './webhook-delivery-status.enum.js';

@ObjectType({ description: 'One event on its way to one endpoint, with every attempt made.' })
@Entity('webhook_deliveries')
export class WebhookDelivery {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  tenantId: string;

  @Field(() => ID)
  @Column('uuid')
  eventId: string;

  @Field(() => ID)
  @Column('uuid')
  endpointId: string;

  @Field(() => WebhookDeliveryStatus)
  @Column({ type: 'text' })
  status: WebhookDeliveryStatus;

  @Field(() => Int)
  @Column('int')
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

  @Field()
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
