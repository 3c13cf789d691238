import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { ApiScope, CurrentPrincipal, type Principal, RequireScopes, Role, Roles } from '#cairn/shared/auth';
import { UpdateNudgePolicyInput } from './dto/update-nudge-policy.input.js';
import { NudgePolicy } from './nudge-policy.entity.js';
import { NudgePolicyService } from './nudge-policy.service.js';

@Resolver(() => NudgePolicy)
export class NudgePolicyResolver {
  constructor(private readonly policies: NudgePolicyService) {}

  @RequireScopes(ApiScope.CHECKINS_READ)
  @Query(() => NudgePolicy, { description: 'The firm’s nudge rules, quiet hours and daily cap; anyone signed in may read them.' })
  nudgePolicy(): Promise<NudgePolicy> {
    return this.policies.get();
  }

  @Roles(Role.ADMIN)
  @Mutation(() => NudgePolicy, { description: 'Admins only. Applies from the next nudge run.' })
  updateNudgePolicy(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: UpdateNudgePolicyInput,
  ): Promise<NudgePolicy> {
    return this.policies.update(principal, input);
  }
}
