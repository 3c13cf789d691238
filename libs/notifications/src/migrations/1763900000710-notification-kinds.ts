import { MigrationInterface, QueryRunner } from 'typeorm';

// Frozen here, as in the first migration: the full list as of this migration.
const KINDS = ['CHECKIN_DUE', 'CHECKIN_FEEDBACK_ADDED', 'CHECKIN_SUBMITTED', 'CHECKIN_MISSED', 'NUDGE', 'REPORT_READY'];
const BEFORE = ['CHECKIN_DUE', 'CHECKIN_FEEDBACK_ADDED', 'CHECKIN_SUBMITTED', 'CHECKIN_MISSED'];

const check = (kinds: string[]) =>
  `ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check,
     ADD CONSTRAINT notifications_kind_check CHECK (kind IN (${kinds.map((k) => `'${k}'`).join(', ')}))`;

/** Nudges and coach reports also reach the in-app feed. */
export class NotificationKinds1763900000710 implements MigrationInterface {
  name = 'NotificationKinds1763900000710';

  async up(q: QueryRunner): Promise<void> {
    await q.query(check(KINDS));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM notifications WHERE kind IN ('NUDGE', 'REPORT_READY')`);
    await q.query(check(BEFORE));
  }
}
