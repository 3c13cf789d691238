import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { ApiScope, CurrentPrincipal, type Principal, RequireScopes, Role, Roles } from '#cairn/shared/auth';
import { AuthenticityCriterion } from '../authenticity/authenticity-criterion.enum.js';
import { GoalPolicyService } from './goal-policy.service.js';
import { GoalPolicy } from './smart-check.model.js';
import { SmartCriterion } from './smart-criterion.enum.js';

@Resolver(() => GoalPolicy)
export class GoalPolicyResolver {
  constructor(private readonly policies: GoalPolicyService) {}

  @RequireScopes(ApiScope.GOALS_READ)
  @Query(() => GoalPolicy, { description: 'The firm’s goal policy; anyone signed in may read it.' })
  goalPolicy(): Promise<GoalPolicy> {
    return this.policies.get();
  }

  @Roles(Role.ADMIN)
  @Mutation(() => GoalPolicy, {
    description:
      'Sets which criteria a goal must meet before it may become ACTIVE: any of the seven SMART criteria and tips, and any of the authenticity criteria (omitted: unchanged), or none. Admins only; goals already ACTIVE are not affected.',
  })
  updateGoalPolicy(
    @CurrentPrincipal() principal: Principal,
    @Args('requiredCriteria', { type: () => [SmartCriterion] }) requiredCriteria: SmartCriterion[],
    @Args('requiredAuthenticity', { type: () => [AuthenticityCriterion], nullable: true })
    requiredAuthenticity: AuthenticityCriterion[] | null | undefined,
  ): Promise<GoalPolicy> {
    return this.policies.update(principal, requiredCriteria, requiredAuthenticity ?? undefined);
  }
}
