import { Injectable } from '@nestjs/common';
import { TaskSummaryService } from '#cairn/action-plans';
import { CaseloadAccess, ClientErrors, ClientService } from '#cairn/clients';
import { ActiveGoalsService } from '#cairn/goals';
import { type Principal, Role } from '#cairn/shared/auth';
import { TenantDatabase } from '#cairn/shared/database';
import { AppError, ConnectionShape } from '#cairn/shared/graphql';
import { CaseloadEntry } from './caseload-entry.model.js';
import { CoachDashboardArgs } from './dto/coach-dashboard.args.js';

/**
 * A coach's caseload in one read transaction. Each part is fetched for the whole page at once (clients, their
 * goals, the measures of the active goals' trees, the open tasks and what was logged on them), so the
 * statement count does not grow with the page size; what was read is handed to the page's field loaders.
 */
@Injectable()
export class CoachDashboardService {
  constructor(
    private readonly tenantDb: TenantDatabase,
    private readonly access: CaseloadAccess,
    private readonly clients: ClientService,
    private readonly activeGoals: ActiveGoalsService,
    private readonly tasks: TaskSummaryService,
  ) {}

  async caseload(principal: Principal, args: CoachDashboardArgs): Promise<ConnectionShape<CaseloadEntry>> {
    const scope = this.access.scopeOf(principal);
    if (scope.kind === 'client') throw AppError.forbidden('The dashboard is for coaches and admins');
    if (scope.kind === 'coach' && args.coachId && args.coachId !== scope.coachId) throw ClientErrors.coachNotFound();
    const coachId = scope.kind === 'coach' ? scope.coachId : args.coachId;
    if (!coachId) {
      throw AppError.badInput('Name the coach whose caseload to show', [
        { field: 'coachId', messages: ['coachId is required for admins and API keys'] },
      ]);
    }

    return this.tenantDb.read(async (tx) => {
      const isCoach = async () =>
        Boolean(
          await tx.db
            .selectFrom('users')
            .select('id')
            .where('id', '=', coachId)
            .where('role', 'in', [Role.COACH, Role.ADMIN])
            .executeTakeFirst(),
        );
      if (scope.kind === 'firm' && !(await isCoach())) {
        throw ClientErrors.coachNotFound();
      }
      // The page already carries each client's zone and archive state: no second look-up of the clients.
      const page = await this.clients.list(principal, { first: args.first, after: args.after, coachId, includeArchived: false });
      const refs = page.edges.map(({ node }) => ({
        id: node.id,
        displayName: node.displayName,
        timezone: node.effectiveTimezone,
        archived: node.archivedAt !== null,
      }));
      const [goalsByClient, summaries] = await Promise.all([
        this.activeGoals.ofClients(tx, refs.map((c) => c.id), scope),
        this.tasks.summariesForClients(tx, refs, scope),
      ]);

      const edges = page.edges.map(({ cursor, node: client }) => {
        const activeGoals = (goalsByClient.get(client.id) ?? [])
          .slice()
          .sort((a, b) => a.goal.priority - b.goal.priority || a.goal.createdAt.getTime() - b.goal.createdAt.getTime());
        const measured = activeGoals.map((g) => g.progress).filter((p): p is number => p !== null);
        const summary = summaries.get(client.id);
        return {
          cursor,
          node: {
            client,
            activeGoals,
            averageProgress: measured.length ? Math.round((measured.reduce((a, b) => a + b, 0) / measured.length) * 10) / 10 : null,
            overdueTaskCount: summary?.overdueCount ?? 0,
            overdueTasks: summary?.overdueTasks ?? [],
            nextDueOn: summary?.nextDueOn ?? null,
            nextDueTasks: summary?.nextDueTasks ?? [],
          },
        };
      });
      return { edges, pageInfo: page.pageInfo };
    });
  }
}
