import { Field, ObjectType } from '@nestjs/graphql';
import { Check, Column, Entity, Index, Unique } from 'typeorm';
import { AuditColumns, FirmForeignKey, TenantForeignKey } from '#cairn/shared/database';
import { WebhookEventType } from '../webhook-event-type.enum.js';

@ObjectType({
  description: 'A URL the worker POSTs subscribed events to. Its signing secret is shown only when set.',
})
@Check('webhook_endpoints_check', '((deleted_at IS NULL) OR (NOT enabled))')
@Check('webhook_endpoints_description_check', '(length(description) <= 500)')
@Check(
  'webhook_endpoints_event_types_check',
  `((cardinality(event_types) > 0) AND (event_types <@ ARRAY['checkin.due'::text, 'checkin.submitted'::text, 'checkin.missed'::text, 'checkin.feedback_added'::text, 'goal.status_changed'::text, 'goal.achieved'::text, 'task.overdue'::text, 'nudge.sent'::text, 'report.ready'::text, 'supporter.encouraged'::text, 'client.erased'::text]))`,
)
@Check(
  'webhook_endpoints_previous_secret_pair',
  '((previous_secret IS NULL) = (previous_secret_expires_at IS NULL))',
)
@Check('webhook_endpoints_url_check', '((length(url) >= 1) AND (length(url) <= 2000))')
@Unique('webhook_endpoints_tenant_id_id_key', ['tenantId', 'id'])
@TenantForeignKey('User', 'createdByUserId', 'webhook_endpoints_tenant_id_created_by_user_id_fkey')
@FirmForeignKey('webhook_endpoints_tenant_id_fkey')
@Index('webhook_endpoints_tenant_created', ['tenantId', 'createdAt', 'id'])
@Entity('webhook_endpoints')
export class WebhookEndpoint extends AuditColumns({
  id: 'field',
  tenantId: 'column',
  createdAt: 'field',
  updatedAt: 'field',
  version: 'field',
}) {
  @Field()
  @Column({ type: 'text' })
  url: string;

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Field(() => [WebhookEventType])
  @Column({ type: 'text', array: true })
  eventTypes: WebhookEventType[];

  // Kept in clear because the worker needs it to sign; never selected unless asked for.
  @Column({ type: 'text', select: false })
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
  @Column({ default: true })
  enabled: boolean;

  @Column({ type: 'timestamptz', nullable: true })
  deletedAt: Date | null;

  @Column({ type: 'uuid', nullable: true })
  createdByUserId: string | null;
}
