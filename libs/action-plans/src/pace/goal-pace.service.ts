import { Injectable } from '@nestjs/common';
import type { Principal } from '#cairn/shared/auth';
import {
  Goal,
  GoalFactsLoader,
  GoalMeasure,
  GoalProgressService,
  goalPaceOf,
  measurePace,
  selectMeasures,
  selectPaceUpdates,
  type GoalPaceSummary,
  type Pace,
  type PacePart,
  type PaceUpdate,
} from '#cairn/goals';
import { anyOf, TenantDatabase, TenantTransaction } from '#cairn/shared/database';
import { requestLoader } from '#cairn/shared/graphql';
import { todayIn } from '#cairn/shared/calendar';
import { ActionTask, OPEN_TASK_STATUSES } from '../tasks/action-task.entity.js';
import { ActionTaskLoader, loggedCountsOf, TOTAL, type LoggedCounts } from '../tasks/action-task.loader.js';
import { selectTasks, toTask } from '../tasks/action-task.rows.js';
import { taskPace } from './task-pace.js';

/** The goal fields a pace is judged against (GraphQL's Goal, or an activity row of the nudges and reports). */
export interface PacedGoal {
  id: string;
  clientId: string;
  startDate: string | null;
  targetDate: string | null;
  createdAt: Date;
}

/** Everything a goal's pace derives from, loaded already. */
interface GoalPaceFacts {
  goal: PacedGoal;
  zone: string;
  now: Date;
  measures: readonly GoalMeasure[];
  updates: (measureId: string) => readonly PaceUpdate[];
  progress: number | null;
  tasks: readonly ActionTask[];
  counts: (taskId: string) => LoggedCounts;
}

const countOf = (counts: LoggedCounts) => (day: string | null) => counts.get(day ?? TOTAL) ?? 0;

/** The one assembly of a goal's pace from its parts (pace-model.ts): GraphQL, nudges and reports all use it. */
function assemble(f: GoalPaceFacts): GoalPaceSummary | null {
  const today = todayIn(f.zone, f.now);
  const parts: PacePart[] = [];
  for (const m of f.measures) {
    const pace = measurePace(m, f.goal, todayIn(f.zone, m.createdAt), today, f.updates(m.id));
    if (pace) parts.push({ kind: 'measure', title: m.title, pace });
  }
  for (const t of f.tasks) {
    if (!OPEN_TASK_STATUSES.includes(t.status)) continue;
    const pace = taskPace(t, today, countOf(f.counts(t.id)));
    if (pace) parts.push({ kind: 'task', title: t.title, pace });
  }
  return goalPaceOf(parts, {
    progress: f.progress,
    startDay: f.goal.startDate ?? todayIn(f.zone, f.goal.createdAt),
    targetDay: f.goal.targetDate,
    today,
  });
}

/**
 * Paces of measures, recurring tasks and goals. In a GraphQL request through the per-request loaders (a goal's
 * measures and progress are the GoalFactsLoader's, read once for the page; tasks, counts and zones are the
 * action plan's loaders; recent updates one statement per page). For the worker (nudges, reports), `ofGoals`
 * reads a batch of goals in five statements.
 */
@Injectable()
export class GoalPaceService {
  constructor(
    private readonly tenantDb: TenantDatabase,
    private readonly tasks: ActionTaskLoader,
    private readonly facts: GoalFactsLoader,
    private readonly progress: GoalProgressService,
  ) {}

  /** The measure's goal is read as `principal` sees it (the request's loader): none, no pace. */
  async measure(principal: Principal, measure: GoalMeasure): Promise<Pace | null> {
    const goal = await this.tasks.goal(principal, measure.goalId);
    if (!goal) return null;
    const [zone, updates] = await Promise.all([
      this.tasks.clientZone(goal.clientId),
      this.recentUpdates(measure.id),
    ]);
    const today = todayIn(zone);
    return measurePace(measure, goal, todayIn(zone, measure.createdAt), today, updates);
  }

  async task(task: ActionTask): Promise<Pace | null> {
    if (!task.recurrence) return null;
    const [zone, counts] = await Promise.all([
      this.tasks.clientZone(task.clientId),
      this.tasks.loggedCounts(task.id),
    ]);
    return taskPace(task, todayIn(zone), countOf(counts));
  }

  /** As `principal` sees it: the progress fallback leaves out the sub-goals they may not see. */
  async goal(principal: Principal, goal: Goal): Promise<GoalPaceSummary | null> {
    const [facts, progress, zone, tasks] = await Promise.all([
      this.facts.load(goal.id),
      this.progress.load(principal, goal),
      this.tasks.clientZone(goal.clientId),
      this.tasks.tasksOfGoal(goal.id, OPEN_TASK_STATUSES),
    ]);
    const recurring = tasks.filter((t) => t.recurrence);
    const [updates, counts] = await Promise.all([
      Promise.all(facts.measures.map((m) => this.recentUpdates(m.id))),
      Promise.all(recurring.map((t) => this.tasks.loggedCounts(t.id))),
    ]);
    return assemble({
      goal,
      zone,
      now: new Date(),
      measures: facts.measures,
      updates: (id) => updates[facts.measures.findIndex((m) => m.id === id)] ?? [],
      progress,
      tasks: recurring,
      counts: (id) => counts[recurring.findIndex((t) => t.id === id)] ?? new Map(),
    });
  }

  /**
   * The paces of a batch of goals (no access check), as of `asOf` (default now: reports pass their period's
   * end): their measures, recent updates, progress, open recurring tasks and logged counts as they stood then.
   */
  async ofGoals(
    tx: TenantTransaction,
    goals: readonly PacedGoal[],
    zoneOf: (clientId: string) => string,
    options: { asOf?: Date } = {},
  ): Promise<Map<string, GoalPaceSummary | null>> {
    if (goals.length === 0) return new Map();
    const ids = goals.map((g) => g.id);
    const [measures, progress, tasks] = await Promise.all([
      selectMeasures(tx, 'goal_id', ids, options),
      this.progress.progressOf(tx, ids, options),
      selectTasks(tx.db)
        .where('t.goal_id', '=', anyOf(ids, 'uuid'))
        .where('t.recurrence', 'is not', null)
        .where('t.status', 'in', [...OPEN_TASK_STATUSES])
        .$if(options.asOf !== undefined, (q) => q.where('t.created_at', '<=', options.asOf!))
        .execute()
        .then((rows) => rows.map(toTask)),
    ]);
    const [updates, counts] = await Promise.all([
      selectPaceUpdates(
        tx,
        measures.map((m) => m.id),
        options,
      ),
      loggedCountsOf(
        tx,
        tasks.map((t) => t.id),
        options,
      ),
    ]);
    const now = options.asOf ?? new Date();
    const measuresOf = new Map<string, GoalMeasure[]>(ids.map((id) => [id, []]));
    for (const m of measures) measuresOf.get(m.goalId)?.push(m);
    const tasksOf = new Map<string, ActionTask[]>(ids.map((id) => [id, []]));
    for (const t of tasks) tasksOf.get(t.goalId)?.push(t);
    return new Map(
      goals.map((goal) => [
        goal.id,
        assemble({
          goal,
          zone: zoneOf(goal.clientId),
          now,
          measures: measuresOf.get(goal.id) ?? [],
          updates: (id) => updates.get(id) ?? [],
          progress: progress.get(goal.id) ?? null,
          tasks: tasksOf.get(goal.id) ?? [],
          counts: (id) => counts.get(id) ?? new Map(),
        }),
      ]),
    );
  }

  /** A measure's counting updates of the pace window, one statement per request page. */
  private recentUpdates(measureId: string): Promise<PaceUpdate[]> {
    return requestLoader<string, { id: string; updates: PaceUpdate[] }>(
      'pace:recent-updates',
      (ids) =>
        this.tenantDb.read(async (tx) => {
          const byMeasure = await selectPaceUpdates(tx, ids);
          return ids.map((id) => ({ id, updates: byMeasure.get(id) ?? [] }));
        }),
      (row) => row.id,
    )
      .load(measureId)
      .then((row) => row?.updates ?? []);
  }
}
