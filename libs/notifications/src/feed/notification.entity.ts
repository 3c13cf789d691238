import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Check, Column, Entity, Index, Unique } from 'typeorm';
import { AuditColumns, TenantForeignKey } from '#cairn/shared/database';
import { NotificationKind } from '../notification-kind.enum.js';

@ObjectType({
  description: 'Something in your own feed: the durable copy of what `notificationAdded` pushes live.',
})
@Check('notifications_body_check', '(length(body) <= 2000)')
@Check('notifications_dedupe_key_check', '((length(dedupe_key) >= 1) AND (length(dedupe_key) <= 200))')
@Check(
  'notifications_kind_check',
  `(kind = ANY (ARRAY['CHECKIN_DUE'::text, 'CHECKIN_FEEDBACK_ADDED'::text, 'CHECKIN_SUBMITTED'::text, 'CHECKIN_MISSED'::text, 'NUDGE'::text, 'REPORT_READY'::text, 'SUPPORTER_ENCOURAGEMENT'::text]))`,
)
@Check('notifications_title_check', '((length(title) >= 1) AND (length(title) <= 200))')
@Unique('notifications_dedupe', ['tenantId', 'recipientUserId', 'dedupeKey'])
@TenantForeignKey('User', 'clientId', 'notifications_tenant_id_client_id_fkey', 'CASCADE')
@TenantForeignKey('User', 'recipientUserId', 'notifications_tenant_id_recipient_user_id_fkey', 'CASCADE')
@Index('notifications_feed', ['tenantId', 'recipientUserId', 'createdAt', 'id'])
@Index('notifications_unread', ['tenantId', 'recipientUserId', 'createdAt', 'id'], {
  where: '(read_at IS NULL)',
})
@Entity('notifications')
export class Notification extends AuditColumns({ id: 'field', tenantId: 'column', createdAt: 'field' }) {
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
}
