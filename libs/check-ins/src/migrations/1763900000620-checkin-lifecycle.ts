import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the worker's check-in sweep needs to be idempotent: how far ahead each assignment has been materialized,
 * and when a check-in's opening was announced (`checkin.due`). Also excusing a check-in.
 */
export class CheckInLifecycle1763900000620 implements MigrationInterface {
  name = 'CheckInLifecycle1763900000620';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE checkin_assignments ADD COLUMN materialized_through timestamptz`);
    await q.query(`ALTER TABLE check_ins
      ADD COLUMN announced_at timestamptz,
      ADD COLUMN missed_at timestamptz,
      ADD COLUMN excused_at timestamptz,
      ADD COLUMN excused_by_user_id uuid,
      ADD COLUMN excuse_reason text CHECK (length(excuse_reason) <= 500),
      ADD CONSTRAINT check_ins_excused_consistent CHECK ((status = 'EXCUSED') = (excused_at IS NOT NULL)),
      ADD FOREIGN KEY (tenant_id, excused_by_user_id) REFERENCES users (tenant_id, id)`);
    // The sweep's cross-tenant look-ups touch only PENDING rows, a small slice of the table.
    await q.query(`CREATE INDEX check_ins_pending_closes ON check_ins (closes_at) WHERE status = 'PENDING'`);
    await q.query(
      `CREATE INDEX check_ins_pending_unannounced ON check_ins (opens_at) WHERE status = 'PENDING' AND announced_at IS NULL`,
    );
    await q.query(
      `CREATE INDEX checkin_assignments_active_horizon ON checkin_assignments (materialized_through) WHERE status = 'ACTIVE'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS checkin_assignments_active_horizon`);
    await q.query(`DROP INDEX IF EXISTS check_ins_pending_unannounced`);
    await q.query(`DROP INDEX IF EXISTS check_ins_pending_closes`);
    await q.query(`ALTER TABLE check_ins DROP CONSTRAINT IF EXISTS check_ins_excused_consistent,
      DROP COLUMN IF EXISTS excuse_reason, DROP COLUMN IF EXISTS excused_by_user_id, DROP COLUMN IF EXISTS excused_at,
      DROP COLUMN IF EXISTS missed_at, DROP COLUMN IF EXISTS announced_at`);
    await q.query(`ALTER TABLE checkin_assignments DROP COLUMN IF EXISTS materialized_through`);
  }
}
