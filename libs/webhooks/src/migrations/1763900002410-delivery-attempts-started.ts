import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Attempts are logged when they start (the delivery engine claims a delivery and logs its attempt in one
 * transaction) and finished when their outcome is known, so one that a killed worker cut off stays in the log.
 */
export class WebhookDeliveryAttemptsStarted1763900002410 implements MigrationInterface {
  name = 'WebhookDeliveryAttemptsStarted1763900002410';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE webhook_delivery_attempts
      ADD COLUMN state text NOT NULL DEFAULT 'STARTED'
        CONSTRAINT webhook_delivery_attempts_state_check CHECK (state IN ('STARTED', 'SUCCEEDED', 'FAILED', 'INTERRUPTED')),
      ADD COLUMN finished_at timestamptz,
      ALTER COLUMN duration_ms SET DEFAULT 0,
      ALTER COLUMN succeeded SET DEFAULT false`);
    // Every attempt so far was logged once finished.
    await q.query(`UPDATE webhook_delivery_attempts
      SET state = CASE WHEN succeeded THEN 'SUCCEEDED' ELSE 'FAILED' END,
          finished_at = attempted_at + duration_ms * interval '1 millisecond'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM webhook_delivery_attempts WHERE finished_at IS NULL`);
    await q.query(`ALTER TABLE webhook_delivery_attempts
      DROP COLUMN finished_at,
      DROP COLUMN state,
      ALTER COLUMN duration_ms DROP DEFAULT,
      ALTER COLUMN succeeded DROP DEFAULT`);
  }
}
