import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { AppError } from './app-error.js';
import { ConnectionArgs, ConnectionShape } from './connection.js';

interface KeysetRow extends ObjectLiteral {
  id: string;
  createdAt: Date;
}

const encodeCursor = (row: KeysetRow) =>
  Buffer.from(JSON.stringify([row.createdAt.toISOString(), row.id])).toString('base64url');

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

/**
 * Stable keyset pagination on (created_at, id): pages do not shift when rows are added, and each page is
 * one indexed range scan (tenant-first indexes make it tenant-local).
 */
export async function paginate<T extends KeysetRow>(
  qb: SelectQueryBuilder<T>,
  alias: string,
  args: ConnectionArgs,
): Promise<ConnectionShape<T>> {
  if (args.after) {
    const [createdAt, id] = decodeCursor(args.after);
    qb.andWhere(`(${alias}.created_at, ${alias}.id) > (:afterCreatedAt, :afterId)`, {
      afterCreatedAt: createdAt,
      afterId: id,
    });
  }
  const rows = await qb
    .orderBy(`${alias}.created_at`, 'ASC')
    .addOrderBy(`${alias}.id`, 'ASC')
    .take(args.first + 1)
    .getMany();
  const page = rows.slice(0, args.first);
  const edges = page.map((node) => ({ cursor: encodeCursor(node), node }));
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
