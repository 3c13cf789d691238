import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Check, Column, Entity, Index, Unique } from 'typeorm';
import { AuditColumns, TenantForeignKey } from '#cairn/shared/database';
import { MessageKind } from './message-kind.enum.js';

@ObjectType({
  description:
    'Something Cairn sent a person (a nudge, a report, an invitation), with how each channel delivered it.',
})
@Check('messages_dedupe_key_check', '((length(dedupe_key) >= 1) AND (length(dedupe_key) <= 200))')
@Check('messages_html_body_check', '(length(html_body) <= 500000)')
@Check('messages_kind_check', `(kind = ANY (ARRAY['NUDGE'::text, 'REPORT'::text, 'INVITATION'::text, 'SUPPORTER_DIGEST'::text]))`)
@Check('messages_recipient', '((recipient_user_id IS NULL) <> (recipient_email IS NULL))')
@Check(
  'messages_recipient_email_check',
  '((length(recipient_email) >= 3) AND (length(recipient_email) <= 254))',
)
@Check('messages_recipient_name_check', '(length(recipient_name) <= 200)')
@Check('messages_subject_check', '((length(subject) >= 1) AND (length(subject) <= 300))')
@Check('messages_text_body_check', '((length(text_body) >= 1) AND (length(text_body) <= 100000))')
@Unique('messages_dedupe', ['tenantId', 'dedupeKey'])
@Unique('messages_tenant_id_id_key', ['tenantId', 'id'])
@TenantForeignKey('User', 'recipientUserId', 'messages_tenant_id_recipient_user_id_fkey', 'CASCADE')
@Index('messages_tenant_created', ['tenantId', 'createdAt', 'id'])
@Index('messages_tenant_recipient', ['tenantId', 'recipientUserId', 'createdAt'])
@Entity('messages')
export class Message extends AuditColumns({ id: 'field', tenantId: 'column', createdAt: 'field' }) {
  @Field(() => ID, {
    nullable: true,
    description: 'Null for someone without an account yet (an invitation): see recipientEmail.',
  })
  @Column('uuid', { nullable: true })
  recipientUserId: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'The address of a recipient without an account (an invitation).',
  })
  @Column({ type: 'text', nullable: true })
  recipientEmail: string | null;

  @Column({ type: 'text', nullable: true })
  recipientName: string | null;

  /** Whose opt-out the email's unsubscribe link sets when the recipient has no account (a supporter). */
  @Column('uuid', { nullable: true })
  listMemberId: string | null;

  @Field(() => MessageKind)
  @Column({ type: 'text' })
  kind: MessageKind;

  @Field()
  @Column({ type: 'text' })
  subject: string;

  @Field({ description: 'The plain-text version.' })
  @Column({ type: 'text' })
  textBody: string;

  @Field(() => String, { nullable: true, description: 'The HTML version, when there is one.' })
  @Column({ type: 'text', nullable: true })
  htmlBody: string | null;

  /** What makes composing it twice a no-op, e.g. `nudge/<client>/<period>`. */
  @Column({ type: 'text' })
  dedupeKey: string;
}
