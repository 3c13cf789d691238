import { MigrationInterface, QueryRunner } from 'typeorm';
import { enableTenantIsolation } from '#cairn/shared/database';

const EVENT_TYPES = [
  'checkin.due',
  'checkin.submitted',
  'checkin.missed',
  'checkin.feedback_added',
  'goal.status_changed',
  'goal.achieved',
  'task.overdue',
  'nudge.sent',
  'report.ready',
];
const TYPES_SQL = `ARRAY[${EVENT_TYPES.map((t) => `'${t}'`).join(', ')}]::text[]`;

/**
 * Outbound webhooks: endpoints, the transactional outbox (events written with the change that caused them),
 * one delivery per event and endpoint, and every attempt made.
 */
export class Webhooks1763900000500 implements MigrationInterface {
  name = 'Webhooks1763900000500';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE webhook_endpoints (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
      url text NOT NULL CHECK (length(url) BETWEEN 1 AND 2000),
      description text CHECK (length(description) <= 500),
      event_types text[] NOT NULL CHECK (cardinality(event_types) > 0 AND event_types <@ ${TYPES_SQL}),
      secret text NOT NULL,
      enabled boolean NOT NULL DEFAULT true,
      deleted_at timestamptz,
      created_by_user_id uuid,
      version integer NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (tenant_id, id),
      FOREIGN KEY (tenant_id, created_by_user_id) REFERENCES users (tenant_id, id),
      CHECK (deleted_at IS NULL OR NOT enabled)
    )`);
    await q.query(
      `CREATE INDEX webhook_endpoints_tenant_created ON webhook_endpoints (tenant_id, created_at, id)`,
    );
    await enableTenantIsolation(q, 'webhook_endpoints');

    await q.query(`CREATE TABLE webhook_events (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
      type text NOT NULL CHECK (type = ANY (${TYPES_SQL})),
      payload jsonb NOT NULL,
      occurred_at timestamptz NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (tenant_id, id)
    )`);
    await q.query(`CREATE INDEX webhook_events_tenant_created ON webhook_events (tenant_id, created_at, id)`);
    await enableTenantIsolation(q, 'webhook_events');

    await q.query(`CREATE TABLE webhook_deliveries (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL,
      event_id uuid NOT NULL,
      endpoint_id uuid NOT NULL,
      status text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'DELIVERED', 'FAILED')),
      attempt_count integer NOT NULL DEFAULT 0 CHECK (attempt_count >= 0),
      next_attempt_at timestamptz,
      last_status_code integer,
      last_error text CHECK (length(last_error) <= 1000),
      delivered_at timestamptz,
      failed_at timestamptz,
      resent_from_id uuid,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (tenant_id, id),
      FOREIGN KEY (tenant_id, event_id) REFERENCES webhook_events (tenant_id, id) ON DELETE CASCADE,
      FOREIGN KEY (tenant_id, endpoint_id) REFERENCES webhook_endpoints (tenant_id, id) ON DELETE CASCADE,
      FOREIGN KEY (tenant_id, resent_from_id) REFERENCES webhook_deliveries (tenant_id, id),
      CHECK ((status = 'PENDING') = (next_attempt_at IS NOT NULL))
    )`);
    await q.query(
      `CREATE INDEX webhook_deliveries_tenant_created ON webhook_deliveries (tenant_id, created_at, id)`,
    );
    await q.query(`CREATE INDEX webhook_deliveries_tenant_endpoint_created
      ON webhook_deliveries (tenant_id, endpoint_id, created_at, id)`);
    await q.query(`CREATE INDEX webhook_deliveries_tenant_status_created
      ON webhook_deliveries (tenant_id, status, created_at, id)`);
    await q.query(`CREATE INDEX webhook_deliveries_tenant_event ON webhook_deliveries (tenant_id, event_id)`);
    // The worker's sweep looks across tenants for what is due; only pending rows are indexed.
    await q.query(
      `CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'PENDING'`,
    );
    await enableTenantIsolation(q, 'webhook_deliveries');

    await q.query(`CREATE TABLE webhook_delivery_attempts (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL,
      delivery_id uuid NOT NULL,
      attempt_number integer NOT NULL CHECK (attempt_number >= 1),
      attempted_at timestamptz NOT NULL,
      duration_ms integer NOT NULL CHECK (duration_ms >= 0),
      status_code integer,
      error text CHECK (length(error) <= 1000),
      succeeded boolean NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      FOREIGN KEY (tenant_id, delivery_id) REFERENCES webhook_deliveries (tenant_id, id) ON DELETE CASCADE,
      UNIQUE (tenant_id, delivery_id, attempt_number)
    )`);
    await enableTenantIsolation(q, 'webhook_delivery_attempts');
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'webhook_delivery_attempts',
      'webhook_deliveries',
      'webhook_events',
      'webhook_endpoints',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
