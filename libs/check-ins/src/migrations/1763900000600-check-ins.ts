import { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_DB_ROLE, enableTenantIsolation } from '#cairn/shared/database';

/** The firm's library of check-in templates, each with immutable versions of its prompts. */
export class CheckIns1763900000600 implements MigrationInterface {
  name = 'CheckIns1763900000600';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE checkin_templates (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
      description text CHECK (length(description) <= 1000),
      current_version integer NOT NULL CHECK (current_version >= 1),
      archived_at timestamptz,
      created_by_user_id uuid,
      created_by_api_key_id uuid,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (tenant_id, id),
      FOREIGN KEY (tenant_id, created_by_user_id) REFERENCES users (tenant_id, id)
    )`);
    await q.query(`CREATE INDEX checkin_templates_tenant_created ON checkin_templates (tenant_id, created_at, id)`);
    await enableTenantIsolation(q, 'checkin_templates');

    await q.query(`CREATE TABLE checkin_template_versions (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL,
      template_id uuid NOT NULL,
      version integer NOT NULL CHECK (version >= 1),
      prompts jsonb NOT NULL CHECK (jsonb_typeof(prompts) = 'array' AND jsonb_array_length(prompts) BETWEEN 1 AND 30),
      created_by_user_id uuid,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (tenant_id, template_id, version),
      UNIQUE (tenant_id, id),
      FOREIGN KEY (tenant_id, template_id) REFERENCES checkin_templates (tenant_id, id) ON DELETE CASCADE,
      FOREIGN KEY (tenant_id, created_by_user_id) REFERENCES users (tenant_id, id)
    )`);
    await enableTenantIsolation(q, 'checkin_template_versions');
    // Versions are history: the application role may add them, never change or remove them.
    await q.query(`REVOKE UPDATE, DELETE ON checkin_template_versions FROM ${APP_DB_ROLE}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS checkin_template_versions`);
    await q.query(`DROP TABLE IF EXISTS checkin_templates`);
  }
}
