import { MigrationInterface, QueryRunner } from 'typeorm';
import { enableTenantIsolation } from '#cairn/shared/database';

/**
 * Coach reports: each firm's schedule, and every report made (its figures as jsonb, and the message that
 * delivered it). The report's key names the coach and the period's first day, so no run makes two.
 */
export class Reports1763900000920 implements MigrationInterface {
  name = 'Reports1763900000920';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE report_policies (
      tenant_id uuid PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
      enabled boolean NOT NULL DEFAULT true,
      weekday smallint NOT NULL DEFAULT 1 CHECK (weekday BETWEEN 1 AND 7),
      local_time time NOT NULL DEFAULT '08:00',
      period_days smallint NOT NULL DEFAULT 7 CHECK (period_days IN (7, 14)),
      version integer NOT NULL DEFAULT 1,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await enableTenantIsolation(q, 'report_policies');

    await q.query(`CREATE TABLE coach_reports (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL,
      coach_id uuid NOT NULL,
      period_start date NOT NULL,
      period_end date NOT NULL CHECK (period_end > period_start),
      period_days smallint NOT NULL CHECK (period_days IN (7, 14)),
      timezone text NOT NULL CHECK (length(timezone) BETWEEN 1 AND 100),
      generated_at timestamptz NOT NULL,
      dedupe_key text NOT NULL CHECK (length(dedupe_key) BETWEEN 1 AND 200),
      data jsonb NOT NULL CHECK (jsonb_typeof(data) = 'object'),
      message_id uuid,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (tenant_id, id),
      CONSTRAINT coach_reports_dedupe UNIQUE (tenant_id, dedupe_key),
      FOREIGN KEY (tenant_id, coach_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE,
      FOREIGN KEY (tenant_id, message_id) REFERENCES messages (tenant_id, id) ON DELETE SET NULL (message_id)
    )`);
    await q.query(`CREATE INDEX coach_reports_tenant_created ON coach_reports (tenant_id, created_at, id)`);
    await q.query(`CREATE INDEX coach_reports_tenant_coach ON coach_reports (tenant_id, coach_id, period_end DESC)`);
    await enableTenantIsolation(q, 'coach_reports');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS coach_reports`);
    await q.query(`DROP TABLE IF EXISTS report_policies`);
  }
}
