import { Injectable } from '@nestjs/common';
import type { Principal } from '#cairn/shared/auth';
import { todayIn } from '#cairn/shared/calendar';
import { dateText, TenantDatabase } from '#cairn/shared/database';
import { asNode, ConnectionArgs, type ConnectionShape, paginate } from '#cairn/shared/graphql';
import { ActionPlanErrors } from '../action-plans.errors.js';
import { ActionTask, OPEN_TASK_STATUSES, TaskStatus } from '../tasks/action-task.entity.js';
import { actorOf, ActionTaskService } from '../tasks/action-task.service.js';
import { isTaskOccurrence } from '../tasks/task-schedule.js';
import { LogTaskCompletionInput } from './dto/log-task-completion.input.js';
import { TaskCompletion } from './task-completion.entity.js';

export interface LoggedCompletion {
  completion: TaskCompletion;
  task: ActionTask;
}

@Injectable()
export class TaskCompletionService {
  constructor(
    private readonly tenantDb: TenantDatabase,
    private readonly tasks: ActionTaskService,
  ) {}

  /**
   * Logs that the task (or one occurrence of it) was done `count` times. The first log moves a TODO task to
   * IN_PROGRESS; a one-off task whose logged total reaches its target becomes DONE, unless a dependency is
   * still open (then it stays IN_PROGRESS and `blockedBy` says why).
   */
  log(principal: Principal, input: LogTaskCompletionInput): Promise<LoggedCompletion> {
    return this.tenantDb.transaction(async (tx) => {
      const { task, client } = await this.tasks.reach(tx, principal, input.taskId, true);
      await this.tasks.lockClientPlan(tx, client.id);
      if (!OPEN_TASK_STATUSES.includes(task.status)) throw ActionPlanErrors.taskFinished(task.status);
      const today = todayIn(client.timezone);
      const occurrenceOn = input.occurrenceOn ?? null;
      if (task.recurrence) {
        if (occurrenceOn === null) throw ActionPlanErrors.occurrenceRequired();
        if (occurrenceOn > today) throw ActionPlanErrors.occurrenceInFuture(today);
        if (!isTaskOccurrence(task, occurrenceOn))
          throw ActionPlanErrors.notAnOccurrence(occurrenceOn, task.recurrence);
      } else if (occurrenceOn !== null) {
        throw ActionPlanErrors.occurrenceNotAllowed();
      }

      const actor = actorOf(principal);
      const completion = await tx.repo(TaskCompletion).insert({
        taskId: task.id,
        clientId: task.clientId,
        occurrenceOn,
        count: input.count,
        note: input.note?.trim() || null,
        loggedByUserId: actor.userId,
        loggedByApiKeyId: actor.apiKeyId,
      });

      let status = task.status === TaskStatus.TODO ? TaskStatus.IN_PROGRESS : task.status;
      if (!task.recurrence) {
        const { total } = await tx.db
          .selectFrom('task_completions')
          .select((eb) => eb.cast<number>(eb.fn.coalesce(eb.fn.sum('count'), eb.lit(0)), 'integer').as('total'))
          .where('task_id', '=', task.id)
          .executeTakeFirstOrThrow();
        if (total >= task.countTarget && (await this.tasks.openDependencies(tx, task.id)).length === 0) {
          status = TaskStatus.DONE;
        }
      }
      if (status !== task.status) {
        await tx
          .repo(ActionTask)
          .update(
            { id: task.id },
            {
              status,
              completedAt: status === TaskStatus.DONE ? new Date() : null,
              version: task.version + 1,
            },
          );
      }
      return { completion, task: (await tx.repo(ActionTask).findOne({ id: task.id })) as ActionTask };
    });
  }

  /** A task's whole log, oldest first. */
  list(principal: Principal, taskId: string, args: ConnectionArgs): Promise<ConnectionShape<TaskCompletion>> {
    return this.tenantDb.transaction(async (tx) => {
      await this.tasks.reach(tx, principal, taskId, false);
      const query = tx.db
        .selectFrom('task_completions as c')
        .select([
          'c.id',
          'c.task_id as taskId',
          'c.client_id as clientId',
          dateText('c.occurrence_on').as('occurrenceOn'),
          'c.count',
          'c.note',
          'c.logged_by_user_id as loggedByUserId',
          'c.logged_by_api_key_id as loggedByApiKeyId',
          'c.created_at as createdAt',
        ])
        .where('c.task_id', '=', taskId);
      return paginate(query, 'c', args, { node: asNode(TaskCompletion) });
    });
  }
}
