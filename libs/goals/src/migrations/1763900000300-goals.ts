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
      FOREIGN KEY (tenant_id, client_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE,
      FOREIGN KEY (tenant_id, parent_id) REFERENCES goals (tenant_id, id),
      FOREIGN KEY (tenant_id, created_by_user_id) REFERENCES users (tenant_id, id)
    )`);
    await q.query(`CREATE INDEX goals_tenant_created ON goals (tenant_id, created_at, id)`);
    await q.query(`CREATE INDEX goals_tenant_client_status ON goals (tenant_id, client_id, status)`);
    await q.query(`CREATE INDEX goals_tenant_parent ON goals (tenant_id, parent_id)`);
    await enableTenantIsolation(q, 'goals');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS goals`);
  }
}
