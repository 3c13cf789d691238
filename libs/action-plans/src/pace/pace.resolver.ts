import { Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, type Principal } from '#cairn/shared/auth';
import { Goal, GoalMeasure, GoalPaceView, PaceView, type GoalPaceSummary, type Pace } from '#cairn/goals';
import { ActionTask } from '../tasks/action-task.entity.js';
import { GoalPaceService } from './goal-pace.service.js';

/** `pace` on measures, recurring tasks and goals: the parent was reached already, so no further check. */
@Resolver(() => GoalMeasure)
export class MeasurePaceResolver {
  constructor(private readonly paces: GoalPaceService) {}

  @ResolveField(() => PaceView, {
    nullable: true,
    description:
      'NUMERIC, PERCENTAGE and COUNT: on course to reach the target by its date? Null for MILESTONE.',
  })
  pace(@Parent() measure: GoalMeasure, @CurrentPrincipal() principal: Principal): Promise<Pace | null> {
    return this.paces.measure(principal, measure);
  }
}

@Resolver(() => ActionTask)
export class TaskPaceResolver {
  constructor(private readonly paces: GoalPaceService) {}

  @ResolveField(() => PaceView, {
    nullable: true,
    description:
      'Recurring tasks (their count target per occurrence): keeping up? Null for one-off and CANCELLED tasks.',
  })
  pace(@Parent() task: ActionTask): Promise<Pace | null> {
    return this.paces.task(task);
  }
}

@Resolver(() => Goal)
export class GoalPaceResolver {
  constructor(private readonly paces: GoalPaceService) {}

  @ResolveField(() => GoalPaceView, {
    nullable: true,
    description:
      'The worst pace of its measures and open recurring tasks; without any, its progress against the straight line from start to target. Null when nothing is measured.',
  })
  pace(@Parent() goal: Goal, @CurrentPrincipal() principal: Principal): Promise<GoalPaceSummary | null> {
    return this.paces.goal(principal, goal);
  }
}
