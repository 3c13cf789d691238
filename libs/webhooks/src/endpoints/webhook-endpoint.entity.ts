import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { WebhookEventType } from '../webhook-event-type.enum.js';

@ObjectType({
  description: 'A URL the worker POSTs subscribed events to. Its signing secret is shown only when set.',
})
@Entity('webhook_endpoints')
export class WebhookEndpoint {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  tenantId: string;

  @Field()
  @Column()
  url: string;

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Field(() => [WebhookEventType])
  @Column({ type: 'text', array: true })
  eventTypes: WebhookEventType[];

  // Kept in clear because the worker needs it to sign; never selected unless asked for.
  @Column({ select: false })
  secret: string;

  // The secret the last rotation retired: it keeps signing, next to `secret`, until previousSecretExpiresAt.
  @Column({ type: 'text', nullable: true, select: false })
  previousSecret: string | null;

  @Field(() => Date, {
    nullable: true,
    description:
      'Until then every delivery is also signed with the secret the last rotation replaced (24 h after it); ' +
      'null when there is none. The secret itself is never shown.',
  })
  @Column({ type: 'timestamptz', nullable: true })
  previousSecretExpiresAt: Date | null;

  @Field({
    description: 'Disabled endpoints receive nothing; their pending deliveries wait until re-enabled.',
  })
  @Column()
  enabled: boolean;

  @Column({ type: 'timestamptz', nullable: true })
  deletedAt: Date | null;

  @Column({ type: 'uuid', nullable: true })
  createdByUserId: string | null;

  @Field(() => Int)
  @Column('int')
  version: number;

  @Field()
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Field()
  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
