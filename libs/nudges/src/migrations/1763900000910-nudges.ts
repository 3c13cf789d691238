import { MigrationInterface, QueryRunner } from 'typeorm';
import { enableTenantIsolation } from '#cairn/shared/database';

// Frozen here: a migration must not change when the enum grows.
const RULES = ['CHECKIN_DUE_SOON', 'CHECKIN_MISSED', 'TASK_STARTING', 'TASK_OVERDUE', 'GOAL_STALLED', 'GOAL_BEHIND', 'CELEBRATION'];
const ruleList = RULES.map((r) => `'${r}'`).join(', ');

/**
 * Nudges: each firm's rules and quiet hours, each client's opt-outs, and the ledger of what was nudged about
 * (one row per item, so nothing is nudged about twice, whatever runs again).
 */
export class Nudges1763900000910 implements MigrationInterface {
  name = 'Nudges1763900000910';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE nudge_policies (
      tenant_id uuid PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
      enabled boolean NOT NULL DEFAULT true,
      checkin_due_soon_hours integer NOT NULL DEFAULT 24 CHECK (checkin_due_soon_hours BETWEEN 0 AND 168),
      checkin_missed boolean NOT NULL DEFAULT true,
      task_starting boolean NOT NULL DEFAULT true,
      task_overdue boolean NOT NULL DEFAULT true,
      goal_stalled_days integer NOT NULL DEFAULT 14 CHECK (goal_stalled_days BETWEEN 0 AND 365),
      goal_behind_within_days integer NOT NULL DEFAULT 60 CHECK (goal_behind_within_days BETWEEN 0 AND 730),
      celebrations boolean NOT NULL DEFAULT true,
      quiet_hours_start time NOT NULL DEFAULT '21:00',
      quiet_hours_end time NOT NULL DEFAULT '08:00',
      daily_cap integer NOT NULL DEFAULT 2 CHECK (daily_cap BETWEEN 1 AND 10),
      version integer NOT NULL DEFAULT 1,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await enableTenantIsolation(q, 'nudge_policies');

    await q.query(`CREATE TABLE nudge_preferences (
      tenant_id uuid NOT NULL,
      client_id uuid NOT NULL,
      opted_out boolean NOT NULL DEFAULT false,
      muted_rules text[] NOT NULL DEFAULT '{}' CHECK (muted_rules <@ ARRAY[${ruleList}]::text[]),
      email boolean NOT NULL DEFAULT true,
      in_app boolean NOT NULL DEFAULT true,
      version integer NOT NULL DEFAULT 1,
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, client_id),
      FOREIGN KEY (tenant_id, client_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
    )`);
    await enableTenantIsolation(q, 'nudge_preferences');

    await q.query(`CREATE TABLE nudge_items (
      tenant_id uuid NOT NULL,
      client_id uuid NOT NULL,
      item_key text NOT NULL CHECK (length(item_key) BETWEEN 1 AND 200),
      rule text NOT NULL CHECK (rule IN (${ruleList})),
      message_id uuid,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, client_id, item_key),
      FOREIGN KEY (tenant_id, client_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE,
      FOREIGN KEY (tenant_id, message_id) REFERENCES messages (tenant_id, id) ON DELETE SET NULL (message_id)
    )`);
    await enableTenantIsolation(q, 'nudge_items');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS nudge_items`);
    await q.query(`DROP TABLE IF EXISTS nudge_preferences`);
    await q.query(`DROP TABLE IF EXISTS nudge_policies`);
  }
}
