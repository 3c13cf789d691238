import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One check-in per slot of its assignment, enforced here: the slot is the local wall-clock time the schedule
 * names (`YYYY-MM-DDTHH:mm`), which stays the same when the client's zone changes, so a re-plan moves an
 * occurrence instead of adding a second one beside it (uniqueness by exact opening time let a zone change
 * double a day). Assignments remember the zone they were planned in, so the sweep re-plans any that drifted.
 * Also one live assignment per client and template unless it was created as an allowed duplicate.
 */
export class CheckInSlots1763900000940 implements MigrationInterface {
  name = 'CheckInSlots1763900000940';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE checkin_assignments
      ADD COLUMN planned_zone text,
      ADD COLUMN allows_duplicate boolean NOT NULL DEFAULT false`);
    await q.query(`ALTER TABLE check_ins ADD COLUMN slot text`);
    // Existing rows get their slot in the client's zone of today; rows of one assignment have distinct opening
    // instants, so they only collide on a fall-back night's repeated hour.
    await q.query(`UPDATE check_ins c
        SET slot = CASE WHEN a.recurrence IS NULL THEN a.starts_at
                   ELSE to_char(c.opens_at AT TIME ZONE COALESCE(u.timezone, t.default_timezone), 'YYYY-MM-DD"T"HH24:MI') END
       FROM checkin_assignments a, users u, tenants t
      WHERE a.tenant_id = c.tenant_id AND a.id = c.assignment_id
        AND u.tenant_id = c.tenant_id AND u.id = c.client_id AND t.id = c.tenant_id`);
    // Of rows sharing a slot, unopened PENDING ones are plan, not history: drop those that are not the first.
    await q.query(`WITH ranked AS (
        SELECT id, status, opens_at, row_number() OVER (PARTITION BY tenant_id, assignment_id, slot
          ORDER BY (status = 'PENDING' AND opens_at > now()), opens_at, id) AS rank
          FROM check_ins)
      DELETE FROM check_ins c USING ranked r
       WHERE c.id = r.id AND r.rank > 1 AND r.status = 'PENDING' AND r.opens_at > now()`);
    // History is never removed: a remaining twin keeps its row under a slot of its own.
    await q.query(`WITH ranked AS (
        SELECT id, row_number() OVER (PARTITION BY tenant_id, assignment_id, slot ORDER BY opens_at, id) AS rank
          FROM check_ins)
      UPDATE check_ins c SET slot = c.slot || '#' || c.id FROM ranked r WHERE c.id = r.id AND r.rank > 1`);
    await q.query(`ALTER TABLE check_ins ALTER COLUMN slot SET NOT NULL`);
    await q.query(`CREATE UNIQUE INDEX check_ins_slot ON check_ins (tenant_id, assignment_id, slot)`);
    await q.query(`DROP INDEX check_ins_occurrence`);
    await q.query(`CREATE INDEX check_ins_assignment_opens ON check_ins (tenant_id, assignment_id, opens_at)`);

    // Live duplicates made before this rule stay, marked as allowed.
    await q.query(`UPDATE checkin_assignments a SET allows_duplicate = true
      WHERE a.status <> 'ENDED' AND EXISTS (
        SELECT 1 FROM checkin_assignments o WHERE o.tenant_id = a.tenant_id AND o.client_id = a.client_id
           AND o.template_id = a.template_id AND o.status <> 'ENDED' AND (o.created_at, o.id) < (a.created_at, a.id))`);
    await q.query(`CREATE UNIQUE INDEX checkin_assignments_one_live ON checkin_assignments (tenant_id, client_id, template_id)
      WHERE status <> 'ENDED' AND NOT allows_duplicate`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS checkin_assignments_one_live`);
    await q.query(`DROP INDEX IF EXISTS check_ins_assignment_opens`);
    await q.query(`DROP INDEX IF EXISTS check_ins_slot`);
    await q.query(`CREATE UNIQUE INDEX IF NOT EXISTS check_ins_occurrence ON check_ins (tenant_id, assignment_id, opens_at)`);
    await q.query(`ALTER TABLE check_ins DROP COLUMN IF EXISTS slot`);
    await q.query(`ALTER TABLE checkin_assignments DROP COLUMN IF EXISTS planned_zone, DROP COLUMN IF EXISTS allows_duplicate`);
  }
}
