import { Args, Mutation, ResolveField, Resolver } from '@nestjs/graphql';
import { ApiScope, CurrentPrincipal, type Principal, RequireScopes } from '#cairn/shared/auth';
import { Goal } from '../goals/goal.entity.js';
import { SetGoalVisibilityInput } from './dto/set-goal-visibility.input.js';
import { GoalVisibilityChanges } from './goal-visibility-change.service.js';
import { audiencesOf, GoalAudience } from './goal-visibility.js';

@Resolver(() => Goal)
export class GoalVisibilityResolver {
  constructor(private readonly changes: GoalVisibilityChanges) {}

  @RequireScopes(ApiScope.GOALS_WRITE)
  @Mutation(() => Goal, {
    description:
      'Who besides the client may see the goal (records a VISIBILITY_CHANGED revision). The client sets it; a coach, an admin or an API key only with consentNote (the client’s consent). A sub-goal may not be more visible than its parent unless the client passes exceedParent; a goal made more private makes its sub-goals (those not exceeding it) no more visible than itself. NOT_FOUND for a goal you cannot see.',
  })
  setGoalVisibility(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: SetGoalVisibilityInput,
  ): Promise<Goal> {
    return this.changes.set(principal, input);
  }

  @ResolveField(() => [GoalAudience], {
    description: 'Who besides the client may see the goal; [] = private (the client only).',
  })
  audiences(goal: Goal): GoalAudience[] {
    return audiencesOf(goal);
  }
}
