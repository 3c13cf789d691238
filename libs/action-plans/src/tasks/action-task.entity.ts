import { Field, GraphQLISODateTime, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
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
@Entity('action_tasks')
export class ActionTask {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  tenantId: string;

  @Field(() => ID)
  @Column('uuid')
  goalId: string;

  @Field(() => ID, { description: 'The goal’s client.' })
  @Column('uuid')
  clientId: string;

  @Field()
  @Column()
  title: string;

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', nullable: true })
  notes: string | null;

  @Field(() => TaskStatus)
  @Column({ type: 'text' })
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
  @Column({ type: 'smallint' })
  countTarget: number;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'Set while the task is DONE.' })
  @Column({ type: 'timestamptz', nullable: true })
  completedAt: Date | null;

  @Field(() => ID, { nullable: true })
  @Column({ type: 'uuid', nullable: true })
  createdByUserId: string | null;

  @Column({ type: 'uuid', nullable: true })
  createdByApiKeyId: string | null;

  @Field(() => Int, { description: 'Pass back as `expectedVersion` to detect concurrent edits.' })
  @Column({ type: 'integer' })
  version: number;

  @Field(() => GraphQLISODateTime)
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Field(() => GraphQLISODateTime)
  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
