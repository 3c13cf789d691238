import { Args, ID, ObjectType, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { ApiScope, CurrentPrincipal, type Principal, RequireScopes } from '#cairn/shared/auth';
import { Connection, type ConnectionShape, IdPipe } from '#cairn/shared/graphql';
import type { AtRiskEntry, ReportClient } from '../content/report-data.js';
import { CoachReport } from './coach-report.entity.js';
import { ReportAtRiskEntry, ReportClientRow } from './coach-report.model.js';
import { CoachReportService } from './coach-report.service.js';
import { CoachReportsArgs } from './dto/coach-reports.args.js';

@ObjectType()
export class CoachReportConnection extends Connection(CoachReport) {}

@Resolver(() => CoachReport)
export class CoachReportResolver {
  constructor(private readonly reports: CoachReportService) {}

  @RequireScopes(ApiScope.CHECKINS_READ, ApiScope.GOALS_READ)
  @Query(() => CoachReportConnection, {
    description:
      'Progress reports to coaches, newest first: a coach their own; an admin (or API key) any coach’s of the firm, or all. Clients: FORBIDDEN.',
  })
  coachReports(@CurrentPrincipal() principal: Principal, @Args() args: CoachReportsArgs): Promise<ConnectionShape<CoachReport>> {
    return this.reports.list(principal, args);
  }

  @RequireScopes(ApiScope.CHECKINS_READ, ApiScope.GOALS_READ)
  @Query(() => CoachReport, { description: 'One report: its coach’s, or any of the firm’s for an admin; NOT_FOUND otherwise.' })
  coachReport(@CurrentPrincipal() principal: Principal, @Args('id', { type: () => ID }, IdPipe) id: string): Promise<CoachReport> {
    return this.reports.get(principal, id);
  }

  @ResolveField(() => String, { description: 'The coach’s name when the report was made.' })
  coachName(@Parent() report: CoachReport): string {
    return report.data.coachName;
  }

  @ResolveField(() => [ReportClientRow], { description: 'Every client of the caseload (not archived), by name.' })
  clients(@Parent() report: CoachReport): unknown[] {
    // Stored as ISO strings; DateTime serializes Dates.
    return report.data.clients.map((c: ReportClient) => ({
      ...c,
      notableAnswers: c.notableAnswers.map((n) => ({ ...n, opensAt: new Date(n.opensAt) })),
      scores: c.scores.map((s) => ({ ...s, points: s.points.map((p) => ({ ...p, opensAt: new Date(p.opensAt) })) })),
    }));
  }

  @ResolveField(() => [ReportAtRiskEntry], { description: 'Clients scoring 3 or more, highest first (see ReportRiskReason).' })
  atRisk(@Parent() report: CoachReport): AtRiskEntry[] {
    return report.data.atRisk;
  }

  @ResolveField(() => String, { description: 'The email’s subject.' })
  async subject(@Parent() report: CoachReport): Promise<string> {
    return (await this.reports.renderedOf(report)).subject;
  }

  @ResolveField(() => String, { description: 'The plain-text version, as sent.' })
  async text(@Parent() report: CoachReport): Promise<string> {
    return (await this.reports.renderedOf(report)).text;
  }

  @ResolveField(() => String, { description: 'The HTML version with its SVG sparklines, as sent.' })
  async html(@Parent() report: CoachReport): Promise<string> {
    return (await this.reports.renderedOf(report)).html;
  }
}
