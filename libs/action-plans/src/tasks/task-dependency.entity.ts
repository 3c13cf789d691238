import { Check, Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { AuditColumns } from '#cairn/shared/database';

/** `taskId` cannot be DONE before `dependsOnId` is DONE or CANCELLED. Both belong to the same client. */
@Check('task_dependencies_check', '(task_id <> depends_on_id)')
@ForeignKey('ActionTask', ['tenantId', 'dependsOnId', 'clientId'], ['tenantId', 'id', 'clientId'], {
  name: 'task_dependencies_tenant_id_depends_on_id_client_id_fkey',
  onDelete: 'CASCADE',
})
@ForeignKey('ActionTask', ['tenantId', 'taskId', 'clientId'], ['tenantId', 'id', 'clientId'], {
  name: 'task_dependencies_tenant_id_task_id_client_id_fkey',
  onDelete: 'CASCADE',
})
@Index('task_dependencies_tenant_depends_on', ['tenantId', 'dependsOnId'])
@Entity('task_dependencies')
export class TaskDependency extends AuditColumns({ createdAt: 'column' }) {
  @PrimaryColumn('uuid')
  tenantId: string;

  @PrimaryColumn('uuid')
  taskId: string;

  @PrimaryColumn('uuid')
  dependsOnId: string;

  @Column('uuid')
  clientId: string;
}
