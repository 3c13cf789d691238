import { MigrationInterface, QueryRunner } from 'typeorm';
import { enableTenantIsolation } from '#cairn/shared/database';

/** Which overdue occurrences were announced (`task.overdue`): the key that makes the announcement happen once. */
export class TaskOverdueNotices1763900000410 implements MigrationInterface {
  name = 'TaskOverdueNotices1763900000410';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE task_overdue_notices (
      tenant_id uuid NOT NULL,
      task_id uuid NOT NULL,
      overdue_since date NOT NULL,
      announced_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, task_id, overdue_since),
      FOREIGN KEY (tenant_id, task_id) REFERENCES action_tasks (tenant_id, id) ON DELETE CASCADE
    )`);
    await enableTenantIsolation(q, 'task_overdue_notices');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS task_overdue_notices`);
  }
}
