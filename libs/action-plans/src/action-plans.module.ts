import { Module } from '@nestjs/common';
import { GoalsCoreModule } from '#cairn/goals';
import { TaskAgendaResolver } from './agenda/task-agenda.resolver.js';
import { TaskAgendaService } from './agenda/task-agenda.service.js';
import { TaskSummaryService } from './agenda/task-summary.service.js';
import { TaskCompletion } from './completions/task-completion.entity.js';
import { TaskCompletionResolver } from './completions/task-completion.resolver.js';
import { TaskCompletionService } from './completions/task-completion.service.js';
import { ActionPlans1763900000400 } from './migrations/1763900000400-action-plans.js';
import { ActionTask } from './tasks/action-task.entity.js';
import { ActionTaskLoader } from './tasks/action-task.loader.js';
import { ActionTaskResolver } from './tasks/action-task.resolver.js';
import { ActionTaskService } from './tasks/action-task.service.js';
import { GoalTasksResolver } from './tasks/goal-tasks.resolver.js';
import { TaskDependency } from './tasks/task-dependency.entity.js';

export const actionPlansEntities = [ActionTask, TaskDependency, TaskCompletion];
export const actionPlansMigrations = [ActionPlans1763900000400];
export const actionPlansResolvers = [
  ActionTaskResolver,
  GoalTasksResolver,
  TaskCompletionResolver,
  TaskAgendaResolver,
];

const services = [
  ActionTaskService,
  ActionTaskLoader,
  TaskCompletionService,
  TaskAgendaService,
  TaskSummaryService,
];

/** Action plans: the tasks, habits and count targets that turn a goal into calendar work. */
@Module({ imports: [GoalsCoreModule], providers: services, exports: services })
export class ActionPlansCoreModule {}

@Module({ imports: [ActionPlansCoreModule], providers: actionPlansResolvers })
export class ActionPlansModule {}
