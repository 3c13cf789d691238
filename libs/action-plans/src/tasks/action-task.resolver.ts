import { Args, ID, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Goal } from '#cairn/goals';
import { ApiScope, CurrentPrincipal, type Principal, RequireScopes } from '#cairn/shared/auth';
import { addDays, daysBetween, todayIn } from '#cairn/shared/calendar';
import { AppError, IdPipe, LocalDateScalar } from '#cairn/shared/graphql';
import { ActionPlanErrors } from '../action-plans.errors.js';
import { ActionTask, FINISHED_TASK_STATUSES } from './action-task.entity.js';
import { ActionTaskLoader, TOTAL } from './action-task.loader.js';
import { ActionTaskService } from './action-task.service.js';
import { CreateActionTaskInput } from './dto/create-action-task.input.js';
import { UpdateActionTaskInput } from './dto/update-action-task.input.js';
import { occurrencesBetween, streakOf } from './task-schedule.js';
import { TaskCompletion } from '../completions/task-completion.entity.js';
import { TaskOccurrence, TaskStreak } from './task-progress.types.js';

export const MAX_OCCURRENCE_WINDOW_DAYS = 92;

@Resolver(() => ActionTask)
export class ActionTaskResolver {
  constructor(
    private readonly tasks: ActionTaskService,
    private readonly loader: ActionTaskLoader,
  ) {}

  @RequireScopes(ApiScope.GOALS_READ)
  @Query(() => ActionTask, { description: 'NOT_FOUND also for tasks of clients outside your caseload.' })
  actionTask(@CurrentPrincipal() principal: Principal, @Args('id', { type: () => ID }, IdPipe) id: string) {
    return this.tasks.get(principal, id);
  }

  @RequireScopes(ApiScope.GOALS_WRITE)
  @Mutation(() => ActionTask, {
    description:
      'Adds a one-off or recurring task to a goal’s action plan (admins, the client’s coaches, the client).',
  })
  createActionTask(@CurrentPrincipal() principal: Principal, @Args('input') input: CreateActionTaskInput) {
    return this.tasks.create(principal, input);
  }

  @RequireScopes(ApiScope.GOALS_WRITE)
  @Mutation(() => ActionTask, {
    description: 'Edits a task; expectedVersion guards against concurrent edits.',
  })
  updateActionTask(@CurrentPrincipal() principal: Principal, @Args('input') input: UpdateActionTaskInput) {
    return this.tasks.update(principal, input);
  }

  @ResolveField(() => Goal, { nullable: true })
  goal(@CurrentPrincipal() principal: Principal, @Parent() task: ActionTask) {
    return this.loader.goal(principal, task.goalId);
  }

  @ResolveField(() => [ActionTask], {
    description: 'Tasks that must be DONE or CANCELLED before this one can be DONE.',
  })
  async dependencies(@CurrentPrincipal() principal: Principal, @Parent() task: ActionTask) {
    return this.loader.visibleTo(principal, await this.loader.dependencies(task.id));
  }

  @ResolveField(() => [ActionTask], {
    description: 'The dependencies that are still open (what blocks DONE).',
  })
  async blockedBy(@CurrentPrincipal() principal: Principal, @Parent() task: ActionTask) {
    return (await this.loader.visibleTo(principal, await this.loader.dependencies(task.id))).filter(
      (d) => !FINISHED_TASK_STATUSES.includes(d.status),
    );
  }

  @ResolveField(() => Int, {
    description:
      'One-off task: logged in total. Recurring task: logged for today’s occurrence (0 if today is not one).',
  })
  async loggedCount(@Parent() task: ActionTask) {
    const counts = await this.loader.loggedCounts(task.id);
    if (!task.recurrence) return counts.get(TOTAL) ?? 0;
    return counts.get(todayIn(await this.loader.clientZone(task.clientId))) ?? 0;
  }

  @ResolveField(() => TaskStreak, { nullable: true, description: 'Recurring tasks only.' })
  async streak(@Parent() task: ActionTask): Promise<TaskStreak | null> {
    if (!task.recurrence) return null;
    const [counts, zone] = await Promise.all([
      this.loader.loggedCounts(task.id),
      this.loader.clientZone(task.clientId),
    ]);
    return streakOf(task, todayIn(zone), (date) => counts.get(date ?? TOTAL) ?? 0);
  }

  @ResolveField(() => [TaskOccurrence], {
    description: `Recurring tasks: occurrences in [from, to] with their logged counts (default the next 14 days; at most ${MAX_OCCURRENCE_WINDOW_DAYS} days). Empty for one-off tasks.`,
  })
  async occurrences(
    @Parent() task: ActionTask,
    @Args('from', { type: () => LocalDateScalar, nullable: true }) from?: string,
    @Args('to', { type: () => LocalDateScalar, nullable: true }) to?: string,
  ): Promise<TaskOccurrence[]> {
    const today = todayIn(await this.loader.clientZone(task.clientId));
    const first = from ?? today;
    const last = to ?? addDays(first, 13);
    if (last < first) throw ActionPlanErrors.windowReversed();
    if (daysBetween(first, last) >= MAX_OCCURRENCE_WINDOW_DAYS)
      throw ActionPlanErrors.windowTooWide(MAX_OCCURRENCE_WINDOW_DAYS);
    if (!task.recurrence) return [];
    const counts = await this.loader.loggedCounts(task.id);
    return occurrencesBetween(task, first, last).map((date) => {
      const loggedCount = counts.get(date) ?? 0;
      return { date, loggedCount, met: loggedCount >= task.countTarget };
    });
  }

  @ResolveField(() => [TaskCompletion], { description: 'The latest log entries, newest first (limit 1–50).' })
  recentCompletions(
    @Parent() task: ActionTask,
    @Args('limit', { type: () => Int, defaultValue: 10 }) limit: number,
  ) {
    if (!Number.isInteger(limit) || limit < 1 || limit > 50) {
      throw AppError.badInput('limit must be between 1 and 50', [
        { field: 'limit', messages: ['limit must be between 1 and 50'] },
      ]);
    }
    return this.loader.recentCompletions(task.id, limit);
  }
}
