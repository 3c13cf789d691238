import { type RawBuilder, sql } from 'kysely';

type ArrayType = 'uuid' | 'text' | 'date';

const quantified = <T>(quantifier: 'ANY' | 'ALL', values: readonly T[], type: ArrayType): RawBuilder<T> =>
  sql<T>`${sql.raw(quantifier)}(${values}::${sql.raw(type)}[])`;

/**
 * `ANY($n::type[])`: a whole list as one array parameter, so a statement's text (and plan) does not change with
 * the list's length, as `IN ($1, $2, …)` would. Use as the right side of `=`.
 */
export const anyOf = <T>(values: readonly T[], type: ArrayType): RawBuilder<T> => quantified('ANY', values, type);

/** `ALL($n::type[])`, one array parameter: the right side of `<>` for "none of these". */
export const allOf = <T>(values: readonly T[], type: ArrayType): RawBuilder<T> => quantified('ALL', values, type);

/**
 * `jsonb_to_recordset($n::jsonb) AS alias (columns)`: a batch of rows as one JSON parameter (cheaper to send
 * than an array per column), typed as `Row`. `columns` declares each field's SQL type, e.g. `id uuid, n int`;
 * it is code, never input.
 */
export const jsonRecords = <Row, A extends string>(rows: readonly Row[], alias: A, columns: string) =>
  sql<Row>`jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)`.as<A>(sql.raw(`${alias} (${columns})`));

/**
 * A `date` column as its text, 'YYYY-MM-DD' (what LocalDate takes, and what TypeORM made of it): pg would parse
 * it into a Date at local midnight. `T` is `string` for a NOT NULL column.
 */
export const dateText = <T extends string | null = string | null>(column: string): RawBuilder<T> =>
  sql<T>`${sql.ref(column)}::text`;

/**
 * Compile-time check that a select list hydrating an entity names exactly its properties: `true` only when
 * neither has a key the other lacks (declare `const complete: SameKeys<Row, Entity> = true`).
 */
export type SameKeys<A, B> = [Exclude<keyof A, keyof B>, Exclude<keyof B, keyof A>] extends [never, never]
  ? true
  : false;

/** The row type a Kysely select builder returns. */
export type RowOf<Q> = Q extends { execute(): Promise<(infer R)[]> } ? R : never;
