import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Check, Column, Entity, ForeignKey, Index, Unique } from 'typeorm';
import { AuditColumns, TenantForeignKey } from '#cairn/shared/database';
import { LocalDateScalar } from '#cairn/shared/graphql';

/** One entry of a task's completion log: "gave feedback to 2 people on Tuesday's occurrence". */
@ObjectType()
@Check('task_completions_count_check', '((count >= 1) AND (count <= 100))')
@Check('task_completions_note_check', '(length(note) <= 500)')
@Unique('task_completions_tenant_id_id_key', ['tenantId', 'id'])
@TenantForeignKey('User', 'loggedByUserId', 'task_completions_tenant_id_logged_by_user_id_fkey')
@ForeignKey('ActionTask', ['tenantId', 'taskId', 'clientId'], ['tenantId', 'id', 'clientId'], {
  name: 'task_completions_tenant_id_task_id_client_id_fkey',
  onDelete: 'CASCADE',
})
@Index('task_completions_tenant_created', ['tenantId', 'createdAt', 'id'])
@Index('task_completions_tenant_task_occurrence', ['tenantId', 'taskId', 'occurrenceOn'])
@Entity('task_completions')
export class TaskCompletion extends AuditColumns({
  id: 'field',
  tenantId: 'column',
  createdAt: { description: 'When it was logged.' },
}) {
  @Field(() => ID)
  @Column('uuid')
  taskId: string;

  @Column('uuid')
  clientId: string;

  @Field(() => LocalDateScalar, {
    nullable: true,
    description: 'The occurrence this counts towards (recurring tasks); null for a one-off task.',
  })
  @Column({ type: 'date', nullable: true })
  occurrenceOn: string | null;

  @Field(() => Int)
  @Column({ type: 'smallint' })
  count: number;

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', nullable: true })
  note: string | null;

  @Field(() => ID, { nullable: true, description: 'Who logged it (null when an API key did).' })
  @Column({ type: 'uuid', nullable: true })
  loggedByUserId: string | null;

  @Field(() => ID, { nullable: true, description: 'The API key that logged it, if any.' })
  @Column({ type: 'uuid', nullable: true })
  loggedByApiKeyId: string | null;
}
