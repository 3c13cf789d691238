import { MigrationInterface, QueryRunner } from 'typeorm';
import { enableTenantIsolation } from '#cairn/shared/database';

/**
 * Messages Cairn sends people (nudges, reports) and their delivery log: one delivery per channel, every email
 * attempt recorded. A message's dedupe key makes composing it twice (a retried job) a no-op.
 */
export class Messaging1763900000900 implements MigrationInterface {
  name = 'Messaging1763900000900';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE messages (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL,
      recipient_user_id uuid NOT NULL,
      kind text NOT NULL CHECK (kind IN ('NUDGE', 'REPORT')),
      subject text NOT NULL CHECK (length(subject) BETWEEN 1 AND 300),
      text_body text NOT NULL CHECK (length(text_body) BETWEEN 1 AND 100000),
      html_body text CHECK (length(html_body) <= 500000),
      dedupe_key text NOT NULL CHECK (length(dedupe_key) BETWEEN 1 AND 200),
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (tenant_id, id),
      CONSTRAINT messages_dedupe UNIQUE (tenant_id, dedupe_key),
      FOREIGN KEY (tenant_id, recipient_user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
    )`);
    await q.query(`CREATE INDEX messages_tenant_created ON messages (tenant_id, created_at, id)`);
    await q.query(`CREATE INDEX messages_tenant_recipient ON messages (tenant_id, recipient_user_id, created_at)`);
    await enableTenantIsolation(q, 'messages');

    await q.query(`CREATE TABLE message_deliveries (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL,
      message_id uuid NOT NULL,
      channel text NOT NULL CHECK (channel IN ('EMAIL', 'IN_APP', 'WEBHOOK')),
      status text NOT NULL CHECK (status IN ('QUEUED', 'SENT', 'FAILED', 'SKIPPED')),
      attempt_count integer NOT NULL DEFAULT 0 CHECK (attempt_count >= 0),
      next_attempt_at timestamptz,
      to_address text,
      provider_message_id text,
      last_error text CHECK (length(last_error) <= 2000),
      sent_at timestamptz,
      failed_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK ((status = 'QUEUED') = (next_attempt_at IS NOT NULL)),
      UNIQUE (tenant_id, id),
      UNIQUE (tenant_id, message_id, channel),
      FOREIGN KEY (tenant_id, message_id) REFERENCES messages (tenant_id, id) ON DELETE CASCADE
    )`);
    await q.query(`CREATE INDEX message_deliveries_queued ON message_deliveries (next_attempt_at) WHERE status = 'QUEUED'`);
    await q.query(`CREATE INDEX message_deliveries_tenant_created ON message_deliveries (tenant_id, created_at, id)`);
    await enableTenantIsolation(q, 'message_deliveries');

    await q.query(`CREATE TABLE message_delivery_attempts (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL,
      delivery_id uuid NOT NULL,
      attempt_number integer NOT NULL CHECK (attempt_number >= 1),
      attempted_at timestamptz NOT NULL,
      duration_ms integer NOT NULL,
      succeeded boolean NOT NULL,
      error text CHECK (length(error) <= 2000),
      response text CHECK (length(response) <= 2000),
      UNIQUE (tenant_id, delivery_id, attempt_number),
      FOREIGN KEY (tenant_id, delivery_id) REFERENCES message_deliveries (tenant_id, id) ON DELETE CASCADE
    )`);
    await enableTenantIsolation(q, 'message_delivery_attempts');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS message_delivery_attempts`);
    await q.query(`DROP TABLE IF EXISTS message_deliveries`);
    await q.query(`DROP TABLE IF EXISTS messages`);
  }
}
