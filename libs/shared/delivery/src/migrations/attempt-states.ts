import type { QueryRunner } from 'typeorm';

/**
 * Attempts are logged when they start (the engine claims a delivery and logs its attempt in one transaction) and
 * finished when their outcome is known, so one that a killed worker cut off stays in the log. One body for each
 * channel's attempt table; migrations run it, so it is frozen: a later change is a new migration.
 */
export async function addAttemptStates(q: QueryRunner, table: 'message_delivery_attempts' | 'webhook_delivery_attempts'): Promise<void> {
  await q.query(`ALTER TABLE ${table}
    ADD COLUMN state text NOT NULL DEFAULT 'STARTED'
      CONSTRAINT ${table}_state_check CHECK (state IN ('STARTED', 'SUCCEEDED', 'FAILED', 'INTERRUPTED')),
    ADD COLUMN finished_at timestamptz,
    ALTER COLUMN duration_ms SET DEFAULT 0,
    ALTER COLUMN succeeded SET DEFAULT false`);
  // Every attempt so far was logged once finished.
  await q.query(`UPDATE ${table}
    SET state = CASE WHEN succeeded THEN 'SUCCEEDED' ELSE 'FAILED' END,
        finished_at = attempted_at + duration_ms * interval '1 millisecond'`);
}

export async function dropAttemptStates(q: QueryRunner, table: 'message_delivery_attempts' | 'webhook_delivery_attempts'): Promise<void> {
  await q.query(`DELETE FROM ${table} WHERE finished_at IS NULL`);
  await q.query(`ALTER TABLE ${table}
    DROP COLUMN finished_at,
    DROP COLUMN state,
    ALTER COLUMN duration_ms DROP DEFAULT,
    ALTER COLUMN succeeded DROP DEFAULT`);
}
