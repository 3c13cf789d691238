import { Check, Column, Entity, Index, Unique } from 'typeorm';
import { AuditColumns, FirmForeignKey } from '#cairn/shared/database';
import type { DomainEventName, EventValue } from './domain-events.js';

/**
 * A row of the outbox, `domain_events`: every event of every domain, kept as history whether or not anybody
 * subscribed. Written by EventOutbox only; consumers keep their own tables pointing at it (webhook deliveries,
 * message deliveries), and the webhooks' retention purge removes old rows.
 */
@Check(
  'domain_events_type_check',
  `(type = ANY (ARRAY['checkin.due'::text, 'checkin.submitted'::text, 'checkin.missed'::text, 'checkin.feedback_added'::text, 'goal.status_changed'::text, 'goal.achieved'::text, 'task.overdue'::text, 'nudge.sent'::text, 'report.ready'::text, 'supporter.encouraged'::text, 'client.erased'::text]))`,
)
@Unique('domain_events_tenant_id_id_key', ['tenantId', 'id'])
@FirmForeignKey('domain_events_tenant_id_fkey')
@Index('domain_events_tenant_created', ['tenantId', 'createdAt', 'id'])
@Entity('domain_events')
export class StoredEvent extends AuditColumns({ id: 'column', tenantId: 'column', createdAt: 'column' }) {
  @Column({ type: 'text' })
  type: DomainEventName;

  /** The public part only; an event's details are never stored. */
  @Column({ type: 'jsonb' })
  payload: Record<string, EventValue>;

  @Column({ type: 'timestamptz' })
  occurredAt: Date;
}
