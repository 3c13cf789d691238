import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { NotificationKind } from '../notification-kind.enum.js';

@ObjectType({
  description: 'Something in your own feed: the durable copy of what `notificationAdded` pushes live.',
})
@Entity('notifications')
export class Notification {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  tenantId: string;

  @Column('uuid')
  recipientUserId: string;

  @Field(() => NotificationKind)
  @Column({ type: 'text' })
  kind: NotificationKind;

  @Field({ description: 'Short and human readable, e.g. "Weekly check-in is due".' })
  @Column({ type: 'text' })
  title: string;

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', nullable: true })
  body: string | null;

  @Field(() => ID, { nullable: true, description: 'The client it is about, if any.' })
  @Column({ type: 'uuid', nullable: true })
  clientId: string | null;

  @Field(() => ID, { nullable: true, description: 'The check-in it is about, if any.' })
  @Column({ type: 'uuid', nullable: true })
  checkInId: string | null;

  /** Makes recording the same notice twice a no-op; never shown. */
  @Column({ type: 'text' })
  dedupeKey: string;

  @Field(() => Date, { nullable: true, description: 'When you first marked it read; null while unread.' })
  @Column({ type: 'timestamptz', nullable: true })
  readAt: Date | null;

  @Field()
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
