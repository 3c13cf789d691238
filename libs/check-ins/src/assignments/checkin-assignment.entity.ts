import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Check, Column, Entity, Index, Unique } from 'typeorm';
import { AuditColumns, TenantForeignKey } from '#cairn/shared/database';

export enum AssignmentStatus {
  ACTIVE = 'ACTIVE',
  PAUSED = 'PAUSED',
  ENDED = 'ENDED',
}
registerEnumType(AssignmentStatus, {
  name: 'AssignmentStatus',
  description: 'PAUSED stops new occurrences until resumed; ENDED is final.',
});

@ObjectType({ description: 'A prompt of the template whose answers record progress on a goal measure.' })
export class MeasureBinding {
  @Field()
  promptKey: string;

  @Field(() => ID)
  measureId: string;
}

/** A template assigned to a client, on a schedule in the client's time zone, or once. */
@ObjectType()
@Check('checkin_assignments_goal_ids_check', '(cardinality(goal_ids) <= 20)')
@Check('checkin_assignments_recurrence_check', '(length(recurrence) <= 500)')
@Check('checkin_assignments_starts_at_check', `(starts_at ~ '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}$'::text)`)
@Check(
  'checkin_assignments_status_check',
  `(status = ANY (ARRAY['ACTIVE'::text, 'PAUSED'::text, 'ENDED'::text]))`,
)
@Check('checkin_assignments_window_minutes_check', '((window_minutes >= 15) AND (window_minutes <= 20160))')
@Unique('checkin_assignments_tenant_id_id_key', ['tenantId', 'id'])
@TenantForeignKey('User', 'clientId', 'checkin_assignments_tenant_id_client_id_fkey', 'CASCADE')
@TenantForeignKey('User', 'createdByUserId', 'checkin_assignments_tenant_id_created_by_user_id_fkey')
@TenantForeignKey('CheckInTemplate', 'templateId', 'checkin_assignments_tenant_id_template_id_fkey')
@Index('checkin_assignments_active_horizon', ['materializedThrough'], { where: `(status = 'ACTIVE'::text)` })
@Index('checkin_assignments_one_live', ['tenantId', 'clientId', 'templateId'], {
  unique: true,
  where: `((status <> 'ENDED'::text) AND (NOT allows_duplicate))`,
})
@Index('checkin_assignments_tenant_client', ['tenantId', 'clientId', 'status'])
@Index('checkin_assignments_tenant_created', ['tenantId', 'createdAt', 'id'])
@Entity('checkin_assignments')
export class CheckInAssignment extends AuditColumns({
  id: 'field',
  tenantId: 'column',
  createdAt: 'field',
  updatedAt: 'column',
  version: 'field',
}) {
  @Field(() => ID)
  @Column('uuid')
  clientId: string;

  @Field(() => ID)
  @Column('uuid')
  templateId: string;

  @Field(() => AssignmentStatus)
  @Column({ type: 'text' })
  status: AssignmentStatus;

  @Field(() => String, { nullable: true, description: 'iCalendar RRULE; null for a one-off check-in.' })
  @Column({ type: 'text', nullable: true })
  recurrence: string | null;

  @Field({
    description: 'Local wall-clock start (YYYY-MM-DDTHH:mm) in the client’s time zone; the one-off’s time.',
  })
  @Column({ type: 'text' })
  startsAt: string;

  @Field(() => String, { nullable: true, description: 'Last local day a recurring check-in may fire.' })
  @Column({ type: 'date', nullable: true })
  endsOn: string | null;

  @Field(() => Int, { description: 'How long each occurrence stays open, in minutes.' })
  @Column({ type: 'integer' })
  windowMinutes: number;

  @Field(() => [ID], { description: 'Goals this check-in keeps the client accountable for.' })
  @Column({ type: 'uuid', array: true, default: () => `'{}'` })
  goalIds: string[];

  @Field(() => [MeasureBinding])
  @Column({ type: 'jsonb', default: () => `'[]'` })
  measureBindings: MeasureBinding[];

  @Column({ type: 'uuid', nullable: true })
  createdByUserId: string | null;

  /** Occurrences exist up to here; the worker tops up assignments whose horizon is getting close. */
  @Column({ type: 'timestamptz', nullable: true })
  materializedThrough: Date | null;

  /** The client's zone the occurrences were planned in; the sweep re-plans when the client's zone differs. */
  @Column({ type: 'text', nullable: true })
  plannedZone: string | null;

  @Field({
    description: 'Created with allowDuplicate: another live assignment of the same template may exist.',
  })
  @Column({ default: false })
  allowsDuplicate: boolean;
}
