import { Module, type Type } from '@nestjs/common';
import { ActionPlansCoreModule } from '#cairn/action-plans';
import { ClientsCoreModule } from '#cairn/clients';
import { GoalsCoreModule } from '#cairn/goals';
import { MessagingCoreModule } from '#cairn/messaging';
import { ReportSweepJob } from './jobs/report-sweep.job.js';
import { Reports1763900000920 } from './migrations/1763900000920-reports.js';
import { ReportEmailOptOuts1763900002200 } from './migrations/1763900002200-report-email-opt-outs.js';
import { ReportClientLinks1763900002310 } from './migrations/1763900002310-report-client-links.js';
import { ReportFacts } from './planning/report-facts.service.js';
import { ReportPlanner } from './planning/report-planner.service.js';
import { ReportPolicy } from './policy/report-policy.entity.js';
import { ReportPolicyResolver } from './policy/report-policy.resolver.js';
import { ReportPolicyService } from './policy/report-policy.service.js';
import { ReportEmailPreferenceResolver } from './recipients/report-email-preference.resolver.js';
import { ReportOptOutService } from './recipients/report-opt-out.service.js';
import { ReportLinks } from './rendering/report-links.js';
import { CoachReport } from './reports/coach-report.entity.js';
import { CoachReportResolver } from './reports/coach-report.resolver.js';
import { CoachReportService } from './reports/coach-report.service.js';
import { CoachReportRunResolver } from './runs/coach-report-run.resolver.js';

export const reportsEntities: Type[] = [ReportPolicy, CoachReport];
export const reportsMigrations: Type[] = [
  Reports1763900000920,
  ReportEmailOptOuts1763900002200,
  ReportClientLinks1763900002310,
];
export const reportsResolvers: Type[] = [
  ReportPolicyResolver,
  CoachReportResolver,
  ReportEmailPreferenceResolver,
  CoachReportRunResolver,
];

const services = [ReportPolicyService, ReportFacts, ReportPlanner, CoachReportService, ReportLinks, ReportOptOutService];

/** Periodic progress reports to coaches: the firm's schedule, the stored reports, and the worker's run. */
@Module({
  imports: [ClientsCoreModule, GoalsCoreModule, ActionPlansCoreModule, MessagingCoreModule],
  providers: services,
  exports: services,
})
export class ReportsCoreModule {}

@Module({ imports: [ReportsCoreModule], providers: reportsResolvers })
export class ReportsModule {}

@Module({ imports: [ReportsCoreModule], providers: [ReportSweepJob] })
export class ReportsJobsModule {}
