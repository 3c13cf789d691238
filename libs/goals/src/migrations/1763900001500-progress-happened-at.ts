import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Progress updates say when they happened (`occurred_at`) and which answer they record (`source`), and a
 * corrected answer's update names the one it replaces (`supersedes_id`), so an amended check-in never sets a
 * measure back behind a newer update (see measures/progress-history.ts).
 *
 * Existing updates happened when they were recorded, or at the end of their `occurred_on` in the client's
 * zone for those recorded later (backfills): the order of each measure's updates, and so its current value,
 * stays what it was.
 */
export class ProgressHappenedAt1763900001500 implements MigrationInterface {
  name = 'ProgressHappenedAt1763900001500';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE progress_updates
      ADD COLUMN occurred_at timestamptz,
      ADD COLUMN source text CHECK (length(source) <= 200),
      ADD COLUMN supersedes_id uuid,
      ADD CONSTRAINT progress_updates_tenant_id_key UNIQUE (tenant_id, id),
      ADD CONSTRAINT progress_updates_supersedes_fk FOREIGN KEY (tenant_id, supersedes_id)
        REFERENCES progress_updates (tenant_id, id) ON DELETE CASCADE,
      ADD CONSTRAINT progress_updates_supersedes_own_source CHECK (supersedes_id IS NULL OR source IS NOT NULL)`);
    await q.query(`UPDATE progress_updates p
      SET occurred_at = CASE WHEN z.tz IN (SELECT name FROM pg_timezone_names)
                             THEN LEAST(p.created_at, ((p.occurred_on + 1)::timestamp AT TIME ZONE z.tz) - interval '1 millisecond')
                             ELSE p.created_at END
      FROM (SELECT g.tenant_id, g.id, COALESCE(u.timezone, t.default_timezone) AS tz
              FROM goals g
              JOIN users u ON u.tenant_id = g.tenant_id AND u.id = g.client_id
              JOIN tenants t ON t.id = g.tenant_id) z
      WHERE z.tenant_id = p.tenant_id AND z.id = p.goal_id`);
    await q.query(`UPDATE progress_updates SET occurred_at = created_at WHERE occurred_at IS NULL`);
    await q.query(`ALTER TABLE progress_updates ALTER COLUMN occurred_at SET NOT NULL`);
    // An update is corrected at most once: two corrections racing for the same one cannot both land.
    await q.query(`CREATE UNIQUE INDEX progress_updates_one_correction
      ON progress_updates (tenant_id, supersedes_id) WHERE supersedes_id IS NOT NULL`);
    await q.query(`CREATE INDEX progress_updates_tenant_source
      ON progress_updates (tenant_id, source, measure_id) WHERE source IS NOT NULL`);
    // The latest update of a measure, by when it happened.
    await q.query(`CREATE INDEX progress_updates_tenant_measure_occurred
      ON progress_updates (tenant_id, measure_id, occurred_at, created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS progress_updates_tenant_measure_occurred`);
    await q.query(`DROP INDEX IF EXISTS progress_updates_tenant_source`);
    await q.query(`DROP INDEX IF EXISTS progress_updates_one_correction`);
    await q.query(`ALTER TABLE progress_updates
      DROP CONSTRAINT IF EXISTS progress_updates_supersedes_own_source,
      DROP CONSTRAINT IF EXISTS progress_updates_supersedes_fk,
      DROP CONSTRAINT IF EXISTS progress_updates_tenant_id_key,
      DROP COLUMN IF EXISTS supersedes_id, DROP COLUMN IF EXISTS source, DROP COLUMN IF EXISTS occurred_at`);
  }
}
