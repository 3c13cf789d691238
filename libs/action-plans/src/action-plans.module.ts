import { Module } from '@nestjs/common';
import { GoalsCoreModule } from '#cairn/goals';
import { EventsModule } from '#cairn/shared/events';
import { OverdueAnnouncer } from './agenda/overdue-announcer.service.js';
import { TaskAgendaResolver } from './agenda/task-agenda.resolver.js';
import { TaskAgendaService } from './agenda/task-agenda.service.js';
import { TaskSummaryService } from './agenda/task-summary.service.js';
import { TaskCompletion } from './completions/task-completion.entity.js';
import { TaskCompletionResolver } from './completions/task-completion.resolver.js';
import { TaskCompletionService } from './completions/task-completion.service.js';
import { AnnounceOverdueTasksJob } from './jobs/announce-overdue-tasks.job.js';
import { ActionPlans1763900000400 } from './migrations/1763900000400-action-plans.js';
import { TaskOverdueNotices1763900000410 } from './migrations/1763900000410-task-overdue-notices.js';
import { TaskRuleHistory1763900001910 } from './migrations/1763900001910-task-rule-history.js';
import { GoalPaceService } from './pace/goal-pace.service.js';
import { GoalPaceResolver, MeasurePaceResolver, TaskPaceResolver } from './pace/pace.resolver.js';
import { ActionTask } from './tasks/action-task.entity.js';
import { ActionTaskLoader } from './tasks/action-task.loader.js';
import { ActionTaskResolver } from './tasks/action-task.resolver.js';
import { ActionTaskService } from './tasks/action-task.service.js';
import { GoalTasksResolver } from './tasks/goal-tasks.resolver.js';
import { TaskDependency } from './tasks/task-dependency.entity.js';

export const actionPlansEntities = [ActionTask, TaskDependency, TaskCompletion];
export const actionPlansMigrations = [ActionPlans1763900000400, TaskOverdueNotices1763900000410, TaskRuleHistory1763900001910];
export const actionPlansResolvers = [
  ActionTaskResolver,
  GoalTasksResolver,
  TaskCompletionResolver,
  TaskAgendaResolver,
  MeasurePaceResolver,
  TaskPaceResolver,
  GoalPaceResolver,
];

const services = [
  ActionTaskService,
  ActionTaskLoader,
  TaskCompletionService,
  TaskAgendaService,
  TaskSummaryService,
  OverdueAnnouncer,
  GoalPaceService,
];

/** Action plans: the tasks, habits and count targets that turn a goal into calendar work. */
@Module({ imports: [GoalsCoreModule, EventsModule], providers: services, exports: services })
export class ActionPlansCoreModule {}

@Module({ imports: [ActionPlansCoreModule], providers: actionPlansResolvers })
export class ActionPlansModule {}

/** The worker's side: announcing overdue tasks. */
@Module({ imports: [ActionPlansCoreModule], providers: [AnnounceOverdueTasksJob] })
export class ActionPlansJobsModule {}
