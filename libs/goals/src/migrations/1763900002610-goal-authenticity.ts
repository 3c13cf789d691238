import { MigrationInterface, QueryRunner } from 'typeorm';
import { enableTenantIsolation } from '#cairn/shared/database';

const SMART_CATEGORIES = `'SKILL', 'TRAINING', 'RELATIONSHIP', 'JOB_THRESHOLD', 'WEAKNESS', 'POSITION', 'OTHER'`;

/**
 * The authenticity check: goals link to entries of their client's profile of values and strengths (by id, so a
 * rename keeps the link), firms may require authenticity criteria before ACTIVE, and STRENGTH joins the goal
 * categories (building on a strength).
 */
export class GoalAuthenticity1763900002610 implements MigrationInterface {
  name = 'GoalAuthenticity1763900002610';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE goal_trait_links (
      tenant_id uuid NOT NULL,
      goal_id uuid NOT NULL,
      trait_id uuid NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, goal_id, trait_id),
      FOREIGN KEY (tenant_id, goal_id) REFERENCES goals (tenant_id, id) ON DELETE CASCADE,
      FOREIGN KEY (tenant_id, trait_id) REFERENCES client_traits (tenant_id, id) ON DELETE CASCADE
    )`);
    await q.query(`CREATE INDEX goal_trait_links_tenant_trait ON goal_trait_links (tenant_id, trait_id)`);
    await enableTenantIsolation(q, 'goal_trait_links');

    await q.query(`ALTER TABLE goal_policies ADD COLUMN required_authenticity text[] NOT NULL DEFAULT '{}'
      CONSTRAINT goal_policies_required_authenticity_check CHECK (required_authenticity <@ ARRAY['WHY_ANSWERED',
        'VALUES_IN_PROFILE', 'USES_STRENGTH', 'OWN_DESIRE']::text[])`);

    await q.query(`ALTER TABLE goals DROP CONSTRAINT goals_category_check,
      ADD CONSTRAINT goals_category_check CHECK (category IN (${SMART_CATEGORIES}, 'STRENGTH'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE goals SET category = 'OTHER' WHERE category = 'STRENGTH'`);
    await q.query(`ALTER TABLE goals DROP CONSTRAINT goals_category_check,
      ADD CONSTRAINT goals_category_check CHECK (category IN (${SMART_CATEGORIES}))`);
    await q.query(`ALTER TABLE goal_policies DROP COLUMN IF EXISTS required_authenticity`);
    await q.query(`DROP TABLE IF EXISTS goal_trait_links`);
  }
}
