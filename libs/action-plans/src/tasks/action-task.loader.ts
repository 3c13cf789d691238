import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { Goal, GoalLoader } from '#cairn/goals';
import type { Principal } from '#cairn/shared/auth';
import { anyOf, TenantDatabase, type TenantTransaction } from '#cairn/shared/database';
import { requestGroupLoader, requestLoader } from '#cairn/shared/graphql';
import { TaskCompletion } from '../completions/task-completion.entity.js';
import { ActionTask, TaskStatus } from './action-task.entity.js';
import { selectTasks, toTask } from './action-task.rows.js';

/** Logged counts of one task: per occurrence date, and the total under `TOTAL` (one-off tasks). */
export type LoggedCounts = Map<string, number>;
export const TOTAL = 'total';

/**
 * Per-request DataLoaders for the fields of a page of tasks and goals: one statement per field per page,
 * whatever the page size. Rows reached here hang off a task or goal the caller already reached.
 */
@Injectable()
export class ActionTaskLoader {
  constructor(
    private readonly tenantDb: TenantDatabase,
    private readonly goals: GoalLoader,
  ) {}

  tasksOfGoal(goalId: string, statuses: readonly TaskStatus[] | null): Promise<ActionTask[]> {
    const key = statuses ? [...statuses].sort().join(',') : 'all';
    return requestGroupLoader(
      `action-tasks-by-goal:${key}`,
      (goalIds: readonly string[]) =>
        this.tenantDb.read((tx) =>
          tx.repo(ActionTask).find({
            where: { goalId: In([...goalIds]), ...(statuses ? { status: In([...statuses]) } : {}) },
            order: { startDate: 'ASC', dueDate: 'ASC', createdAt: 'ASC', id: 'ASC' },
          }),
        ),
      (task) => task.goalId,
    ).load(goalId);
  }

  dependencies(taskId: string): Promise<ActionTask[]> {
    return requestLoader<string, { taskId: string; rows: ActionTask[] }>(
      'action-task-dependencies',
      (taskIds) =>
        this.tenantDb.read(async (tx) => {
          // One row per dependency: a task several of the batch depend on comes back once for each.
          const rows = await selectTasks(tx.db)
            .innerJoin('task_dependencies as d', 'd.depends_on_id', 't.id')
            .select('d.task_id as dependentId')
            .where('d.task_id', '=', anyOf(taskIds, 'uuid'))
            .orderBy('t.title')
            .orderBy('t.id')
            .execute();
          return taskIds.map((id) => ({
            taskId: id,
            rows: rows
              .filter((r) => r.dependentId === id)
              .map(({ dependentId: _dependentId, ...task }) => toTask(task)),
          }));
        }),
      (group) => group.taskId,
    )
      .load(taskId)
      .then((group) => group?.rows ?? []);
  }

  loggedCounts(taskId: string): Promise<LoggedCounts> {
    return requestLoader<string, { taskId: string; counts: LoggedCounts }>(
      'action-task-logged-counts',
      (taskIds) =>
        this.tenantDb.read(async (tx) => {
          const counts = await loggedCountsOf(tx, taskIds);
          return taskIds.map((id) => ({ taskId: id, counts: counts.get(id)! }));
        }),
      (group) => group.taskId,
    )
      .load(taskId)
      .then((group) => group?.counts ?? new Map([[TOTAL, 0]]));
  }

  /** The zone a client's dates are in: their own, else the firm's default. */
  clientZone(clientId: string): Promise<string> {
    return this.clientZones()
      .load(clientId)
      .then((row) => row?.zone ?? 'UTC');
  }

  /** Hands a zone already read (a client's own, else the firm's default) to the rest of the request. */
  primeClientZone(clientId: string, zone: string): void {
    this.clientZones().prime(clientId, { id: clientId, zone });
  }

  private clientZones() {
    return requestLoader<string, { id: string; zone: string }>(
      'action-plan-client-zone',
      (ids) =>
        this.tenantDb.read((tx) =>
          tx.db
            .selectFrom('users as u')
            .innerJoin('tenants as t', 't.id', 'u.tenant_id')
            .select((eb) => ['u.id', eb.fn.coalesce('u.timezone', 't.default_timezone').as('zone')])
            .where('u.id', '=', anyOf(ids, 'uuid'))
            .execute(),
        ),
      (row) => row.id,
    );
  }

  /** Those of `tasks` whose goal the caller may see (a dependency may belong to a goal the client made private). */
  async visibleTo(principal: Principal, tasks: readonly ActionTask[]): Promise<ActionTask[]> {
    const goals = await Promise.all(tasks.map((t) => this.goals.goal(principal, t.goalId)));
    return tasks.filter((_, i) => goals[i] !== null);
  }

  /** The task's goal; a task is reached only through a goal the caller may see, so the check is for belt and braces. */
  goal(principal: Principal, goalId: string): Promise<Goal | null> {
    return this.goals.goal(principal, goalId);
  }

  /** The latest `limit` log entries of each task, newest first, in one statement per page. */
  recentCompletions(taskId: string, limit: number): Promise<TaskCompletion[]> {
    return requestGroupLoader(
      `action-task-recent-completions:${limit}`,
      (taskIds: readonly string[]) =>
        this.tenantDb.read(async (tx) => {
          const ranked = await tx.db
            .selectFrom((eb) =>
              eb
                .selectFrom('task_completions')
                .select((w) => [
                  'id',
                  w.fn
                    .agg<number>('row_number')
                    .over((over) => over.partitionBy('task_id').orderBy('created_at', 'desc').orderBy('id', 'desc'))
                    .as('rank'),
                ])
                .where('task_id', '=', anyOf(taskIds, 'uuid'))
                .as('ranked'),
            )
            .select('id')
            .where('rank', '<=', limit)
            .execute();
          return ranked.length === 0
            ? []
            : tx.repo(TaskCompletion).find({
                where: { id: In(ranked.map((r) => r.id)) },
                order: { createdAt: 'DESC', id: 'DESC' },
              });
        }),
      (completion: TaskCompletion) => completion.taskId,
    ).load(taskId);
  }
}

/**
 * Logged counts of some tasks (per occurrence date, the total under TOTAL), in one statement. With `asOf`,
 * only what was logged by then (reports).
 */
export async function loggedCountsOf(
  tx: TenantTransaction,
  taskIds: readonly string[],
  options: { asOf?: Date } = {},
): Promise<Map<string, LoggedCounts>> {
  const result = new Map<string, LoggedCounts>(taskIds.map((id) => [id, new Map([[TOTAL, 0]])]));
  if (taskIds.length === 0) return result;
  const rows = await tx.db
    .selectFrom('task_completions')
    .select((eb) => [
      'task_id',
      eb.cast<string | null>('occurrence_on', 'text').as('occurrence_on'),
      eb.cast<number>(eb.fn.sum('count'), 'integer').as('n'),
    ])
    .where('task_id', '=', anyOf(taskIds, 'uuid'))
    .$if(options.asOf !== undefined, (q) => q.where('created_at', '<=', options.asOf!))
    .groupBy(['task_id', 'occurrence_on'])
    .execute();
  for (const row of rows) {
    const counts = result.get(row.task_id)!;
    counts.set(TOTAL, (counts.get(TOTAL) ?? 0) + row.n);
    if (row.occurrence_on) counts.set(row.occurrence_on, row.n);
  }
  return result;
}
