import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { In } from 'typeorm';
import { CaseloadAccess, type ClientRef } from '#cairn/clients';
import { GoalAccess } from '#cairn/goals';
import type { Principal } from '#cairn/shared/auth';
import { addDays, parseRecurrence, RecurrenceError, todayIn } from '#cairn/shared/calendar';
import { allOf, TenantDatabase, TenantTransaction } from '#cairn/shared/database';
import { AppError, ErrorCode } from '#cairn/shared/graphql';
import { ActionPlanErrors } from '../action-plans.errors.js';
import { ActionTask, FINISHED_TASK_STATUSES, type PastRule, TaskStatus } from './action-task.entity.js';
import { CreateActionTaskInput } from './dto/create-action-task.input.js';
import { UpdateActionTaskInput } from './dto/update-action-task.input.js';
import { occurrencesBetween } from './task-schedule.js';

/** How far back a start date and how far ahead a due date may be set, in days. */
export const START_LOOKBACK_DAYS = 366;
export const DUE_HORIZON_DAYS = 3653;

export interface TaskInReach {
  task: ActionTask;
  client: ClientRef;
}

type Schedule = Pick<ActionTask, 'startDate' | 'dueDate' | 'recurrence'>;

export const actorOf = (principal: Principal) => ({
  userId: principal.kind === 'user' ? (principal.userId ?? null) : null,
  apiKeyId: principal.apiKeyId ?? null,
});

@Injectable()
export class ActionTaskService {
  constructor(
    private readonly tenantDb: TenantDatabase,
    private readonly goals: GoalAccess,
    private readonly caseload: CaseloadAccess,
  ) {}

  get(principal: Principal, id: string): Promise<ActionTask> {
    return this.tenantDb.transaction(async (tx) => (await this.reach(tx, principal, id, false)).task);
  }

  /**
   * The task and its client if the caller may reach it (NOT_FOUND otherwise). For edits the goal row is locked,
   * the client must not be archived, and the task is read again after the lock so its state is current.
   */
  async reach(tx: TenantTransaction, principal: Principal, id: string, edit: boolean): Promise<TaskInReach> {
    const found = await tx.repo(ActionTask).findOne({ id });
    if (!found) throw ActionPlanErrors.taskNotFound();
    try {
      const { client } = edit
        ? await this.goals.editable(tx, principal, found.goalId)
        : await this.goals.visible(tx, principal, found.goalId);
      const task = edit ? await tx.repo(ActionTask).findOne({ id }) : found;
      if (!task) throw ActionPlanErrors.taskNotFound();
      return { task, client };
    } catch (error) {
      if (error instanceof AppError && error.code === ErrorCode.NOT_FOUND)
        throw ActionPlanErrors.taskNotFound();
      throw error;
    }
  }

  /**
   * Serialises every change to a client's dependencies and task statuses, so that two concurrent edits can
   * neither close a cycle nor finish a task while its dependency is being reopened.
   */
  async lockClientPlan(tx: TenantTransaction, clientId: string): Promise<void> {
    const key = `action-plan:${tx.tenantId}:${clientId}`;
    await tx.db.selectNoFrom(sql`pg_advisory_xact_lock(hashtextextended(${key}, 0))`.as('locked')).execute();
  }

  create(principal: Principal, input: CreateActionTaskInput): Promise<ActionTask> {
    return this.tenantDb.transaction(async (tx) => {
      const { goal, client } = await this.goals.editable(tx, principal, input.goalId);
      const today = todayIn(client.timezone);
      const schedule = this.checkSchedule(
        today,
        {
          startDate: input.startDate ?? today,
          dueDate: input.dueDate ?? null,
          recurrence: input.recurrence ?? null,
        },
        { startChanged: true, dueChanged: true },
      );
      await this.lockClientPlan(tx, client.id);
      const actor = actorOf(principal);
      const task = await tx.repo(ActionTask).insert({
        goalId: goal.id,
        clientId: client.id,
        title: input.title.trim(),
        notes: input.notes?.trim() || null,
        status: TaskStatus.TODO,
        ...schedule,
        countTarget: input.countTarget,
        completedAt: null,
        createdByUserId: actor.userId,
        createdByApiKeyId: actor.apiKeyId,
        version: 1,
      });
      if (input.dependsOnIds?.length) await this.replaceDependencies(tx, principal, task, input.dependsOnIds);
      return (await tx.repo(ActionTask).findOne({ id: task.id })) as ActionTask;
    });
  }

  update(principal: Principal, input: UpdateActionTaskInput): Promise<ActionTask> {
    return this.tenantDb.transaction(async (tx) => {
      const { task, client } = await this.reach(tx, principal, input.id, true);
      await this.lockClientPlan(tx, client.id);
      if (task.version !== input.expectedVersion) throw ActionPlanErrors.staleVersion();
      const today = todayIn(client.timezone);

      const next: Schedule = {
        startDate: input.startDate ?? task.startDate,
        dueDate: input.dueDate === undefined ? task.dueDate : input.dueDate,
        recurrence: input.recurrence === undefined ? task.recurrence : input.recurrence,
      };
      const schedule = this.checkSchedule(today, next, {
        startChanged: next.startDate !== task.startDate,
        dueChanged: next.dueDate !== task.dueDate,
      });
      const status = input.status ?? task.status;
      const patch: Partial<ActionTask> = {
        ...schedule,
        recurrenceHistory: historyAfterEdit(task, schedule.recurrence, today),
        title: input.title?.trim() ?? task.title,
        notes: input.notes === undefined ? task.notes : input.notes?.trim() || null,
        countTarget: input.countTarget ?? task.countTarget,
        status,
        completedAt:
          status === TaskStatus.DONE
            ? task.status === TaskStatus.DONE
              ? task.completedAt
              : new Date()
            : null,
      };
      if (input.dependsOnIds) await this.replaceDependencies(tx, principal, task, input.dependsOnIds);
      if (status === TaskStatus.DONE && task.status !== TaskStatus.DONE)
        await this.assertDependenciesFinished(tx, task.id);
      const changed = await tx
        .repo(ActionTask)
        .update(
          { id: task.id, version: input.expectedVersion },
          { ...patch, version: input.expectedVersion + 1 },
        );
      if (changed === 0) throw ActionPlanErrors.staleVersion();
      return (await tx.repo(ActionTask).findOne({ id: task.id })) as ActionTask;
    });
  }

  /** CONFLICT naming the dependencies that are neither DONE nor CANCELLED. */
  async assertDependenciesFinished(tx: TenantTransaction, taskId: string): Promise<void> {
    const open = await this.openDependencies(tx, taskId);
    if (open.length > 0) throw ActionPlanErrors.dependenciesOpen(open);
  }

  async openDependencies(
    tx: TenantTransaction,
    taskId: string,
  ): Promise<{ id: string; title: string; status: string }[]> {
    return tx.db
      .selectFrom('task_dependencies as d')
      .innerJoin('action_tasks as t', 't.id', 'd.depends_on_id')
      .select(['t.id', 't.title', 't.status'])
      .where('d.task_id', '=', taskId)
      .where('t.status', '<>', allOf(FINISHED_TASK_STATUSES, 'text'))
      .orderBy('t.title')
      .orderBy('t.id')
      .execute();
  }

  /**
   * Validates a task's dates and rule in the client's today and returns them canonicalised (the rule in its
   * stored form). Past dates are refused only when they are being set, so old tasks stay editable.
   */
  private checkSchedule(
    today: string,
    s: Schedule,
    changed: { startChanged: boolean; dueChanged: boolean },
  ): Schedule {
    let recurrence: string | null = null;
    if (s.recurrence !== null && s.recurrence.trim() !== '') {
      try {
        recurrence = parseRecurrence(s.recurrence).rule;
      } catch (error) {
        if (error instanceof RecurrenceError) throw ActionPlanErrors.invalidRecurrence(error.message);
        throw error;
      }
    }
    const horizon = addDays(today, DUE_HORIZON_DAYS);
    if (!recurrence && s.dueDate === null) throw ActionPlanErrors.dueDateRequired();
    if (changed.startChanged && s.startDate < addDays(today, -START_LOOKBACK_DAYS)) {
      throw ActionPlanErrors.startTooEarly(addDays(today, -START_LOOKBACK_DAYS));
    }
    if (changed.startChanged && s.startDate > horizon) throw ActionPlanErrors.startTooLate(horizon);
    if (s.dueDate !== null && changed.dueChanged && s.dueDate < today)
      throw ActionPlanErrors.dueInPast(today);
    if (s.dueDate !== null && changed.dueChanged && s.dueDate > horizon)
      throw ActionPlanErrors.dueTooFar(horizon);
    if (s.dueDate !== null && s.dueDate < s.startDate) throw ActionPlanErrors.dueBeforeStart();
    if (recurrence) {
      const last = s.dueDate ?? addDays(s.startDate, DUE_HORIZON_DAYS);
      const probe = {
        id: '',
        status: TaskStatus.TODO,
        countTarget: 1,
        startDate: s.startDate,
        dueDate: last,
        recurrence,
      };
      if (occurrencesBetween(probe, s.startDate, last, 1).length === 0)
        throw ActionPlanErrors.recurrenceNeverOccurs();
    }
    return { startDate: s.startDate, dueDate: s.dueDate, recurrence };
  }

  /** Replaces a task's dependencies: same client, reachable, no self-reference, no cycle. */
  private async replaceDependencies(
    tx: TenantTransaction,
    principal: Principal,
    task: ActionTask,
    ids: string[],
  ): Promise<void> {
    const wanted = [...new Set(ids.map((id) => id.toLowerCase()))];
    if (wanted.includes(task.id)) throw ActionPlanErrors.dependencyOnItself();
    const targets = wanted.length > 0 ? await tx.repo(ActionTask).findBy({ id: In(wanted) }) : [];
    if (targets.length !== wanted.length) throw ActionPlanErrors.taskNotFound();
    const otherClients = [
      ...new Set(targets.filter((t) => t.clientId !== task.clientId).map((t) => t.clientId)),
    ];
    if (otherClients.length > 0) {
      // Tasks of clients the caller cannot see do not exist for them; visible ones break the same-client rule.
      const visible = await this.caseload.visibleClients(tx, principal, otherClients);
      if (visible.length < otherClients.length) throw ActionPlanErrors.taskNotFound();
      throw ActionPlanErrors.dependencyOtherClient();
    }
    if (wanted.length > 0) {
      // Everything the wanted dependencies reach; reaching this task would close a cycle.
      const cycle = await tx.db
        .withRecursive('reach(root, id)', (db) =>
          db
            .selectFrom(sql<{ r: string }>`unnest(${wanted}::uuid[])`.as<'r'>(sql`r(r)`))
            .select(['r.r as root', 'r.r as id'])
            .union(
              db
                .selectFrom('task_dependencies as d')
                .innerJoin('reach', 'reach.id', 'd.task_id')
                .select(['reach.root', 'd.depends_on_id as id'])
                .where('d.task_id', '<>', task.id),
            ),
        )
        .selectFrom('reach')
        .select('reach.root')
        .where('reach.id', '=', task.id)
        .limit(1)
        .executeTakeFirst();
      if (cycle)
        throw ActionPlanErrors.dependencyCycle(targets.find((t) => t.id === cycle.root)?.title ?? '');
    }
    await tx.db.deleteFrom('task_dependencies').where('task_id', '=', task.id).execute();
    if (wanted.length > 0) {
      await tx.db
        .insertInto('task_dependencies')
        .columns(['task_id', 'depends_on_id', 'client_id'])
        .expression((eb) =>
          eb
            .selectFrom(sql<{ d: string }>`unnest(${wanted}::uuid[])`.as<'d'>(sql`d(d)`))
            .select([eb.val(task.id).as('task_id'), 'd.d as depends_on_id', eb.val(task.clientId).as('client_id')]),
        )
        .execute();
    }
  }
}

/**
 * A rule edit re-plans only the future: the rule being replaced keeps the days before the client's today
 * (their occurrences, streak and what was overdue stay as they were). A rule replaced on the day it was set
 * governed no past day and is not kept.
 */
function historyAfterEdit(task: ActionTask, nextRule: string | null, today: string): PastRule[] {
  const history = task.recurrenceHistory;
  const yesterday = addDays(today, -1);
  const governedNoPastDay = yesterday < task.startDate || (history.length > 0 && history[history.length - 1].until >= yesterday);
  if (!task.recurrence || nextRule === task.recurrence || governedNoPastDay) return history;
  return [...history, { rule: task.recurrence, until: yesterday }];
}
