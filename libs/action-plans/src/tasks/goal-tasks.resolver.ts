import { Args, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { Goal } from '#cairn/goals';
import { ActionTask, TaskStatus } from './action-task.entity.js';
import { ActionTaskLoader } from './action-task.loader.js';

/** The goal's action plan, batched across a page of goals. */
@Resolver(() => Goal)
export class GoalTasksResolver {
  constructor(private readonly loader: ActionTaskLoader) {}

  @ResolveField(() => [ActionTask], {
    description: 'The action plan: tasks ordered by start date, then due date. Filter with `statuses`.',
  })
  tasks(
    @Parent() goal: Goal,
    @Args('statuses', { type: () => [TaskStatus], nullable: true }) statuses?: TaskStatus[] | null,
  ): Promise<ActionTask[]> {
    return this.loader.tasksOfGoal(goal.id, statuses?.length ? statuses : null);
  }
}
