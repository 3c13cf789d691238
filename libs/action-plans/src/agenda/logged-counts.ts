import { zoneClock } from '#cairn/shared/calendar';
import type { TenantTransaction } from '#cairn/shared/database';
import type { ActionTask } from '../tasks/action-task.entity.js';
import type { LoggedCount } from '../tasks/task-schedule.js';

export type CountsByTask = Map<string, Map<string, number>>;

export const utcToday = (now: Date) => now.toISOString().slice(0, 10);

/** Each client's today in their own zone, computed once per zone. */
export function todayByClient(zoneOf: (clientId: string) => string, now: Date): (task: ActionTask) => string {
  const clock = zoneClock(now);
  return (task) => clock(zoneOf(task.clientId)).date;
}

/**
 * Counts logged on the given occurrences of recurring tasks, and in total for one-off tasks: one statement.
 * With `loggedBy`, only what had been logged by that instant.
 */
export async function loggedCounts(
  tx: TenantTransaction,
  tasks: readonly ActionTask[],
  datesOf: (task: ActionTask) => string[],
  loggedBy?: Date,
): Promise<CountsByTask> {
  const taskIds: string[] = [];
  const dates: (string | null)[] = [];
  const seen = new Set<string>();
  for (const task of tasks) {
    for (const date of task.recurrence ? datesOf(task) : [null]) {
      // A pair listed twice would be joined, and summed, twice.
      if (seen.has(`${task.id}|${date}`)) continue;
      seen.add(`${task.id}|${date}`);
      taskIds.push(task.id);
      dates.push(date);
    }
  }
  const counts: CountsByTask = new Map();
  if (taskIds.length === 0) return counts;
  const rows: { task_id: string; occurrence_on: string | null; n: number }[] = await tx.manager.query(
    `SELECT w.task_id, w.occurrence_on::text AS occurrence_on, sum(c.count)::int AS n
       FROM unnest($2::uuid[], $3::date[]) AS w(task_id, occurrence_on)
       JOIN task_completions c ON c.tenant_id = $1 AND c.task_id = w.task_id
        AND (w.occurrence_on IS NULL OR c.occurrence_on = w.occurrence_on)${loggedBy ? ' AND c.created_at <= $4' : ''}
      GROUP BY w.task_id, w.occurrence_on`,
    loggedBy ? [tx.tenantId, taskIds, dates, loggedBy] : [tx.tenantId, taskIds, dates],
  );
  for (const row of rows) {
    if (!counts.has(row.task_id)) counts.set(row.task_id, new Map());
    counts.get(row.task_id)!.set(row.occurrence_on ?? 'total', row.n);
  }
  return counts;
}

export const loggedOf =
  (counts: CountsByTask, task: ActionTask): LoggedCount =>
  (date) =>
    counts.get(task.id)?.get(date ?? 'total') ?? 0;
