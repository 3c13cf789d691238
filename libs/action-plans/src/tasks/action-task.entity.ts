import { Field, GraphQLISODateTime, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Check, Column, Entity, Index, Unique } from 'typeorm';
import { AuditColumns, EXPECTED_VERSION_DESCRIPTION, TenantForeignKey } from '#cairn/shared/database';
import { LocalDateScalar } from '#cairn/shared/graphql';

/** A rule a recurring task followed before its current one, through `until` (a local date, inclusive). */
export interface PastRule {
  rule: string;
  until: string;
}

export enum TaskStatus {
  TODO = 'TODO',
  IN_PROGRESS = 'IN_PROGRESS',
  DONE = 'DONE',
  CANCELLED = 'CANCELLED',
}
registerEnumType(TaskStatus, {
  name: 'TaskStatus',
  description: 'TODO and IN_PROGRESS tasks are open; DONE and CANCELLED ones are finished and no longer nag.',
});

/** Statuses that still count towards overdue and upcoming views. */
export const OPEN_TASK_STATUSES: readonly TaskStatus[] = [TaskStatus.TODO, TaskStatus.IN_PROGRESS];
/** Statuses that release the tasks depending on this one. */
export const FINISHED_TASK_STATUSES: readonly TaskStatus[] = [TaskStatus.DONE, TaskStatus.CANCELLED];

/**
 * One step of a goal's action plan, in the client's calendar: a one-off task (start, due date) or a habit
 * (an RRULE in the client's time zone with a count target per occurrence).
 */
@ObjectType({ description: 'A step of a goal’s action plan: a one-off task or a recurring habit.' })
@Check('action_tasks_check', '(due_date >= start_date)')
@Check('action_tasks_check1', '((recurrence IS NOT NULL) OR (due_date IS NOT NULL))')
@Check('action_tasks_check2', `((status = 'DONE'::text) = (completed_at IS NOT NULL))`)
@Check('action_tasks_count_target_check', '((count_target >= 1) AND (count_target <= 100))')
@Check('action_tasks_notes_check', '(length(notes) <= 2000)')
@Check('action_tasks_recurrence_check', '((length(recurrence) >= 1) AND (length(recurrence) <= 500))')
@Check('action_tasks_recurrence_history_check', `(jsonb_typeof(recurrence_history) = 'array'::text)`)
@Check(
  'action_tasks_status_check',
  `(status = ANY (ARRAY['TODO'::text, 'IN_PROGRESS'::text, 'DONE'::text, 'CANCELLED'::text]))`,
)
@Check('action_tasks_title_check', '((length(title) >= 1) AND (length(title) <= 200))')
@Unique('action_tasks_tenant_id_id_client_id_key', ['tenantId', 'id', 'clientId'])
@Unique('action_tasks_tenant_id_id_key', ['tenantId', 'id'])
@TenantForeignKey('User', 'clientId', 'action_tasks_tenant_id_client_id_fkey', 'CASCADE')
@TenantForeignKey('User', 'createdByUserId', 'action_tasks_tenant_id_created_by_user_id_fkey')
@TenantForeignKey('Goal', 'goalId', 'action_tasks_tenant_id_goal_id_fkey', 'CASCADE')
@Index('action_tasks_tenant_client_status', ['tenantId', 'clientId', 'status'])
@Index('action_tasks_tenant_created', ['tenantId', 'createdAt', 'id'])
@Index('action_tasks_tenant_goal', ['tenantId', 'goalId'])
@Entity('action_tasks')
export class ActionTask extends AuditColumns({
  id: 'field',
  tenantId: 'column',
  createdAt: 'field',
  updatedAt: 'field',
  version: { description: EXPECTED_VERSION_DESCRIPTION },
}) {
  @Field(() => ID)
  @Column('uuid')
  goalId: string;

  @Field(() => ID, { description: 'The goal’s client.' })
  @Column('uuid')
  clientId: string;

  @Field()
  @Column({ type: 'text' })
  title: string;

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', nullable: true })
  notes: string | null;

  @Field(() => TaskStatus)
  @Column({ type: 'text', default: 'TODO' })
  status: TaskStatus;

  @Field(() => LocalDateScalar, {
    description:
      'When to begin (the lead time), in the client’s time zone; for a recurring task, its first possible occurrence.',
  })
  @Column({ type: 'date' })
  startDate: string;

  @Field(() => LocalDateScalar, {
    nullable: true,
    description:
      'One-off tasks: the due date. Recurring tasks: the last day an occurrence may fall on (optional).',
  })
  @Column({ type: 'date', nullable: true })
  dueDate: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      'iCalendar RRULE in the client’s time zone (e.g. FREQ=WEEKLY;BYDAY=MO); null for a one-off task.',
  })
  @Column({ type: 'text', nullable: true })
  recurrence: string | null;

  /** The rules it followed before `recurrence`, oldest first, each through the last local date it governed. */
  @Column({ type: 'jsonb', default: () => "'[]'" })
  recurrenceHistory: PastRule[];

  @Field(() => Int, {
    description: 'How many times per occurrence (a one-off task has one occurrence), 1–100.',
  })
  @Column({ type: 'smallint', default: 1 })
  countTarget: number;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'Set while the task is DONE.' })
  @Column({ type: 'timestamptz', nullable: true })
  completedAt: Date | null;

  @Field(() => ID, { nullable: true })
  @Column({ type: 'uuid', nullable: true })
  createdByUserId: string | null;

  @Column({ type: 'uuid', nullable: true })
  createdByApiKeyId: string | null;
}
