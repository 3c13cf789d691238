import { MigrationInterface, QueryRunner } from 'typeorm';
import { enableTenantIsolation } from '#cairn/shared/database';

/** Each person's secret calendar (ICS) feed: at most one live (not revoked) feed per person. */
export class CalendarFeeds1763900000800 implements MigrationInterface {
  name = 'CalendarFeeds1763900000800';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE calendar_feeds (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
      user_id uuid NOT NULL,
      secret_hash text NOT NULL CHECK (secret_hash ~ '^[0-9a-f]{64}$'),
      created_at timestamptz NOT NULL DEFAULT now(),
      rotated_at timestamptz,
      revoked_at timestamptz,
      last_accessed_at timestamptz,
      FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
    )`);
    // Rotation replaces the secret in place; a revoked feed stays as history and frees the slot for a new one.
    await q.query(`CREATE UNIQUE INDEX calendar_feeds_tenant_user_live ON calendar_feeds (tenant_id, user_id)
      WHERE revoked_at IS NULL`);
    await enableTenantIsolation(q, 'calendar_feeds');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS calendar_feeds`);
  }
}
