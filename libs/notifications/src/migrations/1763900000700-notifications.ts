import { MigrationInterface, QueryRunner } from 'typeorm';
import { enableTenantIsolation } from '#cairn/shared/database';

// Frozen here rather than imported: a migration must not change when the enum grows. A new kind replaces
// the named constraint in a later migration.
const KINDS = ['CHECKIN_DUE', 'CHECKIN_FEEDBACK_ADDED', 'CHECKIN_SUBMITTED', 'CHECKIN_MISSED'];

/** Each person's in-app notification feed. */
export class Notifications1763900000700 implements MigrationInterface {
  name = 'Notifications1763900000700';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE notifications (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL,
      recipient_user_id uuid NOT NULL,
      kind text NOT NULL CONSTRAINT notifications_kind_check CHECK (kind IN (${KINDS.map((k) => `'${k}'`).join(', ')})),
      title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
      body text CHECK (length(body) <= 2000),
      client_id uuid,
      check_in_id uuid,
      dedupe_key text NOT NULL CHECK (length(dedupe_key) BETWEEN 1 AND 200),
      read_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      FOREIGN KEY (tenant_id, recipient_user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE,
      FOREIGN KEY (tenant_id, client_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE,
      CONSTRAINT notifications_dedupe UNIQUE (tenant_id, recipient_user_id, dedupe_key)
    )`);
    // The feed, newest first (a backward scan), and the unread count / unreadOnly feed.
    await q.query(
      `CREATE INDEX notifications_feed ON notifications (tenant_id, recipient_user_id, created_at, id)`,
    );
    await q.query(`CREATE INDEX notifications_unread ON notifications (tenant_id, recipient_user_id, created_at, id)
      WHERE read_at IS NULL`);
    await enableTenantIsolation(q, 'notifications');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS notifications`);
  }
}
