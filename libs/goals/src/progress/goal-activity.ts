import { type RawBuilder, sql } from 'kysely';
import { anyOf, TenantTransaction } from '#cairn/shared/database';
import { fieldAsOf, fieldsBefore, goalRevisionsOf } from '../revisions/fields-as-of.js';
import { ALL_AUDIENCES, goalSharedWith } from '../visibility/goal-visibility.js';

/** An ACTIVE goal with when anything last happened to it, for "stalled" and "behind pace" rules. */
export interface ActiveGoalActivity {
  id: string;
  client_id: string;
  title: string;
  start_date: string | null;
  target_date: string | null;
  created_on: string;
  created_at: Date;
  /**
   * Seen today by everyone besides the client (the client's coaches and the firm): content others read (nudge
   * wording, coach reports) may name it only then.
   */
  shared_with_everyone: boolean;
  /** When its latest progress update happened (progress-history.ts), or its latest status change, else its creation. */
  last_activity: Date;
}

/**
 * The clients' ACTIVE goals with their last activity, in one statement (no access check).
 *
 * With `asOf` (default: now), the goals as they stood then: created by then and ACTIVE then, with the title,
 * dates and priority they had (see fields-as-of.ts), and their last activity by then.
 */
export function activeGoalActivity(
  tx: TenantTransaction,
  clientIds: readonly string[],
  options: { asOf?: Date } = {},
): Promise<ActiveGoalActivity[]> {
  if (clientIds.length === 0) return Promise.resolve([]);
  const asOf = options.asOf;
  const then = <T>(field: string, current: string, type: string): RawBuilder<T> =>
    asOf ? fieldAsOf<T>('was_then', field, sql.ref(current), type) : sql<T>`${sql.ref(current)}`;
  return tx.db
    .selectFrom('goals as g')
    .$if(asOf !== undefined, (q) =>
      q.leftJoinLateral(fieldsBefore(goalRevisionsOf('g'), asOf!).as('was_then'), (join) => join.onTrue()),
    )
    .select((eb) => [
      'g.id',
      'g.client_id',
      then<string>('title', 'g.title', 'text').as('title'),
      sql<string | null>`${then('startDate', 'g.start_date', 'date')}::text`.as('start_date'),
      sql<string | null>`${then('targetDate', 'g.target_date', 'date')}::text`.as('target_date'),
      sql<string>`g.created_at::date::text`.as('created_on'),
      'g.created_at',
      sql<boolean>`${goalSharedWith('g', ALL_AUDIENCES)}`.as('shared_with_everyone'),
      eb
        .fn<Date>('greatest', [
          'g.created_at',
          eb
            .selectFrom('progress_updates as p')
            .select((s) => s.fn.max('p.occurred_at').as('at'))
            .whereRef('p.goal_id', '=', 'g.id')
            .$if(asOf !== undefined, (q) => q.where('p.created_at', '<=', asOf!)),
          eb
            .selectFrom('goal_revisions as r')
            .select((s) => s.fn.max('r.created_at').as('at'))
            .whereRef('r.goal_id', '=', 'g.id')
            .where('r.action', '=', 'STATUS_CHANGED')
            .$if(asOf !== undefined, (q) => q.where('r.created_at', '<=', asOf!)),
        ])
        .as('last_activity'),
    ])
    .where('g.client_id', '=', anyOf(clientIds, 'uuid'))
    .where(then('status', 'g.status', 'text'), '=', 'ACTIVE')
    .$if(asOf !== undefined, (q) => q.where('g.created_at', '<=', asOf!))
    .orderBy('g.client_id')
    .orderBy(then('priority', 'g.priority', 'smallint'))
    .orderBy(then('targetDate', 'g.target_date', 'date'), (o) => o.nullsLast())
    .orderBy('g.created_at')
    .orderBy('g.id')
    .execute();
}
