import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

@ObjectType({ description: 'One POST to the endpoint: the status code it answered, or why it could not.' })
@Entity('webhook_delivery_attempts')
export class WebhookDeliveryAttempt {
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

  @Field(() => Int)
  @Column('int')
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

  @Field()
  @Column()
  succeeded: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
