import { MigrationInterface, QueryRunner } from 'typeorm';
import { enableTenantIsolation } from '#cairn/shared/database';

const TABLES = [
  'supporter_policies',
  'goal_supporter_shares',
  'supporter_encouragements',
  'supporter_requests',
  'supporter_sessions',
  'supporter_links',
  'supporters',
];

/**
 * The accountability circle (issue 13, part 2): people a client invited to follow goals they share, with the
 * passwordless links and sessions that let them in, what they sent back, and the firm's switch. Every table is
 * tenant-owned with tenant-first keys and the usual row-level security.
 */
export class Supporters1763900002750 implements MigrationInterface {
  name = 'Supporters1763900002750';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE supporters (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL,
      client_id uuid NOT NULL,
      email text NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
      display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 120),
      relationship text NOT NULL CHECK (relationship IN ('BOSS', 'MENTOR', 'COLLEAGUE', 'FRIEND', 'FAMILY', 'OTHER')),
      timezone text,
      -- Set when a coach invited for the client: what the client agreed to, in the coach's words.
      consent_note text CHECK (length(consent_note) BETWEEN 1 AND 500),
      invited_by_user_id uuid,
      revoked_at timestamptz,
      version integer NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (tenant_id, id),
      FOREIGN KEY (tenant_id, client_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE,
      FOREIGN KEY (tenant_id, invited_by_user_id) REFERENCES users (tenant_id, id)
    )`);
    await q.query(`CREATE INDEX supporters_tenant_client ON supporters (tenant_id, client_id, created_at, id)`);
    // One open invitation per address and client: inviting again resends the link instead.
    await q.query(
      `CREATE UNIQUE INDEX supporters_open_email ON supporters (tenant_id, client_id, email) WHERE revoked_at IS NULL`,
    );

    // Single-use, expiring: exchanged once for a session.
    await q.query(`CREATE TABLE supporter_links (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL,
      supporter_id uuid NOT NULL,
      secret_hash text NOT NULL,
      expires_at timestamptz NOT NULL,
      used_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      FOREIGN KEY (tenant_id, supporter_id) REFERENCES supporters (tenant_id, id) ON DELETE CASCADE
    )`);
    await q.query(`CREATE INDEX supporter_links_tenant_supporter ON supporter_links (tenant_id, supporter_id)`);

    // A supporter's login: its refresh secret rotates on every use; revoked with the supporter or the firm's switch.
    await q.query(`CREATE TABLE supporter_sessions (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL,
      supporter_id uuid NOT NULL,
      secret_hash text NOT NULL,
      expires_at timestamptz NOT NULL,
      revoked_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      FOREIGN KEY (tenant_id, supporter_id) REFERENCES supporters (tenant_id, id) ON DELETE CASCADE
    )`);
    await q.query(`CREATE INDEX supporter_sessions_tenant_supporter ON supporter_sessions (tenant_id, supporter_id)`);

    await q.query(`CREATE TABLE goal_supporter_shares (
      tenant_id uuid NOT NULL,
      goal_id uuid NOT NULL,
      supporter_id uuid NOT NULL,
      shared_by_user_id uuid,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, goal_id, supporter_id),
      FOREIGN KEY (tenant_id, goal_id) REFERENCES goals (tenant_id, id) ON DELETE CASCADE,
      FOREIGN KEY (tenant_id, supporter_id) REFERENCES supporters (tenant_id, id) ON DELETE CASCADE,
      FOREIGN KEY (tenant_id, shared_by_user_id) REFERENCES users (tenant_id, id)
    )`);
    await q.query(`CREATE INDEX goal_supporter_shares_tenant_supporter ON goal_supporter_shares (tenant_id, supporter_id)`);

    await q.query(`CREATE TABLE supporter_encouragements (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL,
      supporter_id uuid NOT NULL,
      client_id uuid NOT NULL,
      goal_id uuid,
      body text NOT NULL CHECK (length(body) BETWEEN 1 AND 1000),
      created_at timestamptz NOT NULL DEFAULT now(),
      FOREIGN KEY (tenant_id, supporter_id) REFERENCES supporters (tenant_id, id) ON DELETE CASCADE,
      FOREIGN KEY (tenant_id, client_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE,
      FOREIGN KEY (tenant_id, goal_id) REFERENCES goals (tenant_id, id) ON DELETE SET NULL (goal_id)
    )`);
    await q.query(
      `CREATE INDEX supporter_encouragements_tenant_supporter ON supporter_encouragements (tenant_id, supporter_id, created_at)`,
    );

    // Fact-finding: "what should I develop to reach X?"; the answer becomes a development item.
    await q.query(`CREATE TABLE supporter_requests (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL,
      supporter_id uuid NOT NULL,
      client_id uuid NOT NULL,
      question text NOT NULL CHECK (length(question) BETWEEN 1 AND 500),
      status text NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN', 'ANSWERED')),
      development_item_id uuid,
      answered_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK ((status = 'ANSWERED') = (answered_at IS NOT NULL)),
      FOREIGN KEY (tenant_id, supporter_id) REFERENCES supporters (tenant_id, id) ON DELETE CASCADE,
      FOREIGN KEY (tenant_id, client_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE,
      FOREIGN KEY (tenant_id, development_item_id) REFERENCES development_items (tenant_id, id) ON DELETE SET NULL (development_item_id)
    )`);
    await q.query(
      `CREATE INDEX supporter_requests_tenant_supporter ON supporter_requests (tenant_id, supporter_id, status, created_at)`,
    );

    // A firm's switch; absent means on.
    await q.query(`CREATE TABLE supporter_policies (
      tenant_id uuid PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
      enabled boolean NOT NULL DEFAULT true,
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
