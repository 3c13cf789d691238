import { Field, GraphQLISODateTime, Int, ObjectType } from '@nestjs/graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@ObjectType({ description: 'One try at sending an email.' })
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
