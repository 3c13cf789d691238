import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { DateTime } from 'luxon';
import { GoalPaceService, occurrencesBetween, ruleOf, TaskAgendaService, type ScheduledTask } from '#cairn/action-plans';
import type { ClientRef } from '#cairn/clients';
import { activeGoalActivity, ALL_AUDIENCES, GoalVisibility, isBehind, PaceState } from '#cairn/goals';
import { addDays, daysBetween, localMoment, zoneClock } from '#cairn/shared/calendar';
import { anyOf, TenantTransaction } from '#cairn/shared/database';
import { NudgePolicy } from '../policy/nudge-policy.entity.js';
import { STREAK_LOOKBACK, streakMilestonesReached, streakUnit, type StreakCompletion } from '../rules/habit-streak.js';
import { NudgeItem } from '../rules/nudge-item.js';
import { NudgeRule } from '../rules/nudge-rule.enum.js';

const HOUR = 3_600_000;
/** How far back missed check-ins and achievements are still worth a word (a run missed for a day catches up). */
const RECENT_MS = 48 * HOUR;

/** A client whose zone is valid; the planner records a failure for the others before asking for facts. */
export type NudgeClient = ClientRef;

/** How a nudge names a goal, or a task of a goal, that the client keeps from their coaches or the firm. */
const PRIVATE_GOAL = 'one of your private goals';
const PRIVATE_TASK = 'a task of one of your private goals';
const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * What each rule finds for a batch of clients, in a fixed number of statements whatever the batch size. Items
 * are computed from current state only, so whatever is no longer true (answered, done) simply drops out.
 */
@Injectable()
export class NudgeFacts {
  constructor(
    private readonly agenda: TaskAgendaService,
    private readonly paces: GoalPaceService,
    private readonly visibility: GoalVisibility,
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
    // A nudge is the client's, but its message is listed to their coaches and the firm, and announced to the
    // firm's webhooks: goals (and their tasks and measures) not shared with all of them go unnamed.
    const unshared = await this.visibility.notSharedWith(tx, ALL_AUDIENCES, ids);
    const task = (title: string, goalId: string) => (unshared.has(goalId) ? PRIVATE_TASK : `“${title}”`);

    if (policy.checkinDueSoonHours > 0 && has.checkins_due) {
      const rows = await this.checkIns(tx, ids, 'due', now, dueSoonUntil);
      for (const r of rows) {
        add(r.client_id, {
          rule: NudgeRule.CHECKIN_DUE_SOON,
          key: `checkin-due-soon:${r.id}`,
          headline: `Your “${r.name}” check-in closes ${at(r.closes_at, r.client_id)}`,
        });
      }
    }
    if (policy.checkinMissed && has.checkins_missed) {
      const rows = await this.checkIns(tx, ids, 'missed', new Date(now.getTime() - RECENT_MS), now);
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
      const rows = await tx.db
        .selectFrom('action_tasks')
        .select((eb) => [
          'id',
          'client_id',
          'title',
          'goal_id',
          eb.cast<string>('start_date', 'text').as('start_date'),
          eb.cast<string>('due_date', 'text').as('due_date'),
        ])
        .where('client_id', '=', anyOf(ids, 'uuid'))
        .where('status', 'in', ['TODO', 'IN_PROGRESS'])
        .where('recurrence', 'is', null)
        .whereRef('due_date', '>', 'start_date')
        .where((eb) => eb.between('start_date', sql<Date>`${utc}::date - 1`, sql<Date>`${utc}::date + 1`))
        .execute();
      for (const r of rows) {
        if (r.start_date !== today(r.client_id)) continue;
        add(r.client_id, {
          rule: NudgeRule.TASK_STARTING,
          key: `task-starting:${r.id}:${r.start_date}`,
          headline: `Time to start ${task(r.title, r.goal_id)} (due ${r.due_date})`,
        });
      }
    }
    if (policy.taskOverdue && has.open_tasks) {
      for (const item of await this.agenda.overdueInFirm(tx, now, ids)) {
        add(item.clientId, {
          rule: NudgeRule.TASK_OVERDUE,
          key: `task-overdue:${item.task.id}:${item.date}`,
          headline:
            item.daysOverdue === 1
              ? `${task(item.task.title, item.task.goalId)} was due yesterday`
              : `${task(item.task.title, item.task.goalId)} is ${item.daysOverdue} days overdue`,
        });
      }
    }
    if (policy.goalStalledDays > 0 || policy.goalBehindWithinDays > 0) await this.goalItems(tx, ids, policy, now, today, (id) => byId.get(id)!.timezone, add);
    if (policy.celebrations) {
      if (has.achievements) await this.celebrations(tx, ids, now, unshared, add);
      if (has.habit_logs) await this.streakCelebrations(tx, ids, now, today, unshared, add);
    }
    return items;
  }

  /**
   * Which rules can find anything for the batch, in one statement: each flag is a cheap superset of what its
   * rule's own queries look for, so a rule with nothing to say costs no round trips. Most clients have nothing
   * due, missed or achieved in a given run.
   */
  private candidates(tx: TenantTransaction, clientIds: string[], now: Date, dueSoonUntil: Date) {
    const since = new Date(now.getTime() - RECENT_MS);
    const clients = anyOf(clientIds, 'uuid');
    return tx.db
      .selectNoFrom(({ exists, or, selectFrom, lit }) => [
        exists(
          selectFrom('check_ins as c')
            .select(lit(1).as('one'))
            .where('c.client_id', '=', clients)
            .where('c.status', '=', 'PENDING')
            .where('c.closes_at', '>', now)
            .where('c.closes_at', '<=', dueSoonUntil),
        ).as('checkins_due'),
        exists(
          selectFrom('check_ins as c')
            .select(lit(1).as('one'))
            .where('c.client_id', '=', clients)
            .where('c.status', '=', 'MISSED')
            .where('c.missed_at', '>', since)
            .where('c.missed_at', '<=', now),
        ).as('checkins_missed'),
        exists(
          selectFrom('action_tasks as t')
            .select(lit(1).as('one'))
            .where('t.client_id', '=', clients)
            .where('t.status', 'in', ['TODO', 'IN_PROGRESS']),
        ).as('open_tasks'),
        or([
          exists(
            selectFrom('goals as g')
              .select(lit(1).as('one'))
              .where('g.client_id', '=', clients)
              .where('g.status', '=', 'ACHIEVED')
              .where('g.achieved_at', '>', since)
              .where('g.achieved_at', '<=', now),
          ),
          exists(
            selectFrom('progress_updates as p')
              .innerJoin('goal_measures as m', 'm.id', 'p.measure_id')
              .innerJoin('goals as g', 'g.id', 'm.goal_id')
              .select(lit(1).as('one'))
              .where('g.client_id', '=', clients)
              .where('p.created_at', '>', since)
              .where('p.created_at', '<=', now),
          ),
        ]).as('achievements'),
        exists(
          selectFrom('task_completions as c')
            .select(lit(1).as('one'))
            .where('c.client_id', '=', clients)
            .where('c.created_at', '>', since)
            .where('c.created_at', '<=', now),
        ).as('habit_logs'),
      ])
      .executeTakeFirstOrThrow();
  }

  /** Due soon: open and closing between `from` (now) and `to`. Missed: marked missed between `from` and `to`. */
  private checkIns(tx: TenantTransaction, clientIds: string[], which: 'due' | 'missed', from: Date, to: Date) {
    return tx.db
      .selectFrom('check_ins as c')
      .innerJoin('checkin_template_versions as v', 'v.id', 'c.template_version_id')
      .innerJoin('checkin_templates as t', 't.id', 'v.template_id')
      .select(['c.id', 'c.client_id', 'c.closes_at', 't.name'])
      .where('c.client_id', '=', anyOf(clientIds, 'uuid'))
      .$if(which === 'due', (qb) =>
        qb.where('c.status', '=', 'PENDING').where('c.opens_at', '<=', from).where('c.closes_at', '>', from).where('c.closes_at', '<=', to),
      )
      .$if(which === 'missed', (qb) =>
        qb.where('c.status', '=', 'MISSED').where('c.missed_at', '>', from).where('c.missed_at', '<=', to),
      )
      .orderBy('c.closes_at')
      .orderBy('c.id')
      .execute();
  }

  /**
   * Stalled: no progress update (or status change) for N days. Behind: near the target date and BEHIND or
   * AT_RISK by the pace model (the same computation as the `pace` fields and the reports).
   */
  private async goalItems(
    tx: TenantTransaction,
    clientIds: string[],
    policy: NudgePolicy,
    now: Date,
    today: (clientId: string) => string,
    zoneOf: (clientId: string) => string,
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
          headline: `No progress on ${g.shared_with_everyone ? `“${g.title}”` : PRIVATE_GOAL} for ${idleDays} days — what is the next small step?`,
        });
      }
    }
    if (policy.goalBehindWithinDays > 0) {
      const near = goals.filter((g) => {
        const day = today(g.client_id);
        return g.target_date !== null && g.target_date >= day && g.target_date <= addDays(day, policy.goalBehindWithinDays);
      });
      const paces = await this.paces.ofGoals(
        tx,
        near.map((g) => ({ id: g.id, clientId: g.client_id, startDate: g.start_date, targetDate: g.target_date, createdAt: g.created_at })),
        zoneOf,
        { asOf: now },
      );
      for (const g of near) {
        const pace = paces.get(g.id);
        if (!pace || !isBehind(pace.state)) continue;
        const day = today(g.client_id);
        // Once a week at most: the key names the ISO week.
        const week = DateTime.fromISO(day).toFormat("kkkk-'W'WW");
        add(g.client_id, {
          rule: NudgeRule.GOAL_BEHIND,
          key: `goal-behind:${g.id}:${week}`,
          // A pace explanation names measures and tasks: a goal the client keeps private is not described.
          headline: g.shared_with_everyone
            ? `“${g.title}” is ${pace.state === PaceState.AT_RISK ? 'at risk' : 'behind pace'} with ${daysBetween(day, g.target_date as string)} days to go. ${pace.explanation}`
            : `${capitalize(PRIVATE_GOAL)} is ${pace.state === PaceState.AT_RISK ? 'at risk' : 'behind pace'} with ${daysBetween(day, g.target_date as string)} days to go`,
        });
      }
    }
  }

  private async celebrations(
    tx: TenantTransaction,
    clientIds: string[],
    now: Date,
    unshared: ReadonlySet<string>,
    add: (clientId: string, item: NudgeItem) => void,
  ): Promise<void> {
    const since = new Date(now.getTime() - RECENT_MS);
    // Any goal, sub-goals included: a sub-goal's headline names the goal it supports.
    const clients = anyOf(clientIds, 'uuid');
    const achieved = await tx.db
      .selectFrom('goals as g')
      .leftJoin('goals as p', 'p.id', 'g.parent_id')
      .select(['g.id', 'g.client_id', 'g.title', 'p.id as parent_id', 'p.title as parent_title'])
      .where('g.client_id', '=', clients)
      .where('g.status', '=', 'ACHIEVED')
      .where('g.achieved_at', '>', since)
      .where('g.achieved_at', '<=', now)
      .execute();
    for (const g of achieved) {
      add(g.client_id, {
        rule: NudgeRule.CELEBRATION,
        key: `celebrate-goal:${g.id}`,
        headline: unshared.has(g.id)
          ? `You achieved ${PRIVATE_GOAL} — well done!`
          : g.parent_id !== null && g.parent_title !== null
            ? `Sub-goal achieved: “${g.title}” — a step towards ${unshared.has(g.parent_id) ? PRIVATE_GOAL : `“${g.parent_title}”`}. Well done!`
            : `You achieved “${g.title}” — well done!`,
      });
    }
    // A milestone is reached by an update of 1 (done) that still counts; celebrated once, whatever is recorded after.
    const milestones = await tx.db
      .selectFrom('goal_measures as m')
      .innerJoin('goals as g', 'g.id', 'm.goal_id')
      .innerJoin('progress_updates as p', 'p.measure_id', 'm.id')
      .select(['m.id', 'g.client_id', 'm.title', 'g.id as goal_id'])
      .distinct()
      .where('g.client_id', '=', clients)
      .where('m.kind', '=', 'MILESTONE')
      .where('m.removed_at', 'is', null)
      .where('p.value', '=', 1)
      .where('p.created_at', '>', since)
      .where('p.created_at', '<=', now)
      // Still counting at `now` (see countingUpdate): no correction superseding it had been recorded by then.
      .where(({ not, exists, selectFrom, lit }) =>
        not(
          exists(
            selectFrom('progress_updates as correction')
              .select(lit(1).as('one'))
              .whereRef('correction.supersedes_id', '=', 'p.id')
              .where('correction.created_at', '<=', now),
          ),
        ),
      )
      .execute();
    for (const m of milestones) {
      add(m.client_id, { rule: NudgeRule.CELEBRATION, key: `celebrate-milestone:${m.id}`, headline: unshared.has(m.goal_id) ? `Milestone reached on ${PRIVATE_GOAL}` : `Milestone reached: “${m.title}”` });
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
    unshared: ReadonlySet<string>,
    add: (clientId: string, item: NudgeItem) => void,
  ): Promise<void> {
    const since = new Date(now.getTime() - RECENT_MS);
    const clients = anyOf(clientIds, 'uuid');
    const rows = await tx.db
      .selectFrom('action_tasks as t')
      .select((eb) => [
        't.id',
        't.client_id',
        't.title',
        't.goal_id',
        't.status',
        eb.cast<string>('t.start_date', 'text').as('start_date'),
        eb.cast<string | null>('t.due_date', 'text').as('due_date'),
        't.recurrence',
        't.recurrence_history',
        't.count_target',
      ])
      .where('t.client_id', '=', clients)
      .where('t.recurrence', 'is not', null)
      .where('t.status', '<>', 'CANCELLED')
      .where('t.id', 'in', (db) =>
        db
          .selectFrom('task_completions as c')
          .select('c.task_id')
          .where('c.client_id', '=', clients)
          .where('c.created_at', '>', since)
          .where('c.created_at', '<=', now),
      )
      .orderBy('t.id')
      .$narrowType<{ recurrence: string; status: ScheduledTask['status'] }>()
      .execute();
    const habits = rows.flatMap((r) => {
      const task: ScheduledTask = {
        id: r.id,
        status: r.status,
        startDate: r.start_date,
        dueDate: r.due_date,
        recurrence: r.recurrence,
        // A JSON array of past rules (the column's check says array; the task service writes them).
        recurrenceHistory: r.recurrence_history as unknown as ScheduledTask['recurrenceHistory'],
        countTarget: r.count_target,
      };
      const last = today(r.client_id);
      const occurrences = last < task.startDate ? [] : occurrencesBetween(task, task.startDate, last, 10_000).slice(-STREAK_LOOKBACK);
      return occurrences.length === 0 ? [] : [{ row: r, task, occurrences }];
    });
    if (habits.length === 0) return;
    const taskIds = habits.map((h) => h.task.id);
    const fromDays = habits.map((h) => h.occurrences[0]);
    const logs = await tx.db
      .selectFrom(sql<{ task_id: string; from_on: Date }>`unnest(${taskIds}::uuid[], ${fromDays}::date[])`.as<'w'>(sql`w (task_id, from_on)`))
      .innerJoin('task_completions as c', (join) =>
        join.onRef('c.task_id', '=', 'w.task_id').onRef('c.occurrence_on', '>=', 'w.from_on'),
      )
      .select((eb) => ['c.task_id', eb.cast<string>('c.occurrence_on', 'text').as('occurrence_on'), 'c.count', 'c.created_at'])
      .where('c.created_at', '<=', now)
      .execute();
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
        headline: `Streak: ${unshared.has(row.goal_id) ? PRIVATE_TASK : `“${row.title}”`} ${length} ${streakUnit(ruleOf(task)!)} in a row — keep it going!`,
      });
    }
  }
}
