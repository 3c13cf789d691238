import { type RawBuilder, sql } from 'kysely';
import { DateTime } from 'luxon';

/**
 * The one rule for reading progress history; every reader (current values, goal progress, the updates list,
 * stalled goals, reports, nudges, the dashboard) takes it from here. README: Goals → Measures of success.
 *
 * - An update describes an instant, `occurred_at`, besides when it was recorded (`created_at`). A direct
 *   update happened when it was recorded, or at the end of its `occurredOn` when that day is already over (a
 *   backfill); an update from a check-in answer happened when the check-in was first submitted, also when an
 *   amendment records it later.
 * - An update from an answer (`source`) is replaced, not added to, by the next update of the same source:
 *   the correction names it (`supersedes_id`), and a superseded update no longer counts — not for the current
 *   value, not in a COUNT's period total — though it stays in the history.
 * - A measure's current value is its latest counting update by `occurred_at`, ties by recording time. An
 *   amendment of an old answer therefore never overrides a newer update.
 * - A goal's last progress activity is when its latest update happened, not when it was recorded.
 *
 * As of an instant (reports), only updates recorded by then count, and only corrections recorded by then
 * supersede.
 *
 * Readers order by the rule's latest first as `occurred_at DESC, created_at DESC`.
 */

/** SQL: update `p` counts (not superseded; with `asOf`, a parameter such as `$3`, as it stood then). */
export function countingUpdate(p: string, asOf?: string): string {
  const when = (alias: string) => (asOf ? ` AND ${alias}.created_at <= ${asOf}` : '');
  return `NOT EXISTS (SELECT 1 FROM progress_updates correction
            WHERE correction.tenant_id = ${p}.tenant_id AND correction.supersedes_id = ${p}.id${when('correction')})${when(p)}`;
}

/** Typed SQL: update `p` counts, as `countingUpdate` (with `asOf`: as it stood then). */
export function counting(p: string, asOf?: Date): RawBuilder<boolean> {
  const recordedBy = (alias: string) => (asOf === undefined ? sql.raw('') : sql` AND ${sql.ref(`${alias}.created_at`)} <= ${asOf}`);
  return sql<boolean>`(NOT EXISTS (SELECT 1 FROM progress_updates correction
            WHERE correction.tenant_id = ${sql.ref(`${p}.tenant_id`)} AND correction.supersedes_id = ${sql.ref(`${p}.id`)}${recordedBy('correction')})${recordedBy(p)})`;
}

/** When a direct update recorded `now` for the day `occurredOn` (in `zone`) happened. */
export function directUpdateOccurredAt(occurredOn: string, zone: string, now: Date): Date {
  const endOfDay = DateTime.fromISO(occurredOn, { zone }).endOf('day').toJSDate();
  return endOfDay < now ? endOfDay : now;
}
