import { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_DB_ROLE } from '#cairn/shared/database';

/**
 * The firm's append-only audit trail (issue 16, part 3). Entries hold codes and ids only, no names, emails,
 * addresses or free text, so erasing a person never has to rewrite history: their id is left as a pseudonym.
 * The application role may read and add entries of its tenant and nothing else; a trigger refuses every
 * UPDATE, DELETE and TRUNCATE whoever runs it, except the deletes cascading from a firm's own deletion.
 */
export class AuditTrail1763900002900 implements MigrationInterface {
  name = 'AuditTrail1763900002900';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE audit_entries (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
      action text NOT NULL CHECK (action ~ '^[A-Z][A-Z_]{0,63}$'),
      outcome text NOT NULL DEFAULT 'SUCCESS' CHECK (outcome IN ('SUCCESS', 'FAILURE')),
      actor_kind text NOT NULL CHECK (actor_kind IN ('USER', 'API_KEY', 'SYSTEM', 'ANONYMOUS')),
      actor_id uuid,
      subject_type text CHECK (subject_type ~ '^[A-Z][A-Z_]{0,39}$'),
      subject_id uuid,
      details jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(details) = 'object'),
      -- The statement's time, not the transaction's: entries of one transaction keep their order.
      created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
      CHECK ((actor_kind IN ('USER', 'API_KEY')) = (actor_id IS NOT NULL)),
      CHECK ((subject_type IS NULL) = (subject_id IS NULL))
    )`);
    // No foreign keys to users or keys: an entry outlives what it names (an erased client keeps their id here).
    await q.query(`CREATE INDEX audit_entries_tenant_created ON audit_entries (tenant_id, created_at, id)`);
    await q.query(
      `CREATE INDEX audit_entries_tenant_actor ON audit_entries (tenant_id, actor_id, created_at, id)`,
    );
    await q.query(
      `CREATE INDEX audit_entries_tenant_subject ON audit_entries (tenant_id, subject_id, created_at, id)`,
    );
    await q.query(
      `CREATE INDEX audit_entries_tenant_action ON audit_entries (tenant_id, action, created_at, id)`,
    );

    await q.query(`ALTER TABLE audit_entries ENABLE ROW LEVEL SECURITY`);
    await q.query(`CREATE POLICY tenant_isolation ON audit_entries FOR ALL TO ${APP_DB_ROLE}
      USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant())`);
    await q.query(`GRANT SELECT, INSERT ON audit_entries TO ${APP_DB_ROLE}`);

    await q.query(`CREATE FUNCTION audit_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        -- Depth 2: this row trigger runs inside the foreign key's cascade from deleting the firm.
        IF TG_OP = 'DELETE' AND pg_trigger_depth() > 1 THEN RETURN OLD; END IF;
        RAISE EXCEPTION 'audit entries are append-only (%)', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`CREATE TRIGGER audit_entries_append_only BEFORE UPDATE OR DELETE ON audit_entries
      FOR EACH ROW EXECUTE FUNCTION audit_entries_append_only()`);
    await q.query(`CREATE TRIGGER audit_entries_no_truncate BEFORE TRUNCATE ON audit_entries
      FOR EACH STATEMENT EXECUTE FUNCTION audit_entries_append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS audit_entries`);
    await q.query(`DROP FUNCTION IF EXISTS audit_entries_append_only()`);
  }
}
