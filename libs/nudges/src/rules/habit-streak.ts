import type { ParsedRule } from '#cairn/shared/calendar';

/** Streak lengths of a habit worth a celebration, each once per habit. */
export const STREAK_MILESTONES: readonly number[] = [7, 30, 100];

/**
 * How many of a habit's latest scheduled occurrences are read to find its streaks: twice the longest
 * milestone, so a streak that could have been reached recently always starts inside the window (one reached
 * only because an occurrence more than ~100 occurrences old was logged late may be taken for new).
 */
export const STREAK_LOOKBACK = 2 * Math.max(...STREAK_MILESTONES);

/** One entry of a habit's completion log. */
export interface StreakCompletion {
  occurrenceOn: string;
  count: number;
  loggedAt: Date;
}

/**
 * When a habit first had each milestone's number of consecutive occurrences met, for the milestones it has
 * reached (those it has not are absent).
 *
 * Consecutive means over the habit's scheduled occurrences, not calendar days: `occurrences` are its RRULE's
 * dates in the client's zone, in order, through the client's today (a weekly habit's streak counts weeks). An
 * occurrence is met from the moment the counts logged for it add up to the target; an occurrence not met
 * breaks the run, except today's, which can still be met (as in the `streak` field of a task). Since logs are
 * only ever added, the habit first has a run of N the moment the log that completes such a run is written:
 * an occurrence logged late that joins two runs reaches the milestone then. Logs for other dates are ignored.
 */
export function streakMilestonesReached(
  occurrences: readonly string[],
  completions: readonly StreakCompletion[],
  countTarget: number,
  milestones: readonly number[] = STREAK_MILESTONES,
): Map<number, Date> {
  const position = new Map(occurrences.map((date, i) => [date, i]));
  const ordered = completions
    .filter((c) => position.has(c.occurrenceOn))
    .sort((a, b) => a.loggedAt.getTime() - b.loggedAt.getTime());
  const logged = new Map<number, number>();
  // The run length, kept up to date at both ends of each run of met occurrences.
  const run = new Array<number>(occurrences.length).fill(0);
  const reached = new Map<number, Date>();
  let longest = 0;
  for (const completion of ordered) {
    const i = position.get(completion.occurrenceOn) as number;
    const before = logged.get(i) ?? 0;
    logged.set(i, before + completion.count);
    if (before >= countTarget || before + completion.count < countTarget) continue;
    const left = i > 0 ? run[i - 1] : 0;
    const right = i < occurrences.length - 1 ? run[i + 1] : 0;
    const length = left + 1 + right;
    run[i - left] = length;
    run[i + right] = length;
    run[i] = length;
    if (length <= longest) continue;
    longest = length;
    for (const milestone of milestones) {
      if (milestone <= longest && !reached.has(milestone)) reached.set(milestone, completion.loggedAt);
    }
  }
  return reached;
}

/** What a streak counts, as the client would say it: days or weeks for plain daily or weekly habits. */
export function streakUnit(rule: Pick<ParsedRule, 'rule' | 'frequency' | 'interval'>): string {
  const filters = rule.rule.split(';').filter((part) => part.startsWith('BY'));
  if (rule.interval !== 1) return 'times';
  if (rule.frequency === 'DAILY' && filters.length === 0) return 'days';
  if (
    rule.frequency === 'WEEKLY' &&
    (filters.length === 0 || (filters.length === 1 && /^BYDAY=[A-Z]{2}$/.test(filters[0])))
  )
    return 'weeks';
  return 'times';
}
