import { Injectable } from '@nestjs/common';
import { SystemDatabase, TenantDatabase } from '#cairn/shared/database';
import { RequestContext } from '#cairn/shared/tenancy';
import { EventOutbox } from '#cairn/shared/events';
import { OPEN_TASK_STATUSES } from '../tasks/action-task.entity.js';
import { TaskAgendaService } from './task-agenda.service.js';

/**
 * Emits `task.overdue` once per overdue occurrence: the notice row's key (task, overdue since) is inserted in
 * the same transaction as the event, so re-runs, retries and replicas announce nothing twice. An occurrence
 * overdue again after a later date (the next missed day of a habit) is a new occurrence and a new event.
 */
@Injectable()
export class OverdueAnnouncer {
  constructor(
    private readonly tenantDb: TenantDatabase,
    private readonly systemDb: SystemDatabase,
    private readonly agenda: TaskAgendaService,
    private readonly outbox: EventOutbox,
  ) {}

  /** Tenants with open tasks that have started or fallen due; cross-tenant, so it reads as the owner role. */
  async tenantsWithOpenTasks(now = new Date()): Promise<string[]> {
    const rows: { tenant_id: string }[] = await this.systemDb.transaction((m) =>
      m.query(
        `SELECT DISTINCT tenant_id FROM action_tasks
          WHERE status = ANY($1)
            AND ((recurrence IS NULL AND due_date <= $2::date + 1) OR (recurrence IS NOT NULL AND start_date <= $2::date + 1))`,
        [OPEN_TASK_STATUSES, now.toISOString().slice(0, 10)],
      ),
    );
    return rows.map((r) => r.tenant_id);
  }

  announce(tenantId: string, now = new Date()): Promise<{ announced: number }> {
    return RequestContext.runAs({ tenantId }, () =>
      this.tenantDb.transaction(async (tx) => {
        const items = await this.agenda.overdueInFirm(tx, now);
        if (items.length === 0) return { announced: 0 };
        const fresh: { task_id: string; overdue_since: string }[] = await tx.manager.query(
          `INSERT INTO task_overdue_notices (tenant_id, task_id, overdue_since)
           SELECT $1, * FROM unnest($2::uuid[], $3::date[])
           ON CONFLICT DO NOTHING
           RETURNING task_id, overdue_since::text`,
          [tx.tenantId, items.map((i) => i.task.id), items.map((i) => i.date)],
        );
        const announced = new Set(fresh.map((r) => `${r.task_id}|${r.overdue_since}`));
        for (const item of items) {
          if (!announced.has(`${item.task.id}|${item.date}`)) continue;
          await this.outbox.emit(
            tx,
            'task.overdue',
            {
              taskId: item.task.id,
              goalId: item.task.goalId,
              clientId: item.clientId,
              overdueSince: item.date,
              daysOverdue: item.daysOverdue,
              recurring: item.task.recurrence !== null,
            },
            now,
          );
        }
        return { announced: announced.size };
      }),
    );
  }
}
