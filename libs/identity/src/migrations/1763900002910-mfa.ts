import { MigrationInterface, QueryRunner } from 'typeorm';
import { enableTenantIsolation } from '#cairn/shared/database';

const TABLES = ['mfa_policies', 'mfa_challenges', 'mfa_recovery_codes', 'user_mfa'];

/**
 * Multi-factor sign-in (issue 16, part 4): each person's TOTP secret (sealed with DATA_ENCRYPTION_KEY, since
 * checking a code needs the secret itself), their one-time recovery codes (SHA-256: they are random, 80 bits),
 * the short-lived challenges between the password and the code, and the firm's policy of roles that must use it.
 */
export class Mfa1763900002910 implements MigrationInterface {
  name = 'Mfa1763900002910';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE user_mfa (
      tenant_id uuid NOT NULL,
      user_id uuid NOT NULL,
      secret_sealed text NOT NULL,
      -- NULL while enrolment waits for its first code.
      enabled_at timestamptz,
      -- The last TOTP time step accepted: a code is good once (RFC 6238, section 5.2).
      last_used_step bigint,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, user_id),
      FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
    )`);

    await q.query(`CREATE TABLE mfa_recovery_codes (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL,
      user_id uuid NOT NULL,
      code_hash text NOT NULL,
      used_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
    )`);
    await q.query(
      `CREATE INDEX mfa_recovery_codes_tenant_user ON mfa_recovery_codes (tenant_id, user_id, code_hash)`,
    );

    // SIGN_IN: the password was right, the code is due. ENROL: the firm requires MFA and the person has none yet.
    await q.query(`CREATE TABLE mfa_challenges (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL,
      user_id uuid NOT NULL,
      purpose text NOT NULL CHECK (purpose IN ('SIGN_IN', 'ENROL')),
      secret_hash text NOT NULL,
      expires_at timestamptz NOT NULL,
      used_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
    )`);
    await q.query(`CREATE INDEX mfa_challenges_tenant_user ON mfa_challenges (tenant_id, user_id)`);
    await q.query(`CREATE INDEX mfa_challenges_expires ON mfa_challenges (expires_at)`);

    // Absent: nobody is required to use MFA.
    await q.query(`CREATE TABLE mfa_policies (
      tenant_id uuid PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
      required_for text[] NOT NULL DEFAULT '{}' CHECK (required_for <@ ARRAY['ADMIN', 'COACH']::text[]),
      updated_by_user_id uuid,
      updated_at timestamptz NOT NULL DEFAULT now(),
      FOREIGN KEY (tenant_id, updated_by_user_id) REFERENCES users (tenant_id, id)
    )`);

    for (const table of TABLES) await enableTenantIsolation(q, table);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of TABLES) await q.query(`DROP TABLE IF EXISTS ${table}`);
  }
}
