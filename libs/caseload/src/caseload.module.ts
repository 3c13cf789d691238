import { Module, type Type } from '@nestjs/common';
import { ActionPlansCoreModule } from '#cairn/action-plans';
import { ClientsCoreModule } from '#cairn/clients';
import { GoalsCoreModule } from '#cairn/goals';
import { CoachDashboardResolver } from './dashboard/coach-dashboard.resolver.js';
import { CoachDashboardService } from './dashboard/coach-dashboard.service.js';

export const caseloadResolvers: Type[] = [CoachDashboardResolver];

/** Read models across domains for rendering a coach's caseload. */
@Module({
  imports: [ClientsCoreModule, GoalsCoreModule, ActionPlansCoreModule],
  providers: [CoachDashboardService, ...caseloadResolvers],
})
export class CaseloadModule {}
