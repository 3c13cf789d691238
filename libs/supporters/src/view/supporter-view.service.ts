import { Injectable } from '@nestjs/common';
import { ActionTaskLoader, selectTasks, TaskStatus, toTask, TOTAL, streakOf } from '#cairn/action-plans';
import { currentValue, GoalHorizon, GoalProgressService, GoalStatus, MeasureKind, measureProgress, MeasureService } from '#cairn/goals';
import type { Principal } from '#cairn/shared/auth';
import { todayIn } from '#cairn/shared/calendar';
import { anyOf, TenantDatabase, type TenantTransaction } from '#cairn/shared/database';
import { EncouragementService } from '../encouragement/encouragement.service.js';
import { selectRequests } from '../requests/supporter-request.service.js';
import { SupporterRelationship } from '../supporters/supporter.enums.js';
import { SharedGoal, SharedMeasure, SharedTask, SupporterHome } from './supporter-view.types.js';

/** The supporter page: only goals the client shares with this supporter, and only the fields meant for them. */
@Injectable()
export class SupporterViewService {
  constructor(
    private readonly tenantDb: TenantDatabase,
    private readonly progress: GoalProgressService,
    private readonly measures: MeasureService,
    private readonly tasks: ActionTaskLoader,
    private readonly encouragements: EncouragementService,
  ) {}

  home(principal: Principal): Promise<SupporterHome> {
    const supporterId = principal.supporterId as string;
    return this.tenantDb.read(async (tx) => {
      const me = await tx.db
        .selectFrom('supporters as s')
        .innerJoin('users as u', 'u.id', 's.client_id')
        .select(['s.id', 's.display_name', 's.relationship', 'u.display_name as client_name'])
        .where('s.id', '=', supporterId)
        .executeTakeFirstOrThrow();
      const [goals, requests, left] = [
        await this.sharedGoals(tx, supporterId, principal.clientId as string),
        await selectRequests(tx).where('r.supporter_id', '=', supporterId).execute(),
        await this.encouragements.leftToday(tx, supporterId),
      ];
      return {
        supporterId: me.id,
        displayName: me.display_name,
        relationship: me.relationship as SupporterRelationship,
        clientName: me.client_name,
        goals,
        requests,
        encouragementsLeftToday: left,
      };
    });
  }

  /** The goals `clientId` shares with the supporter, with their figures; for the page and the digest. */
  async sharedGoals(tx: TenantTransaction, supporterId: string, clientId: string): Promise<SharedGoal[]> {
    const rows = await tx.db
      .selectFrom('goal_supporter_shares as sh')
      .innerJoin('goals as g', 'g.id', 'sh.goal_id')
      .select((eb) => [
        'g.id',
        'g.title',
        'g.horizon',
        'g.status',
        eb.cast<string | null>('g.target_date', 'text').as('target_date'),
      ])
      .where('sh.supporter_id', '=', supporterId)
      // The share's client is the token's: a share can only be made by the goal's own client, but say it twice.
      .where('g.client_id', '=', clientId)
      .orderBy('g.priority')
      .orderBy('g.target_date')
      .orderBy('g.id')
      .execute();
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    // What the supporter was not shared does not count in a shared goal's figure either.
    const shared = new Set(ids);
    const progress = await this.progress.progressOf(tx, ids, { seen: (g) => shared.has(g.id) });
    const tasks = await this.sharedTasks(tx, clientId, ids);
    return Promise.all(
      rows.map(async (g) => ({
        id: g.id,
        title: g.title,
        horizon: g.horizon as GoalHorizon,
        status: g.status as GoalStatus,
        targetDate: g.target_date,
        progress: progress.get(g.id) ?? null,
        measures: (await this.measures.ofGoal(g.id)).map((m): SharedMeasure => {
          const value = currentValue(m);
          const percent = measureProgress(m);
          return {
            id: m.id,
            kind: m.kind,
            title: m.title,
            unit: m.unit,
            target: m.target,
            currentValue: value,
            progress: percent,
            done: m.kind === MeasureKind.MILESTONE ? value === 1 : percent >= 100,
          };
        }),
        tasks: tasks.get(g.id) ?? [],
      })),
    );
  }

  private async sharedTasks(tx: TenantTransaction, clientId: string, goalIds: string[]): Promise<Map<string, SharedTask[]>> {
    const rows = await selectTasks(tx.db)
      .where('t.goal_id', '=', anyOf(goalIds, 'uuid'))
      .where('t.status', '<>', TaskStatus.CANCELLED)
      .orderBy('t.created_at')
      .orderBy('t.id')
      .execute();
    const today = todayIn(await this.tasks.clientZone(clientId));
    const byGoal = new Map<string, SharedTask[]>();
    for (const row of rows) {
      const task = toTask(row);
      const counts = await this.tasks.loggedCounts(task.id);
      const streak = task.recurrence ? streakOf(task, today, (date) => counts.get(date ?? TOTAL) ?? 0) : null;
      const list = byGoal.get(task.goalId) ?? [];
      list.push({ id: task.id, title: task.title, status: task.status, dueDate: task.dueDate, streak });
      byGoal.set(task.goalId, list);
    }
    return byGoal;
  }
}
