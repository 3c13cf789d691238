import { sql } from 'kysely';
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
  const rows = await tx.db
    .selectFrom(
      sql<{ task_id: string; occurrence_on: Date | null }>`unnest(${taskIds}::uuid[], ${dates}::date[])`.as<'w'>(
        sql`w(task_id, occurrence_on)`,
      ),
    )
    .innerJoin('task_completions as c', (join) => {
      const on = join
        .onRef('c.task_id', '=', 'w.task_id')
        .on((eb) => eb.or([eb('w.occurrence_on', 'is', null), eb('c.occurrence_on', '=', eb.ref('w.occurrence_on'))]));
      return loggedBy ? on.on('c.created_at', '<=', loggedBy) : on;
    })
    .select((eb) => [
      'w.task_id',
      eb.cast<string | null>('w.occurrence_on', 'text').as('occurrence_on'),
      eb.cast<number>(eb.fn.sum('c.count'), 'integer').as('n'),
    ])
    .groupBy(['w.task_id', 'w.occurrence_on'])
    .execute();
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
