import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** `taskId` cannot be DONE before `dependsOnId` is DONE or CANCELLED. Both belong to the same client. */
@Entity('task_dependencies')
export class TaskDependency {
  @PrimaryColumn('uuid')
  tenantId: string;

  @PrimaryColumn('uuid')
  taskId: string;

  @PrimaryColumn('uuid')
  dependsOnId: string;

  @Column('uuid')
  clientId: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
