import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { CaseloadAccess, ClientErrors } from '#cairn/clients';
import { User } from '#cairn/identity';
import { Message } from '#cairn/messaging';
import { type Principal, Role } from '#cairn/shared/auth';
import { dateText, TenantDatabase } from '#cairn/shared/database';
import { AppError, asNode, ConnectionShape, paginate, requestLoader } from '#cairn/shared/graphql';
import { ReportLinks } from '../rendering/report-links.js';
import { renderReport, RenderedReport } from '../rendering/report-renderer.js';
import type { ClientUrl } from '../rendering/report-view.js';
import { CoachReport } from './coach-report.entity.js';
import { CoachReportsArgs } from './dto/coach-reports.args.js';

const notFound = () => AppError.notFound('Coach report');
const clientsForbidden = () => AppError.forbidden('Coach reports are for coaches and admins');

/** Reading reports: a coach their own, an admin (or API key) any coach's of the firm, clients none. */
@Injectable()
export class CoachReportService {
  constructor(
    private readonly tenantDb: TenantDatabase,
    private readonly caseload: CaseloadAccess,
    private readonly links: ReportLinks,
  ) {}

  list(principal: Principal, args: CoachReportsArgs): Promise<ConnectionShape<CoachReport>> {
    const scope = this.caseload.scopeOf(principal);
    if (scope.kind === 'client') throw clientsForbidden();
    if (scope.kind === 'coach' && args.coachId && args.coachId.toLowerCase() !== scope.coachId) {
      throw AppError.forbidden('Coaches read their own reports');
    }
    const coachId = scope.kind === 'coach' ? scope.coachId : (args.coachId?.toLowerCase() ?? null);
    return this.tenantDb.transaction(async (tx) => {
      if (scope.kind === 'firm' && coachId && !(await tx.repo(User).findOne({ id: coachId, role: In([Role.COACH, Role.ADMIN]) }))) {
        throw ClientErrors.coachNotFound();
      }
      let query = tx.db
        .selectFrom('coach_reports as r')
        .select([
          'r.id',
          'r.coach_id as coachId',
          dateText<string>('r.period_start').as('periodStart'),
          dateText<string>('r.period_end').as('periodEnd'),
          'r.period_days as periodDays',
          'r.timezone',
          'r.generated_at as generatedAt',
          'r.data',
          'r.message_id as messageId',
          'r.created_at as createdAt',
        ]);
      if (coachId) query = query.where('r.coach_id', '=', coachId);
      return paginate(query, 'r', args, { newestFirst: true, node: asNode(CoachReport) });
    });
  }

  get(principal: Principal, id: string): Promise<CoachReport> {
    const scope = this.caseload.scopeOf(principal);
    if (scope.kind === 'client') throw clientsForbidden();
    return this.tenantDb.transaction(async (tx) => {
      const report = await tx.repo(CoachReport).findOne({ id });
      if (!report || (scope.kind === 'coach' && report.coachId !== scope.coachId)) throw notFound();
      return report;
    });
  }

  /**
   * The versions as sent (the delivering message's bodies); rendered again from the stored figures when the
   * message is gone. Batched across a page.
   */
  async renderedOf(report: CoachReport): Promise<RenderedReport> {
    const message = report.messageId
      ? await requestLoader(
          'coach-report-messages',
          (ids: readonly string[]) => this.tenantDb.read((tx) => tx.repo(Message).find({ where: { id: In([...ids]) } })),
          (m) => m.id,
        ).load(report.messageId)
      : null;
    if (message?.htmlBody) return { subject: message.subject, text: message.textBody, html: message.htmlBody };
    const rendered = renderReport(report.data, { clientUrl: await this.clientUrl() });
    return message ? { subject: message.subject, text: message.textBody, html: rendered.html } : rendered;
  }

  /** The firm's client links (its slug and own pattern), read once per request. */
  private async clientUrl(): Promise<ClientUrl> {
    const firm = await requestLoader(
      'coach-report-client-links',
      () =>
        this.tenantDb.read((tx) =>
          tx.db
            .selectFrom('tenants as t')
            .leftJoin('report_policies as p', 'p.tenant_id', 't.id')
            .select(['t.slug', 'p.client_url_pattern'])
            .execute(),
        ),
      () => 'firm',
    ).load('firm');
    return this.links.clientUrl(firm?.slug ?? '', firm?.client_url_pattern ?? null);
  }
}
