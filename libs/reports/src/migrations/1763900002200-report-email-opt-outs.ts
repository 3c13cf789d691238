import { MigrationInterface, QueryRunner } from 'typeorm';
import { enableTenantIsolation } from '#cairn/shared/database';

/** Coaches who unsubscribed from report emails (a report email's one-click link); reports still reach their feed. */
export class ReportEmailOptOuts1763900002200 implements MigrationInterface {
  name = 'ReportEmailOptOuts1763900002200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE report_email_opt_outs (
      tenant_id uuid NOT NULL,
      coach_id uuid NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, coach_id),
      FOREIGN KEY (tenant_id, coach_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
    )`);
    await enableTenantIsolation(q, 'report_email_opt_outs');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS report_email_opt_outs`);
  }
}
