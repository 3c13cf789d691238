import { type SelectQueryBuilder, sql } from 'kysely';
import { AppError } from './app-error.js';
import { ConnectionArgs, ConnectionShape } from './connection.js';

// PostgreSQL keeps microseconds but a JS Date only milliseconds, so the cursor takes the timestamp as text
// straight from the database; a truncated one would sort before its own row and repeat it on the next page.
const CURSOR_TIME = 'cursor_created_at';
const encodeCursor = (createdAt: string, id: string) =>
  Buffer.from(JSON.stringify([createdAt, id])).toString('base64url');

function decodeCursor(cursor: string): [string, string] {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && !Number.isNaN(Date.parse(value[0])) && /^[0-9a-f-]{36}$/i.test(value[1])) {
      return [value[0], value[1]];
    }
  } catch {
    // fall through to the error below
  }
  throw AppError.badInput('Invalid input: after: is not a cursor returned by this API', [
    { field: 'after', messages: ['after is not a valid cursor'] },
  ]);
}

export interface PaginateOptions<R, N> {
  /** Newest first (feeds): the same cursors, walked the other way; the (…, created_at, id) index serves both. */
  newestFirst?: boolean;
  /** Builds each node from its row; without it the row is the node. */
  node?: (row: R) => N;
}

/**
 * Stable keyset pagination on (created_at, id) of `alias` (the table, or its alias, in `query`): pages do not
 * shift when rows are added, and each page is one indexed range scan (tenant-first indexes make it
 * tenant-local). Oldest first unless told otherwise. `query` selects the node's columns, `id` among them, and
 * stays typed SQL: on `tx.db` the tenant is applied by the query layer.
 */
export async function paginate<DB, TB extends keyof DB, R extends { id: string }, N = R>(
  query: SelectQueryBuilder<DB, TB, R>,
  alias: string,
  args: ConnectionArgs,
  options: PaginateOptions<R, N> = {},
): Promise<ConnectionShape<N>> {
  const [beyond, order] = options.newestFirst ? (['<', 'desc'] as const) : (['>', 'asc'] as const);
  const createdAt = sql.ref(`${alias}.created_at`);
  const id = sql.ref(`${alias}.id`);
  let page = query
    .select(sql<string>`to_char(${createdAt} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as(CURSOR_TIME))
    .orderBy(createdAt, order)
    .orderBy(id, order)
    .limit(args.first + 1);
  if (args.after) {
    const [afterCreatedAt, afterId] = decodeCursor(args.after);
    page = page.where(sql<boolean>`(${createdAt}, ${id}) ${sql.raw(beyond)} (${afterCreatedAt}::timestamptz, ${afterId}::uuid)`);
  }
  const rows = await page.execute();
  const toNode = options.node ?? ((row: R) => row as unknown as N);
  const edges = rows.slice(0, args.first).map((row) => {
    const { [CURSOR_TIME]: cursorTime, ...columns } = row as unknown as R & { [CURSOR_TIME]: string };
    return { cursor: encodeCursor(cursorTime, row.id), node: toNode(columns as unknown as R) };
  });
  return {
    edges,
    pageInfo: {
      hasNextPage: rows.length > args.first,
      hasPreviousPage: Boolean(args.after),
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

/**
 * A node of `type` from a row whose columns are named as its properties (select `column as property`): an
 * instance, so its getters and methods work, with the selected columns only. No ORM hydration: a row's values
 * are what pg parsed (timestamptz as Date, numeric and bigint as text, json parsed; select `date` columns as
 * `::text`, the string TypeORM made of them).
 */
export const asNode =
  <T extends object>(type: new () => T) =>
  <R extends { [K in keyof R]: K extends keyof T ? unknown : never }>(row: R): T =>
    Object.assign(new type(), row);
