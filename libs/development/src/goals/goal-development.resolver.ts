import { Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { Goal } from '#cairn/goals';
import { CareerPathService } from '../career-paths/career-path.service.js';
import { CareerStep } from '../career-paths/career-step.entity.js';
import { DevelopmentItem } from '../development-items/development-item.entity.js';
import { DevelopmentItemService } from '../development-items/development-item.service.js';

/**
 * What this lib adds to every goal. The goal is already in the caller's reach, and the item and step belong to
 * the same client, so no further access check is needed; both are batched per request.
 */
@Resolver(() => Goal)
export class GoalDevelopmentResolver {
  constructor(
    private readonly items: DevelopmentItemService,
    private readonly paths: CareerPathService,
  ) {}

  @ResolveField(() => DevelopmentItem, { nullable: true, description: 'The development item this goal came from.' })
  developmentItem(@Parent() goal: Goal): Promise<DevelopmentItem | null> {
    return this.items.forGoal(goal.id);
  }

  @ResolveField(() => CareerStep, { nullable: true, description: 'The career-path step this goal works towards.' })
  careerStep(@Parent() goal: Goal): Promise<CareerStep | null> | null {
    return goal.careerStepId ? this.paths.step(goal.careerStepId) : null;
  }
}
