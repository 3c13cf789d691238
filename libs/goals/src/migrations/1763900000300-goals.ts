import { MigrationInterface, QueryRunner } from 'typeorm';
import { enableTenantIsolation } from '#cairn/shared/database';

/** Goal trees with their why, SMART inputs and measures, progress updates and revision history. */
export class Goals1763900000300 implements MigrationInterface {
  name = 'Goals1763900000300';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE goals (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL,
      client_id uuid NOT NULL,
      parent_id uuid,
      horizon text NOT NULL CHECK (horizon IN ('LONG_TERM', 'MID_TERM', 'IMMEDIATE')),
      title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
      description text CHECK (length(description) <= 4000),
      category text NOT NULL CHECK (category IN ('SKILL', 'TRAINING', 'RELATIONSHIP', 'JOB_THRESHOLD', 'WEAKNESS', 'POSITION', 'OTHER')),
      status text NOT NULL DEFAULT 'DRAFT' CHECK (status IN ('DRAFT', 'ACTIVE', 'ON_HOLD', 'ACHIEVED', 'ABANDONED')),
      priority smallint NOT NULL DEFAULT 3 CHECK (priority BETWEEN 1 AND 5),
      start_date date,
      target_date date CHECK (target_date >= start_date),
      motivation text CHECK (length(motivation) <= 2000),
      why_energizes text CHECK (length(why_energizes) <= 2000),
      why_fulfils text CHECK (length(why_fulfils) <= 2000),
      why_aligns_values text CHECK (length(why_aligns_values) <= 2000),
      why_strength smallint CHECK (why_strength BETWEEN 1 AND 10),
      linked_values text[] NOT NULL DEFAULT '{}' CHECK (cardinality(linked_values) <= 20),
      linked_strengths text[] NOT NULL DEFAULT '{}' CHECK (cardinality(linked_strengths) <= 20),
      attainability_notes text CHECK (length(attainability_notes) <= 2000),
      skills_gap text CHECK (length(skills_gap) <= 2000),
      challenge_level text CHECK (challenge_level IN ('COMFORTABLE', 'STRETCH', 'AMBITIOUS')),
      proposed_by text NOT NULL DEFAULT 'CLIENT' CHECK (proposed_by IN ('CLIENT', 'COACH', 'MANAGER', 'MENTOR', 'OTHER')),
      career_step_id uuid,
      created_by_user_id uuid,
      created_by_api_key_id uuid,
      achieved_at timestamptz,
      version integer NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (tenant_id, id),
      CHECK (parent_id <> id),
      CHECK ((status = 'ACHIEVED') = (achieved_at IS NOT NULL)),
      FOREIGN KEY (tenant_id, client_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE,
      FOREIGN KEY (tenant_id, parent_id) REFERENCES goals (tenant_id, id),
      FOREIGN KEY (tenant_id, created_by_user_id) REFERENCES users (tenant_id, id)
    )`);
    await q.query(`CREATE INDEX goals_tenant_created ON goals (tenant_id, created_at, id)`);
    await q.query(`CREATE INDEX goals_tenant_client_status ON goals (tenant_id, client_id, status)`);
    await q.query(`CREATE INDEX goals_tenant_parent ON goals (tenant_id, parent_id)`);
    await enableTenantIsolation(q, 'goals');

    // Removed measures stay (removed_at) so their progress history and revisions keep pointing at something.
    await q.query(`CREATE TABLE goal_measures (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL,
      goal_id uuid NOT NULL,
      kind text NOT NULL CHECK (kind IN ('MILESTONE', 'NUMERIC', 'COUNT', 'PERCENTAGE')),
      title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
      unit text CHECK (length(unit) BETWEEN 1 AND 40),
      baseline double precision,
      target double precision,
      direction text CHECK (direction IN ('INCREASE', 'DECREASE')),
      period_start date,
      period_end date,
      period_months smallint CHECK (period_months BETWEEN 1 AND 120),
      removed_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (tenant_id, id),
      CHECK (kind <> 'MILESTONE' OR (target IS NULL AND baseline IS NULL AND direction IS NULL AND period_start IS NULL)),
      CHECK (kind NOT IN ('NUMERIC', 'PERCENTAGE') OR (target IS NOT NULL AND baseline IS NOT NULL
        AND direction IS NOT NULL AND target <> baseline)),
      CHECK (kind <> 'PERCENTAGE' OR (target BETWEEN 0 AND 100 AND baseline BETWEEN 0 AND 100)),
      CHECK (kind <> 'COUNT' OR (target >= 1 AND target = trunc(target) AND period_start IS NOT NULL
        AND period_end >= period_start AND period_months IS NOT NULL)),
      FOREIGN KEY (tenant_id, goal_id) REFERENCES goals (tenant_id, id) ON DELETE CASCADE
    )`);
    await q.query(`CREATE INDEX goal_measures_tenant_goal ON goal_measures (tenant_id, goal_id, created_at)`);
    await enableTenantIsolation(q, 'goal_measures');

    await q.query(`CREATE TABLE progress_updates (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL,
      measure_id uuid NOT NULL,
      goal_id uuid NOT NULL,
      value double precision NOT NULL,
      note text CHECK (length(note) <= 1000),
      occurred_on date NOT NULL,
      recorded_by_user_id uuid,
      recorded_by_api_key_id uuid,
      created_at timestamptz NOT NULL DEFAULT now(),
      CHECK (recorded_by_user_id IS NOT NULL OR recorded_by_api_key_id IS NOT NULL),
      FOREIGN KEY (tenant_id, measure_id) REFERENCES goal_measures (tenant_id, id) ON DELETE CASCADE,
      FOREIGN KEY (tenant_id, goal_id) REFERENCES goals (tenant_id, id) ON DELETE CASCADE,
      FOREIGN KEY (tenant_id, recorded_by_user_id) REFERENCES users (tenant_id, id)
    )`);
    // Latest value per measure and sums within a period both walk this index.
    await q.query(`CREATE INDEX progress_updates_tenant_measure
      ON progress_updates (tenant_id, measure_id, occurred_on, created_at)`);
    await q.query(`CREATE INDEX progress_updates_tenant_goal ON progress_updates (tenant_id, goal_id)`);
    await enableTenantIsolation(q, 'progress_updates');

    await q.query(`CREATE TABLE goal_revisions (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL,
      goal_id uuid NOT NULL,
      version integer NOT NULL CHECK (version >= 1),
      action text NOT NULL CHECK (action IN ('CREATED', 'UPDATED', 'STATUS_CHANGED', 'MEASURE_ADDED',
        'MEASURE_UPDATED', 'MEASURE_REMOVED')),
      changes jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(changes) = 'array'),
      measure_id uuid,
      reason text CHECK (length(reason) <= 500),
      changed_by_user_id uuid,
      changed_by_api_key_id uuid,
      created_at timestamptz NOT NULL DEFAULT now(),
      CHECK (changed_by_user_id IS NOT NULL OR changed_by_api_key_id IS NOT NULL),
      FOREIGN KEY (tenant_id, goal_id) REFERENCES goals (tenant_id, id) ON DELETE CASCADE,
      FOREIGN KEY (tenant_id, measure_id) REFERENCES goal_measures (tenant_id, id),
      FOREIGN KEY (tenant_id, changed_by_user_id) REFERENCES users (tenant_id, id)
    )`);
    // One revision per goal version: a second writer of the same version cannot slip a revision in.
    await q.query(
      `CREATE UNIQUE INDEX goal_revisions_tenant_goal_version ON goal_revisions (tenant_id, goal_id, version)`,
    );
    await enableTenantIsolation(q, 'goal_revisions');

    await q.query(`CREATE TABLE goal_policies (
      tenant_id uuid PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
      required_criteria text[] NOT NULL CHECK (required_criteria <@ ARRAY['SPECIFIC', 'MEASURABLE', 'ATTAINABLE',
        'RELEVANT', 'TIME_BOUND', 'POSITIVE_PHRASING', 'OWN_DESIRE']::text[]),
      updated_by_user_id uuid,
      updated_at timestamptz NOT NULL DEFAULT now(),
      FOREIGN KEY (tenant_id, updated_by_user_id) REFERENCES users (tenant_id, id)
    )`);
    await enableTenantIsolation(q, 'goal_policies');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS goal_policies`);
    await q.query(`DROP TABLE IF EXISTS goal_revisions`);
    await q.query(`DROP TABLE IF EXISTS progress_updates`);
    await q.query(`DROP TABLE IF EXISTS goal_measures`);
    await q.query(`DROP TABLE IF EXISTS goals`);
  }
}
