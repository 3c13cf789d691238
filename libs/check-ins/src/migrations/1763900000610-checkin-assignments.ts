import { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_DB_ROLE, enableTenantIsolation } from '#cairn/shared/database';

/** Templates assigned to clients on a schedule, the check-ins (occurrences) they produce, and the answers. */
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
      submitted_at timestamptz,
      late boolean NOT NULL DEFAULT false,
      needs_follow_up boolean NOT NULL DEFAULT false,
      CHECK ((status = 'SUBMITTED') = (submitted_at IS NOT NULL)),
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

    await q.query(`CREATE TABLE checkin_submissions (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL,
      check_in_id uuid NOT NULL,
      client_id uuid NOT NULL,
      answers jsonb NOT NULL CHECK (jsonb_typeof(answers) = 'array'),
      idempotency_key text NOT NULL CHECK (length(idempotency_key) BETWEEN 8 AND 100),
      late boolean NOT NULL,
      amends_submission_id uuid,
      amend_reason text CHECK (length(amend_reason) <= 500),
      progress_update_ids uuid[] NOT NULL DEFAULT '{}',
      progress_issues text[] NOT NULL DEFAULT '{}',
      submitted_by_user_id uuid,
      submitted_by_api_key_id uuid,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (tenant_id, id),
      FOREIGN KEY (tenant_id, check_in_id) REFERENCES check_ins (tenant_id, id) ON DELETE CASCADE,
      FOREIGN KEY (tenant_id, client_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE,
      FOREIGN KEY (tenant_id, amends_submission_id) REFERENCES checkin_submissions (tenant_id, id)
    )`);
    // A retried request carries the same key: it finds the first submission instead of making a second.
    await q.query(`CREATE UNIQUE INDEX checkin_submissions_idempotency ON checkin_submissions (tenant_id, client_id, idempotency_key)`);
    await q.query(`CREATE INDEX checkin_submissions_tenant_check_in ON checkin_submissions (tenant_id, check_in_id, created_at)`);
    await enableTenantIsolation(q, 'checkin_submissions');
    // What a client submitted is never rewritten or removed: amendments are new rows pointing at the original.
    await q.query(`REVOKE UPDATE, DELETE ON checkin_submissions FROM ${APP_DB_ROLE}`);

    await q.query(`CREATE TABLE checkin_feedback (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL,
      check_in_id uuid NOT NULL,
      author_user_id uuid NOT NULL,
      body text NOT NULL CHECK (length(body) BETWEEN 1 AND 4000),
      created_at timestamptz NOT NULL DEFAULT now(),
      FOREIGN KEY (tenant_id, check_in_id) REFERENCES check_ins (tenant_id, id) ON DELETE CASCADE,
      FOREIGN KEY (tenant_id, author_user_id) REFERENCES users (tenant_id, id)
    )`);
    await q.query(`CREATE INDEX checkin_feedback_tenant_check_in ON checkin_feedback (tenant_id, check_in_id, created_at)`);
    await enableTenantIsolation(q, 'checkin_feedback');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS checkin_feedback`);
    await q.query(`DROP TABLE IF EXISTS checkin_submissions`);
    await q.query(`DROP TABLE IF EXISTS check_ins`);
    await q.query(`DROP TABLE IF EXISTS checkin_assignments`);
  }
}
