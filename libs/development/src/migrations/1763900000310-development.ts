import { MigrationInterface, QueryRunner } from 'typeorm';
import { enableTenantIsolation } from '#cairn/shared/database';

/** Fact-finding development lists, career-path ladders, and the link from goals to a ladder's steps. */
export class Development1763900000310 implements MigrationInterface {
  name = 'Development1763900000310';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE development_items (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL,
      client_id uuid NOT NULL,
      category text NOT NULL CHECK (category IN ('SKILL', 'TRAINING', 'RELATIONSHIP', 'JOB_THRESHOLD', 'WEAKNESS')),
      source text NOT NULL CHECK (source IN ('SELF_REFLECTION', 'COACH', 'MENTOR', 'BOSS', 'PEER', 'DIRECT_REPORT',
        'FRIEND', 'PERFORMANCE_REVIEW')),
      title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
      notes text CHECK (length(notes) <= 2000),
      value_score smallint NOT NULL CHECK (value_score BETWEEN 1 AND 5),
      motivation_score smallint NOT NULL CHECK (motivation_score BETWEEN 1 AND 5),
      status text NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN', 'CONVERTED', 'DISMISSED')),
      goal_id uuid,
      converted_at timestamptz,
      dismissed_at timestamptz,
      dismiss_reason text CHECK (length(dismiss_reason) <= 500),
      created_by_user_id uuid,
      created_by_api_key_id uuid,
      version integer NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (tenant_id, id),
      CHECK ((status = 'CONVERTED') = (converted_at IS NOT NULL)),
      CHECK ((status = 'DISMISSED') = (dismissed_at IS NOT NULL)),
      -- A converted item keeps its status if its goal is ever deleted; only the link is cleared.
      CHECK (goal_id IS NULL OR status = 'CONVERTED'),
      FOREIGN KEY (tenant_id, client_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE,
      FOREIGN KEY (tenant_id, goal_id) REFERENCES goals (tenant_id, id) ON DELETE SET NULL (goal_id),
      FOREIGN KEY (tenant_id, created_by_user_id) REFERENCES users (tenant_id, id)
    )`);
    await q.query(`CREATE INDEX development_items_tenant_created ON development_items (tenant_id, created_at, id)`);
    await q.query(`CREATE INDEX development_items_tenant_client_status ON development_items (tenant_id, client_id, status)`);
    // One item per goal; also the lookup behind Goal.developmentItem.
    await q.query(`CREATE UNIQUE INDEX development_items_tenant_goal ON development_items (tenant_id, goal_id)`);
    await enableTenantIsolation(q, 'development_items');

    await q.query(`CREATE TABLE career_paths (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL,
      client_id uuid NOT NULL,
      title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
      description text CHECK (length(description) <= 2000),
      current_step_id uuid,
      archived_at timestamptz,
      created_by_user_id uuid,
      created_by_api_key_id uuid,
      version integer NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (tenant_id, id),
      FOREIGN KEY (tenant_id, client_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE,
      FOREIGN KEY (tenant_id, created_by_user_id) REFERENCES users (tenant_id, id)
    )`);
    await q.query(`CREATE INDEX career_paths_tenant_created ON career_paths (tenant_id, created_at, id)`);
    await q.query(`CREATE INDEX career_paths_tenant_client ON career_paths (tenant_id, client_id, created_at, id)`);
    // One active (unarchived) path per client; archived ones stay as history.
    await q.query(`CREATE UNIQUE INDEX career_paths_one_active ON career_paths (tenant_id, client_id)
      WHERE archived_at IS NULL`);
    await enableTenantIsolation(q, 'career_paths');

    await q.query(`CREATE TABLE career_steps (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL,
      path_id uuid NOT NULL,
      position integer NOT NULL CHECK (position >= 1),
      title text NOT NULL CHECK (length(title) BETWEEN 1 AND 120),
      description text CHECK (length(description) <= 2000),
      estimated_years numeric(4, 1) NOT NULL DEFAULT 0 CHECK (estimated_years BETWEEN 0 AND 50),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (tenant_id, id),
      UNIQUE (tenant_id, path_id, id),
      -- Checked at the end of each statement, so one UPDATE can shift or permute the rungs.
      CONSTRAINT career_steps_position UNIQUE (tenant_id, path_id, position) DEFERRABLE INITIALLY IMMEDIATE,
      FOREIGN KEY (tenant_id, path_id) REFERENCES career_paths (tenant_id, id) ON DELETE CASCADE
    )`);
    await q.query(`CREATE INDEX career_steps_tenant_path ON career_steps (tenant_id, path_id, position)`);
    await enableTenantIsolation(q, 'career_steps');

    // The current step must be a step of the same path; removing it leaves the client "not on the ladder".
    await q.query(`ALTER TABLE career_paths ADD CONSTRAINT career_paths_current_step
      FOREIGN KEY (tenant_id, id, current_step_id) REFERENCES career_steps (tenant_id, path_id, id)
      ON DELETE SET NULL (current_step_id)`);

    // Removing a step unlinks its goals and nothing else (tenant_id stays).
    await q.query(`ALTER TABLE goals ADD CONSTRAINT goals_career_step
      FOREIGN KEY (tenant_id, career_step_id) REFERENCES career_steps (tenant_id, id)
      ON DELETE SET NULL (career_step_id)`);
    await q.query(`CREATE INDEX goals_tenant_career_step ON goals (tenant_id, career_step_id)
      WHERE career_step_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS goals_tenant_career_step`);
    await q.query(`ALTER TABLE goals DROP CONSTRAINT IF EXISTS goals_career_step`);
    await q.query(`ALTER TABLE career_paths DROP CONSTRAINT IF EXISTS career_paths_current_step`);
    await q.query(`DROP TABLE IF EXISTS career_steps`);
    await q.query(`DROP TABLE IF EXISTS career_paths`);
    await q.query(`DROP TABLE IF EXISTS development_items`);
  }
}
