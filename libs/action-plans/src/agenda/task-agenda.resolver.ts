import { Args, Query, Resolver } from '@nestjs/graphql';
import { ApiScope, CurrentPrincipal, type Principal, RequireScopes } from '#cairn/shared/auth';
import { TaskAgendaArgs, UpcomingTasksArgs } from './dto/task-agenda.args.js';
import { TaskAgendaService } from './task-agenda.service.js';
import { TaskAgenda } from './task-agenda.types.js';

@Resolver(() => TaskAgenda)
export class TaskAgendaResolver {
  constructor(private readonly agenda: TaskAgendaService) {}

  @RequireScopes(ApiScope.GOALS_READ)
  @Query(() => TaskAgenda, {
    description:
      'Open tasks past due in each client’s time zone: one-off tasks due before today; recurring tasks whose most ' +
      'recent occurrence before today was not logged to its target. Your caseload (admins: the firm) unless ' +
      'clientId or coachId narrows it; archived clients only by clientId.',
  })
  overdueTasks(@CurrentPrincipal() principal: Principal, @Args() args: TaskAgendaArgs): Promise<TaskAgenda> {
    return this.agenda.overdue(principal, args);
  }

  @RequireScopes(ApiScope.GOALS_READ)
  @Query(() => TaskAgenda, {
    description:
      'What begins or is due in the next `days` days (today included), in each client’s time zone: one-off ' +
      'tasks’ start (lead time) and due dates, and recurring tasks’ occurrences not yet logged to target.',
  })
  upcomingTasks(
    @CurrentPrincipal() principal: Principal,
    @Args() args: UpcomingTasksArgs,
  ): Promise<TaskAgenda> {
    return this.agenda.upcoming(principal, args);
  }
}
