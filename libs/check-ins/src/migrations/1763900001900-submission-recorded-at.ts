import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A submission is stamped when it is written, not when its transaction began (`now()`): an amendment whose
 * transaction began first but waited on the check-in's lock is written after the one it amends, and
 * "latest submission" (what the next amendment amends, the order `submissions` lists) must say so.
 */
export class SubmissionRecordedAt1763900001900 implements MigrationInterface {
  name = 'SubmissionRecordedAt1763900001900';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE checkin_submissions ALTER COLUMN created_at SET DEFAULT clock_timestamp()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE checkin_submissions ALTER COLUMN created_at SET DEFAULT now()`);
  }
}
