import { Args, Mutation, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { ApiScope, CurrentPrincipal, type Principal, RequireScopes } from '#cairn/shared/auth';
import { Connection, type ConnectionShape } from '#cairn/shared/graphql';
import { LogTaskCompletionPayload } from '../tasks/task-progress.types.js';
import { LogTaskCompletionInput } from './dto/log-task-completion.input.js';
import { TaskCompletionsArgs } from './dto/task-completions.args.js';
import { TaskCompletion } from './task-completion.entity.js';
import { TaskCompletionService } from './task-completion.service.js';

@ObjectType()
export class TaskCompletionConnection extends Connection(TaskCompletion) {}

@Resolver(() => TaskCompletion)
export class TaskCompletionResolver {
  constructor(private readonly completions: TaskCompletionService) {}

  @RequireScopes(ApiScope.GOALS_WRITE)
  @Mutation(() => LogTaskCompletionPayload, {
    description:
      'Logs that a task (recurring: one occurrence) was done `count` times. Clients log their own.',
  })
  logTaskCompletion(@CurrentPrincipal() principal: Principal, @Args('input') input: LogTaskCompletionInput) {
    return this.completions.log(principal, input);
  }

  @RequireScopes(ApiScope.GOALS_READ)
  @Query(() => TaskCompletionConnection, { description: 'A task’s completion log, oldest first.' })
  taskCompletions(
    @CurrentPrincipal() principal: Principal,
    @Args() args: TaskCompletionsArgs,
  ): Promise<ConnectionShape<TaskCompletion>> {
    return this.completions.list(principal, args.taskId.toLowerCase(), args);
  }
}
