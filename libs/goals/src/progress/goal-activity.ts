import { TenantTransaction } from '#cairn/shared/database';

/** An ACTIVE goal with when anything last happened to it, for "stalled" and "behind pace" rules. */
export interface ActiveGoalActivity {
  id: string;
  client_id: string;
  title: string;
  start_date: string | null;
  target_date: string | null;
  created_on: string;
  /** The latest progress update or status change, else its creation. */
  last_activity: Date;
}

/** The clients' ACTIVE goals with their last activity, in one statement (no access check). */
export function activeGoalActivity(tx: TenantTransaction, clientIds: readonly string[]): Promise<ActiveGoalActivity[]> {
  if (clientIds.length === 0) return Promise.resolve([]);
  return tx.manager.query(
    `SELECT g.id, g.client_id, g.title, g.start_date::text, g.target_date::text, g.created_at::date::text AS created_on,
            GREATEST(g.created_at,
              (SELECT max(p.created_at) FROM progress_updates p WHERE p.tenant_id = g.tenant_id AND p.goal_id = g.id),
              (SELECT max(r.created_at) FROM goal_revisions r
                WHERE r.tenant_id = g.tenant_id AND r.goal_id = g.id AND r.action = 'STATUS_CHANGED')) AS last_activity
       FROM goals g
      WHERE g.tenant_id = $1 AND g.client_id = ANY($2::uuid[]) AND g.status = 'ACTIVE'
      ORDER BY g.client_id, g.priority, g.target_date NULLS LAST, g.created_at, g.id`,
    [tx.tenantId, clientIds],
  );
}
