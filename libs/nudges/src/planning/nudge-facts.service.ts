import { Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { occurrencesBetween, ruleOf, TaskAgendaService, type ScheduledTask } from '#cairn/action-plans';
import type { ClientRef } from '#cairn/clients';
import { activeGoalActivity, countingUpdate, GoalProgressService } from '#cairn/goals';
import { addDays, daysBetween, localMoment, zoneClock } from '#cairn/shared/calendar';
import { TenantTransaction } from '#cairn/shared/database';
import { NudgePolicy } from '../policy/nudge-policy.entity.js';
import { STREAK_LOOKBACK, streakMilestonesReached, streakUnit, type StreakCompletion } from '../rules/habit-streak.js';
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
    const clock = zoneClock(now);
    const today = (clientId: string) => clock(byId.get(clientId)!.timezone).date;
    const at = (instant: Date, clientId: string) => localMoment(instant, byId.get(clientId)!.timezone);

    const dueSoonUntil = new Date(now.getTime() + Math.max(0, policy.checkinDueSoonHours) * HOUR);
    const has = await this.candidates(tx, ids, now, dueSoonUntil);

    if (policy.checkinDueSoonHours > 0 && has.checkins_due) {
      const rows = await this.checkIns(tx, ids, `c.status = 'PENDING' AND c.opens_at <= $3 AND c.closes_at > $3 AND c.closes_at <= $4`, [
        now,
        dueSoonUntil,
      ]);
      for (const r of rows) {
        add(r.client_id, {
          rule: NudgeRule.CHECKIN_DUE_SOON,
          key: `checkin-due-soon:${r.id}`,
          headline: `Your “${r.name}” check-in closes ${at(r.closes_at, r.client_id)}`,
        });
      }
    }
    if (policy.checkinMissed && has.checkins_missed) {
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
    if (policy.taskStarting && has.open_tasks) {
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
    if (policy.taskOverdue && has.open_tasks) {
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
    if (policy.celebrations) {
      if (has.achievements) await this.celebrations(tx, ids, now, add);
      if (has.habit_logs) await this.streakCelebrations(tx, ids, now, today, add);
    }
    return items;
  }

  /**
   * Which rules can find anything for the batch, in one statement: each flag is a cheap superset of what its
   * rule's own queries look for, so a rule with nothing to say costs no round trips. Most clients have nothing
   * due, missed or achieved in a given run.
   */
  private async candidates(
    tx: TenantTransaction,
    clientIds: string[],
    now: Date,
    dueSoonUntil: Date,
  ): Promise<Record<'checkins_due' | 'checkins_missed' | 'open_tasks' | 'achievements' | 'habit_logs', boolean>> {
    const [row] = await tx.manager.query(
      `SELECT
         EXISTS (SELECT 1 FROM check_ins c WHERE c.tenant_id = $1 AND c.client_id = ANY($2::uuid[])
                   AND c.status = 'PENDING' AND c.closes_at > $3 AND c.closes_at <= $4) AS checkins_due,
         EXISTS (SELECT 1 FROM check_ins c WHERE c.tenant_id = $1 AND c.client_id = ANY($2::uuid[])
                   AND c.status = 'MISSED' AND c.missed_at > $5 AND c.missed_at <= $3) AS checkins_missed,
         EXISTS (SELECT 1 FROM action_tasks t WHERE t.tenant_id = $1 AND t.client_id = ANY($2::uuid[])
                   AND t.status IN ('TODO', 'IN_PROGRESS')) AS open_tasks,
         EXISTS (SELECT 1 FROM goals g WHERE g.tenant_id = $1 AND g.client_id = ANY($2::uuid[])
                   AND g.status = 'ACHIEVED' AND g.achieved_at > $5 AND g.achieved_at <= $3)
           OR EXISTS (SELECT 1 FROM progress_updates p
                        JOIN goal_measures m ON m.tenant_id = p.tenant_id AND m.id = p.measure_id
                        JOIN goals g ON g.tenant_id = m.tenant_id AND g.id = m.goal_id
                       WHERE p.tenant_id = $1 AND g.client_id = ANY($2::uuid[]) AND p.created_at > $5 AND p.created_at <= $3)
           AS achievements,
         EXISTS (SELECT 1 FROM task_completions c WHERE c.tenant_id = $1 AND c.client_id = ANY($2::uuid[])
                   AND c.created_at > $5 AND c.created_at <= $3) AS habit_logs`,
      [tx.tenantId, clientIds, now, dueSoonUntil, new Date(now.getTime() - RECENT_MS)],
    );
    return row;
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
    // Any goal, sub-goals included: a sub-goal's headline names the goal it supports.
    const achieved: { id: string; client_id: string; title: string; parent_title: string | null }[] = await tx.manager.query(
      `SELECT g.id, g.client_id, g.title, p.title AS parent_title
         FROM goals g
         LEFT JOIN goals p ON p.tenant_id = g.tenant_id AND p.id = g.parent_id
        WHERE g.tenant_id = $1 AND g.client_id = ANY($2::uuid[]) AND g.status = 'ACHIEVED' AND g.achieved_at > $3 AND g.achieved_at <= $4`,
      [tx.tenantId, clientIds, since, now],
    );
    for (const g of achieved) {
      add(g.client_id, {
        rule: NudgeRule.CELEBRATION,
        key: `celebrate-goal:${g.id}`,
        headline:
          g.parent_title !== null
            ? `Sub-goal achieved: “${g.title}” — a step towards “${g.parent_title}”. Well done!`
            : `You achieved “${g.title}” — well done!`,
      });
    }
    // A milestone is reached by an update of 1 (done) that still counts; celebrated once, whatever is recorded after.
    const milestones: { id: string; client_id: string; title: string }[] = await tx.manager.query(
      `SELECT DISTINCT m.id, g.client_id, m.title
         FROM goal_measures m
         JOIN goals g ON g.tenant_id = m.tenant_id AND g.id = m.goal_id
         JOIN progress_updates p ON p.tenant_id = m.tenant_id AND p.measure_id = m.id
        WHERE m.tenant_id = $1 AND g.client_id = ANY($2::uuid[]) AND m.kind = 'MILESTONE' AND m.removed_at IS NULL
          AND p.value = 1 AND p.created_at > $3 AND p.created_at <= $4 AND ${countingUpdate('p', '$4')}`,
      [tx.tenantId, clientIds, since, now],
    );
    for (const m of milestones) {
      add(m.client_id, { rule: NudgeRule.CELEBRATION, key: `celebrate-milestone:${m.id}`, headline: `Milestone reached: “${m.title}”` });
    }
  }

  /**
   * Habits whose streak reached a milestone (7, 30, 100 occurrences met in a row; see streakMilestonesReached)
   * within the recent window, each milestone once per habit. Two statements: the habits with a log written
   * recently (no milestone can be new without one), then their logs over their latest occurrences.
   */
  private async streakCelebrations(
    tx: TenantTransaction,
    clientIds: string[],
    now: Date,
    today: (clientId: string) => string,
    add: (clientId: string, item: NudgeItem) => void,
  ): Promise<void> {
    const since = new Date(now.getTime() - RECENT_MS);
    const rows: {
      id: string;
      client_id: string;
      title: string;
      status: ScheduledTask['status'];
      start_date: string;
      due_date: string | null;
      recurrence: string;
      recurrence_history: ScheduledTask['recurrenceHistory'];
      count_target: number;
    }[] = await tx.manager.query(
      `SELECT t.id, t.client_id, t.title, t.status, t.start_date::text, t.due_date::text, t.recurrence,
              t.recurrence_history, t.count_target
         FROM action_tasks t
        WHERE t.tenant_id = $1 AND t.client_id = ANY($2::uuid[]) AND t.recurrence IS NOT NULL AND t.status <> 'CANCELLED'
          AND t.id IN (SELECT c.task_id FROM task_completions c
                        WHERE c.tenant_id = $1 AND c.client_id = ANY($2::uuid[]) AND c.created_at > $3 AND c.created_at <= $4)
        ORDER BY t.id`,
      [tx.tenantId, clientIds, since, now],
    );
    const habits = rows.flatMap((r) => {
      const task: ScheduledTask = {
        id: r.id,
        status: r.status,
        startDate: r.start_date,
        dueDate: r.due_date,
        recurrence: r.recurrence,
        recurrenceHistory: r.recurrence_history,
        countTarget: r.count_target,
      };
      const last = today(r.client_id);
      const occurrences = last < task.startDate ? [] : occurrencesBetween(task, task.startDate, last, 10_000).slice(-STREAK_LOOKBACK);
      return occurrences.length === 0 ? [] : [{ row: r, task, occurrences }];
    });
    if (habits.length === 0) return;
    const logs: { task_id: string; occurrence_on: string; count: number; created_at: Date }[] = await tx.manager.query(
      `SELECT c.task_id, c.occurrence_on::text AS occurrence_on, c.count, c.created_at
         FROM unnest($2::uuid[], $3::date[]) AS w (task_id, from_on)
         JOIN task_completions c ON c.tenant_id = $1 AND c.task_id = w.task_id AND c.occurrence_on >= w.from_on
        WHERE c.created_at <= $4`,
      [tx.tenantId, habits.map((h) => h.task.id), habits.map((h) => h.occurrences[0]), now],
    );
    const logsOf = new Map<string, StreakCompletion[]>();
    for (const l of logs) {
      const list = logsOf.get(l.task_id) ?? [];
      list.push({ occurrenceOn: l.occurrence_on, count: l.count, loggedAt: new Date(l.created_at) });
      logsOf.set(l.task_id, list);
    }
    for (const { row, task, occurrences } of habits) {
      const reached = streakMilestonesReached(occurrences, logsOf.get(task.id) ?? [], task.countTarget);
      // Only the longest one reached recently: a late log that makes 30 at once says 30, not 7 as well (and
      // so does every run after it, so the 7 is never said on its own later).
      const length = Math.max(0, ...[...reached].filter(([, at]) => at > since).map(([n]) => n));
      if (length === 0) continue;
      add(row.client_id, {
        rule: NudgeRule.CELEBRATION,
        key: `celebrate-streak:${task.id}:${length}`,
        headline: `Streak: “${row.title}” ${length} ${streakUnit(ruleOf(task)!)} in a row — keep it going!`,
      });
    }
  }
}
