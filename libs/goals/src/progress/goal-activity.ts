import { TenantTransaction } from '#cairn/shared/database';
import { fieldAsOf, fieldsBeforeJoin, goalRevisionsOf } from '../revisions/fields-as-of.js';

/** An ACTIVE goal with when anything last happened to it, for "stalled" and "behind pace" rules. */
export interface ActiveGoalActivity {
  id: string;
  client_id: string;
  title: string;
  start_date: string | null;
  target_date: string | null;
  created_on: string;
  /** When its latest progress update happened (progress-history.ts), or its latest status change, else its creation. */
  last_activity: Date;
}

/**
 * The clients' ACTIVE goals with their last activity, in one statement (no access check).
 *
 * With `asOf` (default: now), the goals as they stood then: created by then and ACTIVE then, with the title,
 * dates and priority they had (see fields-as-of.ts), and their last activity by then.
 */
export function activeGoalActivity(
  tx: TenantTransaction,
  clientIds: readonly string[],
  options: { asOf?: Date } = {},
): Promise<ActiveGoalActivity[]> {
  if (clientIds.length === 0) return Promise.resolve([]);
  const asOf = options.asOf;
  const then = (field: string, current: string, type: string) => (asOf ? fieldAsOf('was_then', field, current, type) : current);
  const by = (column: string) => (asOf ? ` AND ${column} <= $3` : '');
  return tx.manager.query(
    `SELECT g.id, g.client_id, ${then('title', 'g.title', 'text')} AS title,
            ${then('startDate', 'g.start_date', 'date')}::text AS start_date, ${then('targetDate', 'g.target_date', 'date')}::text AS target_date,
            g.created_at::date::text AS created_on,
            GREATEST(g.created_at,
              (SELECT max(p.occurred_at) FROM progress_updates p WHERE p.tenant_id = g.tenant_id AND p.goal_id = g.id${by('p.created_at')}),
              (SELECT max(r.created_at) FROM goal_revisions r
                WHERE r.tenant_id = g.tenant_id AND r.goal_id = g.id AND r.action = 'STATUS_CHANGED'${by('r.created_at')})) AS last_activity
       FROM goals g ${asOf ? fieldsBeforeJoin('was_then', goalRevisionsOf('g.tenant_id', 'g.id'), '$3') : ''}
      WHERE g.tenant_id = $1 AND g.client_id = ANY($2::uuid[]) AND ${then('status', 'g.status', 'text')} = 'ACTIVE'${by('g.created_at')}
      ORDER BY g.client_id, ${then('priority', 'g.priority', 'smallint')}, ${then('targetDate', 'g.target_date', 'date')} NULLS LAST, g.created_at, g.id`,
    asOf ? [tx.tenantId, clientIds, asOf] : [tx.tenantId, clientIds],
  );
}
