import { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_DB_ROLE, enableTenantIsolation } from '#cairn/shared/database';

/** Firms (tenants), their users, sessions, API keys and invitations. Indexes lead with tenant_id. */
export class Identity1763900000100 implements MigrationInterface {
  name = 'Identity1763900000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE tenants (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
      slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{1,48}[a-z0-9]$'),
      default_timezone text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    // A tenant sees (and may rename) only its own firm row.
    await q.query(`ALTER TABLE tenants ENABLE ROW LEVEL SECURITY`);
    await q.query(`CREATE POLICY tenant_isolation ON tenants FOR ALL TO ${APP_DB_ROLE}
      USING (id = app_current_tenant()) WITH CHECK (id = app_current_tenant())`);
    await q.query(`GRANT SELECT, UPDATE ON tenants TO ${APP_DB_ROLE}`);

    await q.query(`CREATE TABLE users (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
      email text NOT NULL CHECK (email = lower(email) AND length(email) <= 254),
      display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 120),
      role text NOT NULL CHECK (role IN ('ADMIN', 'COACH', 'CLIENT')),
      status text NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'DEACTIVATED')),
      password_hash text,
      timezone text,
      last_login_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (tenant_id, id)
    )`);
    await q.query(`CREATE UNIQUE INDEX users_tenant_email ON users (tenant_id, email)`);
    await q.query(`CREATE INDEX users_tenant_created ON users (tenant_id, created_at, id)`);
    await q.query(`CREATE INDEX users_tenant_role_created ON users (tenant_id, role, created_at, id)`);
    await enableTenantIsolation(q, 'users');

    await q.query(`CREATE TABLE refresh_tokens (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL,
      user_id uuid NOT NULL,
      family_id uuid NOT NULL,
      secret_hash text NOT NULL,
      expires_at timestamptz NOT NULL,
      used_at timestamptz,
      revoked_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
    )`);
    await q.query(`CREATE INDEX refresh_tokens_tenant_family ON refresh_tokens (tenant_id, family_id)`);
    await q.query(`CREATE INDEX refresh_tokens_tenant_user ON refresh_tokens (tenant_id, user_id)`);
    await q.query(`CREATE INDEX refresh_tokens_expires ON refresh_tokens (expires_at)`);
    await enableTenantIsolation(q, 'refresh_tokens');

    await q.query(`CREATE TABLE api_keys (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
      secret_hash text NOT NULL,
      scopes text[] NOT NULL CHECK (cardinality(scopes) > 0),
      created_by_user_id uuid NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      last_used_at timestamptz,
      revoked_at timestamptz,
      FOREIGN KEY (tenant_id, created_by_user_id) REFERENCES users (tenant_id, id)
    )`);
    await q.query(`CREATE INDEX api_keys_tenant_created ON api_keys (tenant_id, created_at, id)`);
    await enableTenantIsolation(q, 'api_keys');

    await q.query(`CREATE TABLE invitations (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
      email text NOT NULL CHECK (email = lower(email) AND length(email) <= 254),
      display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 120),
      role text NOT NULL CHECK (role IN ('ADMIN', 'COACH', 'CLIENT')),
      secret_hash text NOT NULL,
      invited_by_user_id uuid NOT NULL,
      expires_at timestamptz NOT NULL,
      accepted_at timestamptz,
      revoked_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      FOREIGN KEY (tenant_id, invited_by_user_id) REFERENCES users (tenant_id, id)
    )`);
    await q.query(`CREATE INDEX invitations_tenant_created ON invitations (tenant_id, created_at, id)`);
    // At most one open invitation per address: re-inviting supersedes the previous one.
    await q.query(`CREATE UNIQUE INDEX invitations_tenant_open_email ON invitations (tenant_id, email)
      WHERE accepted_at IS NULL AND revoked_at IS NULL`);
    await enableTenantIsolation(q, 'invitations');
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['invitations', 'api_keys', 'refresh_tokens', 'users', 'tenants']) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
