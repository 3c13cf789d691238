import { MigrationInterface, QueryRunner } from 'typeorm';
import { enableTenantIsolation } from '#cairn/shared/database';

/** Templates assigned to clients on a schedule, and the check-ins (occurrences) they produce. */
export class CheckInAssignments1763900000610 implements MigrationInterface {
  name = 'CheckInAssignments1763900000610';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE checkin_assignments (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL,
      client_id uuid NOT NULL,
      template_id uuid NOT NULL,
      status text NOT NULL CHECK (status IN ('ACTIVE', 'PAUSED', 'ENDED')),
      recurrence text CHECK (length(recurrence) <= 500),
      starts_at text NOT NULL CHECK (starts_at ~ '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}$'),
      ends_on date,
      window_minutes integer NOT NULL CHECK (window_minutes BETWEEN 15 AND 20160),
      goal_ids uuid[] NOT NULL DEFAULT '{}' CHECK (cardinality(goal_ids) <= 20),
      measure_bindings jsonb NOT NULL DEFAULT '[]',
      created_by_user_id uuid,
      version integer NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (tenant_id, id),
      FOREIGN KEY (tenant_id, client_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE,
      FOREIGN KEY (tenant_id, template_id) REFERENCES checkin_templates (tenant_id, id),
      FOREIGN KEY (tenant_id, created_by_user_id) REFERENCES users (tenant_id, id)
    )`);
    await q.query(`CREATE INDEX checkin_assignments_tenant_created ON checkin_assignments (tenant_id, created_at, id)`);
    await q.query(`CREATE INDEX checkin_assignments_tenant_client ON checkin_assignments (tenant_id, client_id, status)`);
    await enableTenantIsolation(q, 'checkin_assignments');

    await q.query(`CREATE TABLE check_ins (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL,
      assignment_id uuid NOT NULL,
      client_id uuid NOT NULL,
      template_version_id uuid NOT NULL,
      opens_at timestamptz NOT NULL,
      closes_at timestamptz NOT NULL CHECK (closes_at > opens_at),
      status text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'SUBMITTED', 'MISSED', 'EXCUSED')),
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (tenant_id, id),
      FOREIGN KEY (tenant_id, assignment_id) REFERENCES checkin_assignments (tenant_id, id) ON DELETE CASCADE,
      FOREIGN KEY (tenant_id, client_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE,
      FOREIGN KEY (tenant_id, template_version_id) REFERENCES checkin_template_versions (tenant_id, id)
    )`);
    // Materializing the same occurrence twice is a no-op: re-runs and concurrent workers create no duplicates.
    await q.query(`CREATE UNIQUE INDEX check_ins_occurrence ON check_ins (tenant_id, assignment_id, opens_at)`);
    await q.query(`CREATE INDEX check_ins_tenant_created ON check_ins (tenant_id, created_at, id)`);
    await q.query(`CREATE INDEX check_ins_tenant_client_status ON check_ins (tenant_id, client_id, status, opens_at)`);
    await enableTenantIsolation(q, 'check_ins');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS check_ins`);
    await q.query(`DROP TABLE IF EXISTS checkin_assignments`);
  }
}
