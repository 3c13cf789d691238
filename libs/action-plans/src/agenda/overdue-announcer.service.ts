import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { anyOf, SystemDatabase, TenantDatabase } from '#cairn/shared/database';
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
    const tomorrow = sql<Date>`${now.toISOString().slice(0, 10)}::date + 1`;
    const rows = await this.systemDb.transaction((_manager, db) =>
      db
        .selectFrom('action_tasks')
        .select('tenant_id')
        .distinct()
        .where('status', '=', anyOf(OPEN_TASK_STATUSES, 'text'))
        .where((eb) =>
          eb.or([
            eb.and([eb('recurrence', 'is', null), eb('due_date', '<=', tomorrow)]),
            eb.and([eb('recurrence', 'is not', null), eb('start_date', '<=', tomorrow)]),
          ]),
        )
        .execute(),
    );
    return rows.map((r) => r.tenant_id);
  }

  announce(tenantId: string, now = new Date()): Promise<{ announced: number }> {
    return RequestContext.runAs({ tenantId }, () =>
      this.tenantDb.transaction(async (tx) => {
        const items = await this.agenda.overdueInFirm(tx, now);
        if (items.length === 0) return { announced: 0 };
        const taskIds = items.map((i) => i.task.id);
        const dates = items.map((i) => i.date);
        const fresh = await tx.db
          .insertInto('task_overdue_notices')
          .columns(['task_id', 'overdue_since'])
          .expression((eb) =>
            eb
              .selectFrom(
                sql<{ task_id: string; overdue_since: string }>`unnest(${taskIds}::uuid[], ${dates}::date[])`.as<'n'>(
                  sql`n(task_id, overdue_since)`,
                ),
              )
              .selectAll(),
          )
          .onConflict((oc) => oc.doNothing())
          .returning((eb) => ['task_id', eb.cast<string>('overdue_since', 'text').as('overdue_since')])
          .execute();
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
