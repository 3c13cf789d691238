import { Injectable } from '@nestjs/common';
import type { ClientRef } from '#cairn/clients';
import { type GoalViewer, linkedGoalVisibleTo } from '#cairn/goals';
import { anyOf, TenantTransaction } from '#cairn/shared/database';
import { ActionTask, OPEN_TASK_STATUSES } from '../tasks/action-task.entity.js';
import { ActionTaskLoader } from '../tasks/action-task.loader.js';
import { selectTasks, toTask } from '../tasks/action-task.rows.js';
import { lastPastOccurrence, nextDueOn, occurrencesThatMayHaveCounts, overdueSince } from '../tasks/task-schedule.js';
import { loggedCounts, loggedOf, todayByClient } from './logged-counts.js';

/** What the coach dashboard shows per client. */
export interface ClientTaskSummary {
  overdueCount: number;
  /** Oldest overdue first. */
  overdueTasks: ActionTask[];
  /** The earliest date on or after the client's today that an open task or occurrence is due. */
  nextDueOn: string | null;
  nextDueTasks: ActionTask[];
}

/** Per-client task facts for dashboards, with the same rules as the overdue and upcoming views. */
@Injectable()
export class TaskSummaryService {
  constructor(private readonly loader: ActionTaskLoader) {}

  /**
   * Per client: the open tasks overdue today (as in `overdueTasks`) and the next due date with the tasks due
   * then, leaving out tasks of goals `viewer` may not see. Two statements at most, whatever the number of
   * clients. The caller has already checked access to the clients.
   */
  async summariesForClients(
    tx: TenantTransaction,
    clients: readonly ClientRef[],
    viewer: GoalViewer,
    now = new Date(),
  ): Promise<Map<string, ClientTaskSummary>> {
    const summaries = new Map<string, ClientTaskSummary>(
      clients.map((c) => [c.id, { overdueCount: 0, overdueTasks: [], nextDueOn: null, nextDueTasks: [] }]),
    );
    if (clients.length === 0) return summaries;
    const zones = new Map(clients.map((c) => [c.id, c.timezone]));
    for (const [clientId, zone] of zones) this.loader.primeClientZone(clientId, zone);
    const tasks = (
      await selectTasks(tx.db)
        .where('t.client_id', '=', anyOf(clients.map((c) => c.id), 'uuid'))
        .where('t.status', '=', anyOf(OPEN_TASK_STATUSES, 'text'))
        .where(linkedGoalVisibleTo(tx, viewer, 't.goal_id'))
        .orderBy('t.created_at')
        .orderBy('t.id')
        .execute()
    ).map(toTask);
    const today = todayByClient((id) => zones.get(id)!, now);
    const counts = await loggedCounts(tx, tasks, (task) => {
      const last = lastPastOccurrence(task, today(task));
      const ahead = occurrencesThatMayHaveCounts(task, today(task));
      return last ? [last, ...ahead] : ahead;
    });
    const overdue = new Map<string, { since: string; task: ActionTask }[]>();
    for (const task of tasks) {
      const summary = summaries.get(task.clientId)!;
      const logged = loggedOf(counts, task);
      const since = overdueSince(task, today(task), logged);
      if (since !== null)
        overdue.set(task.clientId, [...(overdue.get(task.clientId) ?? []), { since, task }]);
      const due = nextDueOn(task, today(task), logged);
      if (due === null || (summary.nextDueOn !== null && due > summary.nextDueOn)) continue;
      if (summary.nextDueOn !== due) {
        summary.nextDueOn = due;
        summary.nextDueTasks = [];
      }
      summary.nextDueTasks.push(task);
    }
    for (const [clientId, list] of overdue) {
      const summary = summaries.get(clientId)!;
      list.sort((a, b) => a.since.localeCompare(b.since));
      summary.overdueCount = list.length;
      summary.overdueTasks = list.map((o) => o.task);
    }
    return summaries;
  }
}
