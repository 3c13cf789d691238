import { MigrationInterface, QueryRunner } from 'typeorm';
import { enableTenantIsolation } from '#cairn/shared/database';

/**
 * OpenID Connect single sign-on per firm: its identity provider (the client secret sealed), the sign-ins under
 * way (state, nonce and PKCE verifier kept server-side, single use) and the provider accounts linked to users.
 */
export class SingleSignOn1763900003000 implements MigrationInterface {
  name = 'SingleSignOn1763900003000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE sso_configurations (
      tenant_id uuid PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE,
      issuer text NOT NULL CHECK (issuer ~ '^https?://' AND length(issuer) <= 500),
      client_id text NOT NULL CHECK (length(client_id) BETWEEN 1 AND 500),
      client_secret text NOT NULL,
      email_domain text NOT NULL CHECK (email_domain = lower(email_domain) AND length(email_domain) <= 253),
      return_url text NOT NULL CHECK (return_url ~ '^https?://' AND length(return_url) <= 2000),
      enabled boolean NOT NULL,
      -- People other than ADMINs sign in only through the provider (admins keep their password: a way back in).
      require_sso boolean NOT NULL DEFAULT false,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      version integer NOT NULL DEFAULT 1
    )`);
    await enableTenantIsolation(q, 'sso_configurations');

    // One row per sign-in: created at start (state), used once at the callback, then its one-time code once.
    await q.query(`CREATE TABLE sso_sign_ins (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
      state_hash text NOT NULL,
      nonce text NOT NULL,
      code_verifier text NOT NULL,
      expires_at timestamptz NOT NULL,
      called_back_at timestamptz,
      user_id uuid,
      code_hash text,
      code_expires_at timestamptz,
      completed_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
    )`);
    await q.query(`CREATE INDEX sso_sign_ins_tenant_created ON sso_sign_ins (tenant_id, created_at)`);
    // The callback knows only the state, not the firm: looked up across tenants (256 random bits, so unique
    // in practice; not a unique key, which would have to include tenant_id).
    await q.query(`CREATE INDEX sso_sign_ins_state ON sso_sign_ins (state_hash)`);
    await q.query(`CREATE INDEX sso_sign_ins_expires ON sso_sign_ins (expires_at)`);
    await enableTenantIsolation(q, 'sso_sign_ins');

    // A provider account (issuer + subject) is one user's, whatever its email later becomes.
    await q.query(`CREATE TABLE sso_identities (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
      user_id uuid NOT NULL,
      issuer text NOT NULL,
      subject text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      last_used_at timestamptz,
      FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE,
      UNIQUE (tenant_id, issuer, subject),
      UNIQUE (tenant_id, user_id, issuer)
    )`);
    await enableTenantIsolation(q, 'sso_identities');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS sso_identities`);
    await q.query(`DROP TABLE IF EXISTS sso_sign_ins`);
    await q.query(`DROP TABLE IF EXISTS sso_configurations`);
  }
}
