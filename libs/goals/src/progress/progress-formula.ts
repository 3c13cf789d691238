import type { GoalMeasure } from '../measures/goal-measure.entity.js';
import { GoalStatus } from '../goals/goal.enums.js';
import { MeasureKind } from '../measures/measure.enums.js';

/** A measure with the figures its progress derives from (computed in SQL from its progress updates). */
export interface MeasureFigures {
  kind: MeasureKind;
  baseline: number | null;
  target: number | null;
  /** Value of the latest counting update by when it happened (progress-history.ts); null without updates. */
  latestValue: number | null;
  /** COUNT: sum of the counting updates that occurred within the period. */
  periodTotal: number | null;
}

const clamp = (value: number) => Math.min(100, Math.max(0, value));

/** The level a measure stands at now: what `currentValue` shows. */
export function currentValue(m: MeasureFigures): number | null {
  switch (m.kind) {
    case MeasureKind.MILESTONE:
      return m.latestValue ?? 0;
    case MeasureKind.COUNT:
      return m.periodTotal ?? 0;
    default:
      return m.latestValue ?? m.baseline;
  }
}

/**
 * Progress of one measure, 0–100:
 * - MILESTONE: 100 when the latest update is 1 (done), else 0.
 * - NUMERIC, PERCENTAGE: how far the current level (latest update, else the baseline) has moved from the
 *   baseline towards the target: (current − baseline) / (target − baseline) × 100, clamped to 0–100. The same
 *   formula serves both directions (for DECREASE both differences are negative); overshooting counts as 100,
 *   moving the wrong way as 0.
 * - COUNT: occurrences within the period / target × 100, capped at 100.
 */
export function measureProgress(m: MeasureFigures): number {
  switch (m.kind) {
    case MeasureKind.MILESTONE:
      return (m.latestValue ?? 0) >= 1 ? 100 : 0;
    case MeasureKind.COUNT:
      return m.target ? clamp(((m.periodTotal ?? 0) / m.target) * 100) : 0;
    default: {
      const baseline = m.baseline ?? 0;
      const target = m.target ?? baseline;
      if (target === baseline) return 0;
      const current = m.latestValue ?? baseline;
      return clamp(((current - baseline) / (target - baseline)) * 100);
    }
  }
}

export interface GoalNode {
  id: string;
  parentId: string | null;
  status: GoalStatus;
}

/**
 * The nodes a reader counts: those with no hidden goal on their way up to one of `roots` (a hidden sub-goal
 * is left out with everything below it; the roots themselves always count).
 */
export function withoutHidden(
  nodes: readonly GoalNode[],
  roots: ReadonlySet<string>,
  hidden: (id: string) => boolean,
): GoalNode[] {
  const parentOf = new Map(nodes.map((n) => [n.id, n.parentId]));
  const cutOff = (id: string): boolean => {
    for (let at: string | null | undefined = id; at && !roots.has(at); at = parentOf.get(at))
      if (hidden(at)) return true;
    return false;
  };
  return nodes.filter((n) => !cutOff(n.id));
}

/** Rounded for display; computations use the unrounded values. */
const round = (value: number) => Math.round(value * 10) / 10;

/**
 * Goal progress, 0–100 or null, derived and never stored:
 * - an ACHIEVED goal is 100;
 * - otherwise it is the plain mean of its parts, where each part weighs the same: each of its own (not removed)
 *   measures' progress, and the progress of each child that is not ABANDONED and has a progress itself;
 * - with no parts it is null ("nothing to measure yet").
 * `nodes` must hold the goals and all their descendants; cycles (which the API rejects) are cut, not followed.
 */
export function rollUpProgress(
  nodes: readonly GoalNode[],
  measureProgressByGoal: ReadonlyMap<string, readonly number[]>,
  goalIds: readonly string[],
): Map<string, number | null> {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const children = new Map<string, GoalNode[]>();
  for (const node of nodes) {
    if (!node.parentId) continue;
    const siblings = children.get(node.parentId) ?? [];
    siblings.push(node);
    children.set(node.parentId, siblings);
  }
  const memo = new Map<string, number | null>();
  const visiting = new Set<string>();

  const progressOf = (id: string): number | null => {
    if (memo.has(id)) return memo.get(id) as number | null;
    const node = byId.get(id);
    if (!node || visiting.has(id)) return null;
    if (node.status === GoalStatus.ACHIEVED) {
      memo.set(id, 100);
      return 100;
    }
    visiting.add(id);
    const parts = [...(measureProgressByGoal.get(id) ?? [])];
    for (const child of children.get(id) ?? []) {
      if (child.status === GoalStatus.ABANDONED) continue;
      const childProgress = progressOf(child.id);
      if (childProgress !== null) parts.push(childProgress);
    }
    visiting.delete(id);
    const result = parts.length === 0 ? null : parts.reduce((sum, p) => sum + p, 0) / parts.length;
    memo.set(id, result);
    return result;
  };

  return new Map(
    goalIds.map((id) => {
      const value = progressOf(id);
      return [id, value === null ? null : round(value)];
    }),
  );
}

/** The progress of `goalIds` from their trees' goals and live measures, read already. */
export function progressFrom(
  nodes: readonly GoalNode[],
  measures: readonly GoalMeasure[],
  goalIds: readonly string[],
): Map<string, number | null> {
  const byGoal = new Map<string, number[]>();
  for (const m of measures) {
    const list = byGoal.get(m.goalId) ?? [];
    list.push(measureProgress(m));
    byGoal.set(m.goalId, list);
  }
  return rollUpProgress(nodes, byGoal, goalIds);
}
