import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { ApiScope, CurrentPrincipal, type Principal, RequireScopes, Role, Roles } from '#cairn/shared/auth';
import { UpdateReportPolicyInput } from './dto/update-report-policy.input.js';
import { ReportPolicy } from './report-policy.entity.js';
import { ReportPolicyService } from './report-policy.service.js';

@Resolver(() => ReportPolicy)
export class ReportPolicyResolver {
  constructor(private readonly policies: ReportPolicyService) {}

  @RequireScopes(ApiScope.CHECKINS_READ)
  @Query(() => ReportPolicy, { description: 'When the firm’s coaches get their progress reports; anyone signed in may read it.' })
  reportPolicy(): Promise<ReportPolicy> {
    return this.policies.get();
  }

  @Roles(Role.ADMIN)
  @Mutation(() => ReportPolicy, { description: 'Admins only. Applies from the next report run.' })
  updateReportPolicy(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: UpdateReportPolicyInput,
  ): Promise<ReportPolicy> {
    return this.policies.update(principal, input);
  }
}
