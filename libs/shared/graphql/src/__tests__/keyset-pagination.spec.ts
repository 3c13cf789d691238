import { describe, expect, it } from '@jest/globals';
import {
  type CompiledQuery,
  type DatabaseConnection,
  type Driver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type QueryResult,
} from 'kysely';
import { AppError } from '../app-error.js';
import { ConnectionArgs } from '../connection.js';
import { asNode, paginate } from '../keyset-pagination.js';

interface Things {
  things: { id: string; name: string; created_at: Date };
}

class Thing {
  id: string;
  name: string;
  createdAt: Date;
  get shout(): string {
    return this.name.toUpperCase();
  }
}

/** A Kysely that compiles real PostgreSQL, records each statement and answers with the rows it is given. */
function scriptedDb(rows: Record<string, unknown>[]) {
  const statements: CompiledQuery[] = [];
  const connection: DatabaseConnection = {
    async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
      statements.push(query);
      return { rows: rows as R[] };
    },
    // eslint-disable-next-line require-yield
    async *streamQuery() {
      throw new Error('not streamed');
    },
  };
  const driver: Driver = {
    init: async () => {},
    acquireConnection: async () => connection,
    beginTransaction: async () => {},
    commitTransaction: async () => {},
    rollbackTransaction: async () => {},
    releaseConnection: async () => {},
    destroy: async () => {},
  };
  const db = new Kysely<Things>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => driver,
      createQueryCompiler: () => new PostgresQueryCompiler(),
      createIntrospector: (k) => new PostgresIntrospector(k),
    },
  });
  return { db, statements };
}

const ID = [
  '00000000-0000-4000-8000-00000000000a',
  '00000000-0000-4000-8000-00000000000b',
  '00000000-0000-4000-8000-00000000000c',
];
// Three rows within one millisecond: only the microseconds, which a JS Date drops, tell them apart.
const TIME = ['2026-03-01T10:00:00.123001Z', '2026-03-01T10:00:00.123002Z', '2026-03-01T10:00:00.123003Z'];
const row = (i: number) => ({
  id: ID[i],
  name: `thing ${i}`,
  createdAt: new Date(TIME[i]),
  cursor_created_at: TIME[i],
});

const args = (first: number, after?: string) => Object.assign(new ConnectionArgs(), { first, after });
const query = (db: Kysely<Things>) =>
  db.selectFrom('things as t').select(['t.id', 't.name', 't.created_at as createdAt']);
const decode = (cursor: string) => JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));

describe('paginate', () => {
  it('reads first + 1 rows oldest first, and the extra row only says there is a next page', async () => {
    const { db, statements } = scriptedDb([row(0), row(1), row(2)]);
    const page = await paginate(query(db), 't', args(2));

    expect(statements).toHaveLength(1);
    expect(statements[0].sql).toBe(
      `select "t"."id", "t"."name", "t"."created_at" as "createdAt", ` +
        `to_char("t"."created_at" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as "cursor_created_at" ` +
        `from "things" as "t" order by "t"."created_at" asc, "t"."id" asc limit $1`,
    );
    expect(statements[0].parameters).toEqual([3]);
    expect(page.edges.map((e) => e.node.id)).toEqual(ID.slice(0, 2));
    expect(page.pageInfo).toEqual({
      hasNextPage: true,
      hasPreviousPage: false,
      startCursor: page.edges[0].cursor,
      endCursor: page.edges[1].cursor,
    });
  });

  it('says there is no next page when the rows fit, and gives null cursors for an empty page', async () => {
    const full = await paginate(query(scriptedDb([row(0), row(1)]).db), 't', args(2));
    expect(full.pageInfo.hasNextPage).toBe(false);
    expect(full.edges).toHaveLength(2);

    const empty = await paginate(query(scriptedDb([]).db), 't', args(2));
    expect(empty).toEqual({
      edges: [],
      pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
    });
  });

  it('keeps the microseconds: the cursor carries the database’s text and gives it back as a timestamptz', async () => {
    const first = await paginate(query(scriptedDb([row(0), row(1)]).db), 't', args(1));
    expect(decode(first.pageInfo.endCursor as string)).toEqual([TIME[0], ID[0]]);

    const { db, statements } = scriptedDb([row(1)]);
    const next = await paginate(query(db), 't', args(1, first.pageInfo.endCursor as string));
    expect(statements[0].sql).toContain(
      `where ("t"."created_at", "t"."id") > ($1::timestamptz, $2::uuid) order by "t"."created_at" asc, "t"."id" asc limit $3`,
    );
    expect(statements[0].parameters).toEqual([TIME[0], ID[0], 2]);
    expect(next.pageInfo.hasPreviousPage).toBe(true);
    expect(decode(next.edges[0].cursor)).toEqual([TIME[1], ID[1]]);
  });

  it('accepts the cursors issued before (base64url JSON of [created_at text, id])', async () => {
    const issued = Buffer.from(JSON.stringify([TIME[2], ID[2]])).toString('base64url');
    const { db, statements } = scriptedDb([]);
    await paginate(query(db), 't', args(5, issued));
    expect(statements[0].parameters).toEqual([TIME[2], ID[2], 6]);
  });

  it('walks newest first with the same cursors, the other way', async () => {
    const { db, statements } = scriptedDb([row(2), row(1)]);
    const after = Buffer.from(JSON.stringify([TIME[2], ID[2]])).toString('base64url');
    const page = await paginate(query(db), 't', args(5, after), { newestFirst: true });
    expect(statements[0].sql).toContain(
      `where ("t"."created_at", "t"."id") < ($1::timestamptz, $2::uuid) order by "t"."created_at" desc, "t"."id" desc`,
    );
    expect(page.edges.map((e) => e.node.id)).toEqual([ID[2], ID[1]]);
  });

  it('refuses a cursor it did not issue with BAD_USER_INPUT naming `after`, before any statement', async () => {
    const forged = [
      'not-a-cursor',
      Buffer.from('{"id":1}').toString('base64url'),
      Buffer.from(JSON.stringify(['yesterday', ID[0]])).toString('base64url'),
      Buffer.from(JSON.stringify([TIME[0], "x' OR 1=1 --"])).toString('base64url'),
      Buffer.from(JSON.stringify([TIME[0], ID[0], 'extra'])).toString('base64url'),
    ];
    for (const after of forged) {
      const { db, statements } = scriptedDb([row(0)]);
      const error = await paginate(query(db), 't', args(2, after)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).extensions).toEqual({
        code: 'BAD_USER_INPUT',
        fields: [{ field: 'after', messages: ['after is not a valid cursor'] }],
      });
      expect(statements).toHaveLength(0);
    }
  });

  it('maps rows to nodes: asNode makes instances of the node type, without the cursor column', async () => {
    const page = await paginate(query(scriptedDb([row(0)]).db), 't', args(2), { node: asNode(Thing) });
    const [node] = page.edges.map((e) => e.node);
    expect(node).toBeInstanceOf(Thing);
    expect(node.shout).toBe('THING 0');
    expect(node).toEqual(
      Object.assign(new Thing(), { id: ID[0], name: 'thing 0', createdAt: new Date(TIME[0]) }),
    );
    expect(node).not.toHaveProperty('cursor_created_at');
  });
});
