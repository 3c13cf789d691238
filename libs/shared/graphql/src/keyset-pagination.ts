import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { AppError } from './app-error.js';
import { ConnectionArgs, ConnectionShape } from './connection.js';

interface KeysetRow extends ObjectLiteral {
  id: string;
  createdAt: Date;
}

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

export interface PaginateOptions<T, N> {
  /** Newest first (feeds): the same cursors, walked the other way; the (…, created_at, id) index serves both. */
  newestFirst?: boolean;
  /** Builds each node from its entity and the raw row, for columns the query added (joined rows). */
  node?: (entity: T, raw: Record<string, unknown>) => N;
}

/**
 * Stable keyset pagination on (created_at, id): pages do not shift when rows are added, and each page is
 * one indexed range scan (tenant-first indexes make it tenant-local). Oldest first unless told otherwise.
 */
export async function paginate<T extends KeysetRow, N = T>(
  qb: SelectQueryBuilder<T>,
  alias: string,
  args: ConnectionArgs,
  options: PaginateOptions<T, N> = {},
): Promise<ConnectionShape<N>> {
  const [beyond, order] = options.newestFirst ? (['<', 'DESC'] as const) : (['>', 'ASC'] as const);
  if (args.after) {
    const [createdAt, id] = decodeCursor(args.after);
    qb.andWhere(
      `(${alias}.created_at, ${alias}.id) ${beyond} (:afterCreatedAt::timestamptz, :afterId::uuid)`,
      { afterCreatedAt: createdAt, afterId: id },
    );
  }
  // limit (not take): one plain statement, so raw rows and entities line up one to one.
  const { entities: rows, raw } = await qb
    .addSelect(`to_char(${alias}.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`, CURSOR_TIME)
    .orderBy(`${alias}.created_at`, order)
    .addOrderBy(`${alias}.id`, order)
    .limit(args.first + 1)
    .getRawAndEntities();
  const page = rows.slice(0, args.first);
  const toNode = options.node ?? ((entity: T) => entity as unknown as N);
  const edges = page.map((entity, i) => ({ cursor: encodeCursor(raw[i][CURSOR_TIME], entity.id), node: toNode(entity, raw[i]) }));
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
