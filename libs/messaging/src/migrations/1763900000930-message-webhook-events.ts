import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A message's WEBHOOK delivery names the event it was sent as, so its log can show how the firm's endpoints
 * took it (queued while they are retried, sent once every one accepted it, failed when one gave up). No foreign
 * key: events are purged after WEBHOOK_RETENTION_DAYS while the message's log stays.
 */
export class MessageWebhookEvents1763900000930 implements MigrationInterface {
  name = 'MessageWebhookEvents1763900000930';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE message_deliveries ADD COLUMN webhook_event_id uuid,
      ADD CONSTRAINT message_deliveries_webhook_event_channel CHECK (webhook_event_id IS NULL OR channel = 'WEBHOOK')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE message_deliveries DROP COLUMN webhook_event_id`);
  }
}
