import { describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import { prepareQuery } from '../prepared-query.js';
import { anyOf } from '../typed-sql.helpers.js';

const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';

describe('PreparedQuery', () => {
  it('builds once, scoped by the tenant layer, and fills in the tenant and the values of each call', () => {
    let builds = 0;
    const query = prepareQuery((db, p: { ids: readonly string[]; status: string }) => {
      builds++;
      return db
        .selectFrom('goals as g')
        .select('g.id')
        .where('g.id', '=', anyOf(p.ids, 'uuid'))
        .where('g.status', '=', p.status)
        .where('g.horizon', '<>', 'IMMEDIATE');
    });
    const first = query.bind(A, { ids: ['x'], status: 'ACTIVE' });
    const second = query.bind(B, { ids: ['y', 'z'], status: 'DRAFT' });
    expect(builds).toBe(1);
    expect(first.sql).toBe(
      'select "g"."id" from "goals" as "g" where "g"."tenant_id" = $1 and ("g"."id" = ANY($2::uuid[]) and "g"."status" = $3 and "g"."horizon" <> $4)',
    );
    expect(second.sql).toBe(first.sql);
    expect(first.parameters).toEqual([A, ['x'], 'ACTIVE', 'IMMEDIATE']);
    expect(second.parameters).toEqual([B, ['y', 'z'], 'DRAFT', 'IMMEDIATE']);
  });

  it('scopes subqueries and recursive CTEs once', () => {
    const query = prepareQuery((db, p: { ids: readonly string[] }) =>
      db
        .withRecursive('tree(id)', (cte) =>
          cte
            .selectFrom('goals as r')
            .select('r.id')
            .where('r.id', '=', anyOf(p.ids, 'uuid'))
            .union((u) => u.selectFrom('goals as c').innerJoin('tree as t', 't.id', 'c.parent_id').select('c.id')),
        )
        .selectFrom('goals as g')
        .select('g.id')
        .where('g.id', 'in', (eb) => eb.selectFrom('tree').select('tree.id'))
        .where('g.status', 'in', (eb) => eb.selectFrom('goals as s').select('s.status')),
    );
    const { sql: text, parameters } = query.bind(A, { ids: ['x'] });
    expect(text.match(/tenant_id/g)).toHaveLength(4);
    expect(parameters.filter((v) => v === A)).toHaveLength(4);
  });

  it('refuses a param used as anything but a value', () => {
    const query = prepareQuery((db, p: { title: string }) =>
      db.selectFrom('goals').select('id').where(sql<boolean>`title = ${sql.lit(String(p.title))}`),
    );
    expect(() => query.bind(A, { title: 'x' })).toThrow(/title must be used as values only/);
  });
});
