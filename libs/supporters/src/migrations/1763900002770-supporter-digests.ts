import { MigrationInterface, QueryRunner } from 'typeorm';
import { enableTenantIsolation } from '#cairn/shared/database';

// Frozen here: the full lists as of this migration.
const KINDS_BEFORE = ['NUDGE', 'REPORT', 'INVITATION'];
const KINDS = [...KINDS_BEFORE, 'SUPPORTER_DIGEST'];
const quoted = (values: string[]) => values.map((v) => `'${v}'`).join(', ');

/**
 * Supporters' digests: each client's cadence (absent: weekly), each supporter's one-click opt-out, and the
 * message kind the digest emails are sent as.
 */
export class SupporterDigests1763900002770 implements MigrationInterface {
  name = 'SupporterDigests1763900002770';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE supporters ADD COLUMN digest_opted_out_at timestamptz`);
    await q.query(`CREATE TABLE supporter_digest_cadences (
      tenant_id uuid NOT NULL,
      client_id uuid NOT NULL,
      cadence text NOT NULL CHECK (cadence IN ('DAILY', 'WEEKLY', 'OFF')),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, client_id),
      FOREIGN KEY (tenant_id, client_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
    )`);
    await enableTenantIsolation(q, 'supporter_digest_cadences');
    await q.query(`ALTER TABLE messages DROP CONSTRAINT messages_kind_check,
      ADD CONSTRAINT messages_kind_check CHECK (kind IN (${quoted(KINDS)}))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM messages WHERE kind = 'SUPPORTER_DIGEST'`);
    await q.query(`ALTER TABLE messages DROP CONSTRAINT messages_kind_check,
      ADD CONSTRAINT messages_kind_check CHECK (kind IN (${quoted(KINDS_BEFORE)}))`);
    await q.query(`DROP TABLE IF EXISTS supporter_digest_cadences`);
    await q.query(`ALTER TABLE supporters DROP COLUMN digest_opted_out_at`);
  }
}
