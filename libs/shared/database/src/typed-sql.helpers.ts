import { type RawBuilder, sql } from 'kysely';

/**
 * `ANY($n::type[])`: a whole list as one array parameter, so a statement's text (and plan) does not change with
 * the list's length, as `IN ($1, $2, …)` would. Use as the right side of `=`.
 */
export function anyOf<T>(values: readonly T[], type: 'uuid' | 'text' | 'date'): RawBuilder<T> {
  return sql<T>`ANY(${values}::${sql.raw(type)}[])`;
}
