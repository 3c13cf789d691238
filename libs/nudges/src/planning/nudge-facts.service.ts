import { Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { TaskAgendaService } from '#cairn/action-plans';
import type { ClientRef } from '#cairn/clients';
import { activeGoalActivity, GoalProgressService } from '#cairn/goals';
import { addDays, daysBetween, localMoment, todayIn } from '#cairn/shared/calendar';
import { TenantTransaction } from '#cairn/shared/database';
import { NudgePolicy } from '../policy/nudge-policy.entity.js';
import { BEHIND_TOLERANCE, expectedProgress, NudgeItem } from '../rules/nudge-item.js';
import { NudgeRule } from '../rules/nudge-rule.enum.js';

const HOUR = 3_600_000;
/** How far back missed check-ins and achievements are still worth a word (a run missed for a day catches up). */
const RECENT_MS = 48 * HOUR;

/** A client whose zone is valid; the planner records a failure for the others before asking for facts. */
export type NudgeClient = ClientRef;

/**
 * What each rule finds for a batch of clients, in a fixed number of statements whatever the batch size. Items
 * are computed from current state only, so whatever is no longer true (answered, done) simply drops out.
 */
@Injectable()
export class NudgeFacts {
  constructor(
    private readonly agenda: TaskAgendaService,
    private readonly progress: GoalProgressService,
  ) {}

  async itemsFor(
    tx: TenantTransaction,
    clients: readonly NudgeClient[],
    policy: NudgePolicy,
    now: Date,
  ): Promise<Map<string, NudgeItem[]>> {
    const items = new Map<string, NudgeItem[]>(clients.map((c) => [c.id, []]));
    if (clients.length === 0) return items;
    const byId = new Map(clients.map((c) => [c.id, c]));
    const ids = clients.map((c) => c.id);
    const add = (clientId: string, item: NudgeItem) => items.get(clientId)?.push(item);
    const today = (clientId: string) => todayIn(byId.get(clientId)!.timezone, now);
    const at = (instant: Date, clientId: string) => localMoment(instant, byId.get(clientId)!.timezone);

    if (policy.checkinDueSoonHours > 0) {
      const rows = await this.checkIns(tx, ids, `c.status = 'PENDING' AND c.opens_at <= $3 AND c.closes_at > $3 AND c.closes_at <= $4`, [
        now,
        new Date(now.getTime() + policy.checkinDueSoonHours * HOUR),
      ]);
      for (const r of rows) {
        add(r.client_id, {
          rule: NudgeRule.CHECKIN_DUE_SOON,
          key: `checkin-due-soon:${r.id}`,
          headline: `Your “${r.name}” check-in closes ${at(r.closes_at, r.client_id)}`,
        });
      }
    }
    if (policy.checkinMissed) {
      const rows = await this.checkIns(tx, ids, `c.status = 'MISSED' AND c.missed_at > $3 AND c.missed_at <= $4`, [
        new Date(now.getTime() - RECENT_MS),
        now,
      ]);
      for (const r of rows) {
        add(r.client_id, {
          rule: NudgeRule.CHECKIN_MISSED,
          key: `checkin-missed:${r.id}`,
          headline: `You missed “${r.name}” — a late answer is still welcome`,
        });
      }
    }
    if (policy.taskStarting) {
      const utc = now.toISOString().slice(0, 10);
      const rows: { id: string; client_id: string; title: string; start_date: string; due_date: string }[] = await tx.manager.query(
        `SELECT id, client_id, title, start_date::text, due_date::text FROM action_tasks
          WHERE tenant_id = $1 AND client_id = ANY($2::uuid[]) AND status IN ('TODO', 'IN_PROGRESS')
            AND recurrence IS NULL AND due_date > start_date AND start_date BETWEEN $3::date - 1 AND $3::date + 1`,
        [tx.tenantId, ids, utc],
      );
      for (const r of rows) {
        if (r.start_date !== today(r.client_id)) continue;
        add(r.client_id, {
          rule: NudgeRule.TASK_STARTING,
          key: `task-starting:${r.id}:${r.start_date}`,
          headline: `Time to start “${r.title}” (due ${r.due_date})`,
        });
      }
    }
    if (policy.taskOverdue) {
      for (const item of await this.agenda.overdueInFirm(tx, now, ids)) {
        add(item.clientId, {
          rule: NudgeRule.TASK_OVERDUE,
          key: `task-overdue:${item.task.id}:${item.date}`,
          headline:
            item.daysOverdue === 1 ? `“${item.task.title}” was due yesterday` : `“${item.task.title}” is ${item.daysOverdue} days overdue`,
        });
      }
    }
    if (policy.goalStalledDays > 0 || policy.goalBehindWithinDays > 0) await this.goalItems(tx, ids, policy, now, today, add);
    if (policy.celebrations) await this.celebrations(tx, ids, now, add);
    return items;
  }

  private checkIns(
    tx: TenantTransaction,
    clientIds: string[],
    where: string,
    params: unknown[],
  ): Promise<{ id: string; client_id: string; closes_at: Date; name: string }[]> {
    return tx.manager.query(
      `SELECT c.id, c.client_id, c.closes_at, t.name
         FROM check_ins c
         JOIN checkin_template_versions v ON v.tenant_id = c.tenant_id AND v.id = c.template_version_id
         JOIN checkin_templates t ON t.tenant_id = c.tenant_id AND t.id = v.template_id
        WHERE c.tenant_id = $1 AND c.client_id = ANY($2::uuid[]) AND ${where}
        ORDER BY c.closes_at, c.id`,
      [tx.tenantId, clientIds, ...params],
    );
  }

  /** Stalled: no progress update (or status change) for N days. Behind: near the target, below the straight line. */
  private async goalItems(
    tx: TenantTransaction,
    clientIds: string[],
    policy: NudgePolicy,
    now: Date,
    today: (clientId: string) => string,
    add: (clientId: string, item: NudgeItem) => void,
  ): Promise<void> {
    const goals = await activeGoalActivity(tx, clientIds);
    if (policy.goalStalledDays > 0) {
      for (const g of goals) {
        const idleDays = Math.floor((now.getTime() - new Date(g.last_activity).getTime()) / (24 * HOUR));
        if (idleDays < policy.goalStalledDays) continue;
        add(g.client_id, {
          rule: NudgeRule.GOAL_STALLED,
          key: `goal-stalled:${g.id}:${new Date(g.last_activity).toISOString()}`,
          headline: `No progress on “${g.title}” for ${idleDays} days — what is the next small step?`,
        });
      }
    }
    if (policy.goalBehindWithinDays > 0) {
      const near = goals.filter((g) => {
        const day = today(g.client_id);
        return g.target_date !== null && g.target_date >= day && g.target_date <= addDays(day, policy.goalBehindWithinDays);
      });
      const progress = await this.progress.progressOf(tx, near.map((g) => g.id));
      for (const g of near) {
        const actual = progress.get(g.id);
        if (actual === null || actual === undefined) continue;
        const day = today(g.client_id);
        const expected = expectedProgress(g.start_date ?? g.created_on, g.target_date as string, day);
        if (actual + BEHIND_TOLERANCE >= expected) continue;
        // Once a week at most: the key names the ISO week.
        const week = DateTime.fromISO(day).toFormat("kkkk-'W'WW");
        add(g.client_id, {
          rule: NudgeRule.GOAL_BEHIND,
          key: `goal-behind:${g.id}:${week}`,
          headline: `“${g.title}” is at ${Math.round(actual)}% with ${daysBetween(day, g.target_date as string)} days to go (the plan says about ${Math.round(expected)}%)`,
        });
      }
    }
  }

  private async celebrations(
    tx: TenantTransaction,
    clientIds: string[],
    now: Date,
    add: (clientId: string, item: NudgeItem) => void,
  ): Promise<void> {
    const since = new Date(now.getTime() - RECENT_MS);
    const achieved: { id: string; client_id: string; title: string; parent_id: string | null }[] = await tx.manager.query(
      `SELECT id, client_id, title, parent_id FROM goals
        WHERE tenant_id = $1 AND client_id = ANY($2::uuid[]) AND status = 'ACHIEVED' AND achieved_at > $3 AND achieved_at <= $4`,
      [tx.tenantId, clientIds, since, now],
    );
    for (const g of achieved) {
      add(g.client_id, {
        rule: NudgeRule.CELEBRATION,
        key: `celebrate-goal:${g.id}`,
        headline: g.parent_id ? `Step achieved: “${g.title}” — well done!` : `You achieved “${g.title}” — well done!`,
      });
    }
    // A milestone is reached by an update of 1 (done); celebrated once, whatever is recorded after.
    const milestones: { id: string; client_id: string; title: string }[] = await tx.manager.query(
      `SELECT DISTINCT m.id, g.client_id, m.title
         FROM goal_measures m
         JOIN goals g ON g.tenant_id = m.tenant_id AND g.id = m.goal_id
         JOIN progress_updates p ON p.tenant_id = m.tenant_id AND p.measure_id = m.id
        WHERE m.tenant_id = $1 AND g.client_id = ANY($2::uuid[]) AND m.kind = 'MILESTONE' AND m.removed_at IS NULL
          AND p.value = 1 AND p.created_at > $3 AND p.created_at <= $4`,
      [tx.tenantId, clientIds, since, now],
    );
    for (const m of milestones) {
      add(m.client_id, { rule: NudgeRule.CELEBRATION, key: `celebrate-milestone:${m.id}`, headline: `Milestone reached: “${m.title}”` });
    }
  }
}
