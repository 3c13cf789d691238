import { MigrationInterface, QueryRunner } from 'typeorm';
import { enableTenantIsolation } from '#cairn/shared/database';

// Frozen here, as in the earlier migrations: the full list as of this migration.
const EVENTS_BEFORE = [
  'checkin.due',
  'checkin.submitted',
  'checkin.missed',
  'checkin.feedback_added',
  'goal.status_changed',
  'goal.achieved',
  'task.overdue',
  'nudge.sent',
  'report.ready',
  'supporter.encouraged',
];
const EVENTS = [...EVENTS_BEFORE, 'client.erased'];
const quoted = (values: string[]) => values.map((v) => `'${v}'`).join(', ');

/**
 * A client's data export (the sealed JSON document until it is downloaded or expires; only the link token's
 * hash) and the record of an erasure. The erasure request holds ids and progress only, no personal data: it
 * outlives the person so that erasing again is a no-op and a crashed erasure resumes at its step.
 */
export class Privacy1763900002950 implements MigrationInterface {
  name = 'Privacy1763900002950';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE data_exports (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
      client_id uuid NOT NULL,
      requested_by_user_id uuid NOT NULL,
      status text NOT NULL DEFAULT 'QUEUED'
        CHECK (status IN ('QUEUED', 'RUNNING', 'READY', 'DOWNLOADED', 'EXPIRED', 'FAILED')),
      progress integer NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
      secret_hash text NOT NULL CHECK (secret_hash ~ '^[0-9a-f]{64}$'),
      document bytea,
      failure text,
      expires_at timestamptz NOT NULL,
      ready_at timestamptz,
      downloaded_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (tenant_id, id),
      FOREIGN KEY (tenant_id, client_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE,
      FOREIGN KEY (tenant_id, requested_by_user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
    )`);
    await q.query(`CREATE INDEX data_exports_tenant_client ON data_exports (tenant_id, client_id, created_at)`);
    // The expiry sweep reads only exports still holding a document.
    await q.query(`CREATE INDEX data_exports_expiring ON data_exports (expires_at) WHERE document IS NOT NULL`);
    await enableTenantIsolation(q, 'data_exports');

    await q.query(`CREATE TABLE erasure_requests (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
      client_id uuid NOT NULL,
      requested_by_user_id uuid,
      status text NOT NULL DEFAULT 'RUNNING' CHECK (status IN ('RUNNING', 'DONE')),
      step integer NOT NULL DEFAULT 0 CHECK (step >= 0),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      completed_at timestamptz,
      UNIQUE (tenant_id, client_id)
    )`);
    await enableTenantIsolation(q, 'erasure_requests');
    await this.allowEvents(q, EVENTS);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE webhook_endpoints SET event_types = array_remove(event_types, 'client.erased')`);
    await q.query(`DELETE FROM domain_events WHERE type = 'client.erased'`);
    await this.allowEvents(q, EVENTS_BEFORE);
    await q.query(`DROP TABLE IF EXISTS erasure_requests`);
    await q.query(`DROP TABLE IF EXISTS data_exports`);
  }

  /** `client.erased` joins the outbox and webhook subscriptions (partners erase their copies). */
  private async allowEvents(q: QueryRunner, events: string[]): Promise<void> {
    await q.query(`ALTER TABLE domain_events DROP CONSTRAINT domain_events_type_check,
      ADD CONSTRAINT domain_events_type_check CHECK (type IN (${quoted(events)}))`);
    await q.query(`ALTER TABLE webhook_endpoints DROP CONSTRAINT webhook_endpoints_event_types_check,
      ADD CONSTRAINT webhook_endpoints_event_types_check
        CHECK (cardinality(event_types) > 0 AND event_types <@ ARRAY[${quoted(events)}])`);
  }
}
