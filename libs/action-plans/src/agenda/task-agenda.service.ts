import { Injectable } from '@nestjs/common';
import type { SelectQueryBuilder } from 'typeorm';
import { CaseloadAccess, type ClientRef } from '#cairn/clients';
import type { Principal } from '#cairn/shared/auth';
import { addDays, daysBetween } from '#cairn/shared/calendar';
import { TenantDatabase, TenantTransaction } from '#cairn/shared/database';
import { ActionTask, OPEN_TASK_STATUSES, TaskStatus } from '../tasks/action-task.entity.js';
import { lastPastOccurrence, occurrencesThatMayHaveCounts, overdueSince, upcomingEntries } from '../tasks/task-schedule.js';
import { TaskAgendaArgs, UpcomingTasksArgs } from './dto/task-agenda.args.js';
import { loggedCounts, loggedOf, todayByClient, utcToday } from './logged-counts.js';
import { TaskAgenda, TaskAgendaItem, TaskAgendaKind } from './task-agenda.types.js';

/**
 * Overdue and upcoming views across clients. Each answer costs a fixed number of statements (the open tasks,
 * the clients' zones, the counts logged on the occurrences that matter) however many clients and tasks there
 * are; recurrence rules are expanded in memory over small windows.
 */
@Injectable()
export class TaskAgendaService {
  constructor(
    private readonly tenantDb: TenantDatabase,
    private readonly caseload: CaseloadAccess,
  ) {}

  overdue(principal: Principal, args: TaskAgendaArgs, now = new Date()): Promise<TaskAgenda> {
    return this.tenantDb.transaction(async (tx) => {
      const { tasks, clients } = await this.openTasksInScope(tx, principal, args, (qb) => overdueCandidates(qb, now));
      return agenda(await this.overdueItems(tx, tasks, clients, now), args.limit);
    });
  }

  /**
   * Every overdue task of the firm's current (not archived) clients, or of `clientIds` only, with no caller to
   * restrict it: for the worker, which announces them and nudges about them. Same rules and cost as `overdue`.
   *
   * `historical`: `now` is a past instant (a report on a past period) and the tasks are read as they stood then,
   * as far as they keep a history: created by then, open then (a task DONE since counts as open), with only
   * what had been logged by then. A cancellation keeps no date, so a task cancelled since is left out, and a
   * task re-scheduled since is seen with its current dates and rule.
   */
  async overdueInFirm(
    tx: TenantTransaction,
    now = new Date(),
    clientIds?: readonly string[],
    options: { historical?: boolean } = {},
  ): Promise<TaskAgendaItem[]> {
    const qb = tx.repo(ActionTask).queryBuilder('t');
    if (options.historical) {
      qb.andWhere(`(t.status IN (:...open) OR (t.status = :done AND t.completed_at > :asOf)) AND t.created_at <= :asOf`, {
        open: OPEN_TASK_STATUSES,
        done: TaskStatus.DONE,
        asOf: now,
      });
    } else {
      qb.andWhere('t.status IN (:...open)', { open: OPEN_TASK_STATUSES });
    }
    overdueCandidates(qb, now);
    if (clientIds?.length === 0) return [];
    if (clientIds) qb.andWhere('t.client_id IN (:...clientIds)', { clientIds });
    const tasks = await qb
      .andWhere(NOT_ARCHIVED)
      .orderBy('t.created_at', 'ASC')
      .addOrderBy('t.id', 'ASC')
      .getMany();
    const refs = await this.caseload.clientRefs(tx, { kind: 'firm' }, [...new Set(tasks.map((t) => t.clientId))]);
    const clients = new Map(refs.map((c) => [c.id, c]));
    return this.overdueItems(tx, tasks.filter((t) => clients.has(t.clientId)), clients, now, options.historical);
  }

  private async overdueItems(
    tx: TenantTransaction,
    tasks: ActionTask[],
    clients: Map<string, ClientRef>,
    now: Date,
    historical = false,
  ): Promise<TaskAgendaItem[]> {
    const today = todayByClient((id) => clients.get(id)!.timezone, now);
    const counts = await loggedCounts(
      tx,
      tasks,
      (task) => {
        const last = lastPastOccurrence(task, today(task));
        return last ? [last] : [];
      },
      historical ? now : undefined,
    );
    const items: TaskAgendaItem[] = [];
    for (const task of tasks) {
      const logged = loggedOf(counts, task);
      // Historical: a task DONE since was still open then (the query left out any DONE before).
      const then = historical && task.status === TaskStatus.DONE ? { ...task, status: TaskStatus.IN_PROGRESS } : task;
      const since = overdueSince(then, today(task), logged);
      if (since === null) continue;
      items.push({
        kind: task.recurrence ? TaskAgendaKind.OCCURRENCE : TaskAgendaKind.DUE,
        date: since,
        task,
        clientId: task.clientId,
        loggedCount: logged(task.recurrence ? since : null),
        daysOverdue: daysBetween(since, today(task)),
      });
    }
    return items;
  }

  upcoming(principal: Principal, args: UpcomingTasksArgs, now = new Date()): Promise<TaskAgenda> {
    return this.tenantDb.transaction(async (tx) => {
      const low = addDays(utcToday(now), -2);
      const high = addDays(utcToday(now), args.days + 1);
      const { tasks, clients } = await this.openTasksInScope(tx, principal, args, (qb) =>
        qb.andWhere(
          `((t.recurrence IS NULL AND (t.start_date BETWEEN :low AND :high OR t.due_date BETWEEN :low AND :high))
            OR (t.recurrence IS NOT NULL AND t.start_date <= :high AND (t.due_date IS NULL OR t.due_date >= :low)))`,
          { low, high },
        ),
      );
      const today = todayByClient((id) => clients.get(id)!.timezone, now);
      const counts = await loggedCounts(tx, tasks, (task) => occurrencesThatMayHaveCounts(task, today(task)));
      const items: TaskAgendaItem[] = [];
      for (const task of tasks) {
        const logged = loggedOf(counts, task);
        const first = today(task);
        for (const entry of upcomingEntries(task, first, addDays(first, args.days - 1), logged)) {
          items.push({
            kind: TaskAgendaKind[entry.kind],
            date: entry.date,
            task,
            clientId: task.clientId,
            loggedCount: logged(task.recurrence ? entry.date : null),
            daysOverdue: null,
          });
        }
      }
      return agenda(items, args.limit);
    });
  }

  /**
   * Open tasks of the clients in the caller's reach (one client with `clientId`, a coach's caseload with
   * `coachId`), with those clients. Archived clients are left out unless asked for by id.
   */
  private async openTasksInScope(
    tx: TenantTransaction,
    principal: Principal,
    args: TaskAgendaArgs,
    prefilter: (qb: SelectQueryBuilder<ActionTask>) => SelectQueryBuilder<ActionTask>,
  ): Promise<{ tasks: ActionTask[]; clients: Map<string, ClientRef> }> {
    const qb = tx
      .repo(ActionTask)
      .queryBuilder('t')
      .andWhere('t.status IN (:...open)', { open: OPEN_TASK_STATUSES });
    let only: ClientRef | null = null;
    if (args.clientId) {
      only = await this.caseload.visibleClient(tx, principal, args.clientId);
      qb.andWhere('t.client_id = :onlyClientId', { onlyClientId: only.id });
    } else {
      this.caseload.restrict(tx, qb, principal, 't.client_id');
      qb.andWhere(NOT_ARCHIVED);
    }
    if (args.coachId) {
      qb.andWhere(
        `EXISTS (SELECT 1 FROM engagements ce WHERE ce.tenant_id = t.tenant_id AND ce.client_id = t.client_id
          AND ce.coach_id = :filterCoachId AND ce.status <> 'ENDED')`,
        { filterCoachId: args.coachId },
      );
    }
    const tasks = await prefilter(qb).orderBy('t.created_at', 'ASC').addOrderBy('t.id', 'ASC').getMany();
    const ids = [...new Set(tasks.map((t) => t.clientId))];
    const refs = only ? [only] : await this.caseload.visibleClients(tx, principal, ids);
    const clients = new Map(refs.map((c) => [c.id, c]));
    return { tasks: tasks.filter((t) => clients.has(t.clientId)), clients };
  }
}

const NOT_ARCHIVED = `NOT EXISTS (SELECT 1 FROM profiles ap WHERE ap.tenant_id = t.tenant_id AND ap.user_id = t.client_id
  AND ap.archived_at IS NOT NULL)`;

/** Open tasks that may be overdue: nobody's today is later than UTC's tomorrow, so this only trims rows that cannot be. */
function overdueCandidates(qb: SelectQueryBuilder<ActionTask>, now: Date): SelectQueryBuilder<ActionTask> {
  const bound = addDays(utcToday(now), 2);
  return qb.andWhere(
    `((t.recurrence IS NULL AND t.due_date < :bound) OR (t.recurrence IS NOT NULL AND t.start_date < :bound))`,
    { bound },
  );
}

const KIND_ORDER = { START: 0, DUE: 1, OCCURRENCE: 2 };

function agenda(items: TaskAgendaItem[], limit: number): TaskAgenda {
  items.sort(
    (a, b) =>
      a.date.localeCompare(b.date) ||
      a.clientId.localeCompare(b.clientId) ||
      KIND_ORDER[a.kind] - KIND_ORDER[b.kind] ||
      a.task.title.localeCompare(b.task.title) ||
      a.task.id.localeCompare(b.task.id),
  );
  return { items: items.slice(0, limit), totalCount: items.length };
}
