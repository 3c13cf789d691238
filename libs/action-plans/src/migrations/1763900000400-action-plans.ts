import { MigrationInterface, QueryRunner } from 'typeorm';
import { enableTenantIsolation } from '#cairn/shared/database';

/** Action-plan tasks of goals, the dependencies between them and their completion log. */
export class ActionPlans1763900000400 implements MigrationInterface {
  name = 'ActionPlans1763900000400';

  async up(q: QueryRunner): Promise<void> {
    // client_id repeats the goal's client so per-client views and the same-client dependency rule need no join.
    await q.query(`CREATE TABLE action_tasks (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL,
      goal_id uuid NOT NULL,
      client_id uuid NOT NULL,
      title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
      notes text CHECK (length(notes) <= 2000),
      status text NOT NULL DEFAULT 'TODO' CHECK (status IN ('TODO', 'IN_PROGRESS', 'DONE', 'CANCELLED')),
      start_date date NOT NULL,
      due_date date CHECK (due_date >= start_date),
      recurrence text CHECK (length(recurrence) BETWEEN 1 AND 500),
      count_target smallint NOT NULL DEFAULT 1 CHECK (count_target BETWEEN 1 AND 100),
      completed_at timestamptz,
      created_by_user_id uuid,
      created_by_api_key_id uuid,
      version integer NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (tenant_id, id),
      UNIQUE (tenant_id, id, client_id),
      CHECK (recurrence IS NOT NULL OR due_date IS NOT NULL),
      CHECK ((status = 'DONE') = (completed_at IS NOT NULL)),
      FOREIGN KEY (tenant_id, goal_id) REFERENCES goals (tenant_id, id) ON DELETE CASCADE,
      FOREIGN KEY (tenant_id, client_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE,
      FOREIGN KEY (tenant_id, created_by_user_id) REFERENCES users (tenant_id, id)
    )`);
    await q.query(`CREATE INDEX action_tasks_tenant_created ON action_tasks (tenant_id, created_at, id)`);
    await q.query(`CREATE INDEX action_tasks_tenant_goal ON action_tasks (tenant_id, goal_id)`);
    await q.query(
      `CREATE INDEX action_tasks_tenant_client_status ON action_tasks (tenant_id, client_id, status)`,
    );
    await enableTenantIsolation(q, 'action_tasks');

    // Both ends carry the same client_id in the composite keys: a dependency across clients cannot exist.
    await q.query(`CREATE TABLE task_dependencies (
      tenant_id uuid NOT NULL,
      task_id uuid NOT NULL,
      depends_on_id uuid NOT NULL,
      client_id uuid NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, task_id, depends_on_id),
      CHECK (task_id <> depends_on_id),
      FOREIGN KEY (tenant_id, task_id, client_id) REFERENCES action_tasks (tenant_id, id, client_id) ON DELETE CASCADE,
      FOREIGN KEY (tenant_id, depends_on_id, client_id) REFERENCES action_tasks (tenant_id, id, client_id) ON DELETE CASCADE
    )`);
    await q.query(
      `CREATE INDEX task_dependencies_tenant_depends_on ON task_dependencies (tenant_id, depends_on_id)`,
    );
    await enableTenantIsolation(q, 'task_dependencies');

    await q.query(`CREATE TABLE task_completions (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL,
      task_id uuid NOT NULL,
      client_id uuid NOT NULL,
      occurrence_on date,
      count smallint NOT NULL CHECK (count BETWEEN 1 AND 100),
      note text CHECK (length(note) <= 500),
      logged_by_user_id uuid,
      logged_by_api_key_id uuid,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (tenant_id, id),
      FOREIGN KEY (tenant_id, task_id, client_id) REFERENCES action_tasks (tenant_id, id, client_id) ON DELETE CASCADE,
      FOREIGN KEY (tenant_id, logged_by_user_id) REFERENCES users (tenant_id, id)
    )`);
    await q.query(
      `CREATE INDEX task_completions_tenant_created ON task_completions (tenant_id, created_at, id)`,
    );
    await q.query(
      `CREATE INDEX task_completions_tenant_task_occurrence ON task_completions (tenant_id, task_id, occurrence_on)`,
    );
    await enableTenantIsolation(q, 'task_completions');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS task_completions`);
    await q.query(`DROP TABLE IF EXISTS task_dependencies`);
    await q.query(`DROP TABLE IF EXISTS action_tasks`);
  }
}
