import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { CaseloadAccess, type ClientRef, engagedWith } from '#cairn/clients';
import { GoalVisibility } from '#cairn/goals';
import type { Principal } from '#cairn/shared/auth';
import { addDays, daysBetween } from '#cairn/shared/calendar';
import { anyOf, TenantDatabase, TenantTransaction } from '#cairn/shared/database';
import { ActionTask, OPEN_TASK_STATUSES, TaskStatus } from '../tasks/action-task.entity.js';
import { selectTasks, type TaskQuery, toTask } from '../tasks/action-task.rows.js';
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
    private readonly goalVisibility: GoalVisibility,
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
    if (clientIds?.length === 0) return [];
    let query = selectTasks(tx.db).where((eb) =>
      options.historical
        ? eb.and([
            eb.or([
              eb('t.status', '=', anyOf(OPEN_TASK_STATUSES, 'text')),
              eb.and([eb('t.status', '=', TaskStatus.DONE), eb('t.completed_at', '>', now)]),
            ]),
            eb('t.created_at', '<=', now),
          ])
        : eb('t.status', '=', anyOf(OPEN_TASK_STATUSES, 'text')),
    );
    query = overdueCandidates(query, now);
    if (clientIds) query = query.where('t.client_id', '=', anyOf(clientIds, 'uuid'));
    const tasks = (await notArchived(query).orderBy('t.created_at').orderBy('t.id').execute()).map(toTask);
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
      const low = asDate(addDays(utcToday(now), -2));
      const high = asDate(addDays(utcToday(now), args.days + 1));
      const { tasks, clients } = await this.openTasksInScope(tx, principal, args, (query) =>
        query.where((eb) =>
          eb.or([
            eb.and([
              eb('t.recurrence', 'is', null),
              eb.or([eb.between('t.start_date', low, high), eb.between('t.due_date', low, high)]),
            ]),
            eb.and([
              eb('t.recurrence', 'is not', null),
              eb('t.start_date', '<=', high),
              eb.or([eb('t.due_date', 'is', null), eb('t.due_date', '>=', low)]),
            ]),
          ]),
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
    prefilter: (query: TaskQuery) => TaskQuery,
  ): Promise<{ tasks: ActionTask[]; clients: Map<string, ClientRef> }> {
    let query = selectTasks(tx.db).where('t.status', '=', anyOf(OPEN_TASK_STATUSES, 'text'));
    let only: ClientRef | null = null;
    if (args.clientId) {
      only = await this.caseload.visibleClient(tx, principal, args.clientId);
      query = query.where('t.client_id', '=', only.id);
    } else {
      query = notArchived(this.caseload.restrictQuery(tx, query, principal, 't.client_id'));
    }
    if (args.coachId) query = query.where(engagedWith(tx, 't.client_id', args.coachId));
    query = this.goalVisibility.restrictLinked(tx, query, principal, 't.goal_id');
    const tasks = (await prefilter(query).orderBy('t.created_at').orderBy('t.id').execute()).map(toTask);
    const ids = [...new Set(tasks.map((t) => t.clientId))];
    const refs = only ? [only] : await this.caseload.visibleClients(tx, principal, ids);
    const clients = new Map(refs.map((c) => [c.id, c]));
    return { tasks: tasks.filter((t) => clients.has(t.clientId)), clients };
  }
}

/** A local date ('YYYY-MM-DD') as a `date` parameter, to compare with a date column. */
const asDate = (day: string) => sql<Date>`${day}::date`;

/** Leaves out tasks of archived clients. */
const notArchived = (query: TaskQuery): TaskQuery =>
  query.where((eb) =>
    eb.not(
      eb.exists(
        eb
          .selectFrom('profiles as ap')
          .select(sql.lit(1).as('one'))
          .whereRef('ap.user_id', '=', 't.client_id')
          .where('ap.archived_at', 'is not', null),
      ),
    ),
  );

/** Open tasks that may be overdue: nobody's today is later than UTC's tomorrow, so this only trims rows that cannot be. */
function overdueCandidates(query: TaskQuery, now: Date): TaskQuery {
  const bound = asDate(addDays(utcToday(now), 2));
  return query.where((eb) =>
    eb.or([
      eb.and([eb('t.recurrence', 'is', null), eb('t.due_date', '<', bound)]),
      eb.and([eb('t.recurrence', 'is not', null), eb('t.start_date', '<', bound)]),
    ]),
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
