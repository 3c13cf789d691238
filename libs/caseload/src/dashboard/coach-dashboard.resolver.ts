import { Args, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { ApiScope, CurrentPrincipal, type Principal, RequireScopes, Role, Roles } from '#cairn/shared/auth';
import { Connection, type ConnectionShape } from '#cairn/shared/graphql';
import { CaseloadEntry } from './caseload-entry.model.js';
import { CoachDashboardService } from './coach-dashboard.service.js';
import { CoachDashboardArgs } from './dto/coach-dashboard.args.js';

@ObjectType()
export class CaseloadEntryConnection extends Connection(CaseloadEntry) {}

@Resolver(() => CaseloadEntry)
export class CoachDashboardResolver {
  constructor(private readonly dashboard: CoachDashboardService) {}

  @Roles(Role.ADMIN, Role.COACH)
  @RequireScopes(ApiScope.CLIENTS_READ, ApiScope.GOALS_READ)
  @Query(() => CaseloadEntryConnection, {
    description:
      'A coach’s caseload: each client with active goals and progress, overdue tasks and what is due next. ' +
      'Archived clients and ended engagements are left out.',
  })
  coachDashboard(
    @CurrentPrincipal() principal: Principal,
    @Args() args: CoachDashboardArgs,
  ): Promise<ConnectionShape<CaseloadEntry>> {
    return this.dashboard.caseload(principal, args);
  }
}
