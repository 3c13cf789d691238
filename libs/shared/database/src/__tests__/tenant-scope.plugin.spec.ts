import { describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import { tenantQueryCompiler } from '../query-runner.dialect.js';
import { TenantScopePlugin, UnscopableQueryError } from '../tenant-scope.plugin.js';
import { jsonRecords } from '../typed-sql.helpers.js';

const TENANT = '11111111-1111-4111-8111-111111111111';

// Compiles only (DummyDriver): the statements the layer would send. The database-backed walls are in
// test/typed-sql.e2e.spec.ts.
const db = tenantQueryCompiler(TENANT);

describe('TenantScopePlugin', () => {
  it('scopes a select, keeping its own filter in parentheses', () => {
    const q = db
      .selectFrom('goals')
      .select('id')
      .where((eb) => eb.or([eb('id', '=', 'a'), eb('id', '=', 'b')]))
      .compile();
    expect(q.sql).toBe(
      'select "id" from "goals" where "goals"."tenant_id" = $1 and ("id" = $2 or "id" = $3)',
    );
    expect(q.parameters).toEqual([TENANT, 'a', 'b']);
  });

  it('scopes an aliased table by its alias, and each join in its ON (a left join stays a left join)', () => {
    const q = db
      .selectFrom('action_tasks as t')
      .leftJoin('task_completions as c', 'c.task_id', 't.id')
      .select(['t.id', 'c.count'])
      .compile();
    expect(q.sql).toBe(
      'select "t"."id", "c"."count" from "action_tasks" as "t" ' +
        'left join "task_completions" as "c" on "c"."task_id" = "t"."id" and "c"."tenant_id" = $1 ' +
        'where "t"."tenant_id" = $2',
    );
  });

  it('scopes subqueries and CTEs but not tables that are no tenant’s (a CTE)', () => {
    const q = db
      .with('open', (w) => w.selectFrom('check_ins').select('id').where('status', '=', 'OPEN'))
      .selectFrom('open')
      .select('open.id')
      .where('open.id', 'in', (s) => s.selectFrom('checkin_submissions').select('check_in_id'))
      .compile();
    expect(q.sql).toBe(
      'with "open" as (select "id" from "check_ins" where "check_ins"."tenant_id" = $1 and ("status" = $2)) ' +
        'select "open"."id" from "open" where "open"."id" in ' +
        '(select "check_in_id" from "checkin_submissions" where "checkin_submissions"."tenant_id" = $3)',
    );
  });

  it('scopes update (and its FROM) and delete (and its USING)', () => {
    const update = db
      .updateTable('goals')
      .set({ career_step_id: null })
      .from('career_steps')
      .whereRef('career_steps.id', '=', 'goals.career_step_id')
      .compile();
    expect(update.sql).toBe(
      'update "goals" set "career_step_id" = $1 from "career_steps" ' +
        'where "goals"."tenant_id" = $2 and "career_steps"."tenant_id" = $3 and ("career_steps"."id" = "goals"."career_step_id")',
    );
    const del = db.deleteFrom('task_dependencies').where('task_id', '=', 'x').compile();
    expect(del.sql).toBe('delete from "task_dependencies" where "task_dependencies"."tenant_id" = $1 and ("task_id" = $2)');
  });

  it('sets the tenant on every inserted row, and limits ON CONFLICT DO UPDATE to this tenant’s row', () => {
    const q = db
      .insertInto('task_overdue_notices')
      .values([
        { task_id: 'a', overdue_since: '2026-01-01' },
        { task_id: 'b', overdue_since: '2026-01-02' },
      ])
      .onConflict((oc) => oc.columns(['tenant_id', 'task_id']).doUpdateSet({ overdue_since: '2026-01-03' }))
      .compile();
    expect(q.sql).toBe(
      'insert into "task_overdue_notices" ("task_id", "overdue_since", "tenant_id") values ($1, $2, $3), ($4, $5, $6) ' +
        'on conflict ("tenant_id", "task_id") do update set "overdue_since" = $7 ' +
        'where "task_overdue_notices"."tenant_id" = $8',
    );
    expect(q.parameters).toEqual(['a', '2026-01-01', TENANT, 'b', '2026-01-02', TENANT, '2026-01-03', TENANT]);
  });

  it('sets the tenant on INSERT … SELECT with named columns', () => {
    const q = db
      .insertInto('task_overdue_notices')
      .columns(['task_id', 'overdue_since'])
      .expression((eb) => eb.selectFrom('action_tasks').select(['id', 'due_date']))
      .compile();
    expect(q.sql).toBe(
      'insert into "task_overdue_notices" ("task_id", "overdue_since", "tenant_id") ' +
        'select "id", "due_date", cast($1 as uuid) as "tenant_id" from "action_tasks" where "action_tasks"."tenant_id" = $2',
    );
  });

  it('sets the tenant on inserts inside WITH (a batch from jsonRecords), and on an insert of no named values', () => {
    const q = db
      .with('inserted', (d) =>
        d
          .insertInto('messages')
          .columns(['id', 'kind'])
          .expression((s) => s.selectFrom(jsonRecords([{ id: 'm1', kind: 'NUDGE' }], 'm', 'id uuid, kind text')).select(['m.id', 'm.kind']))
          .returning('id'),
      )
      .selectFrom('inserted')
      .select('inserted.id')
      .compile();
    expect(q.sql).toBe(
      'with "inserted" as (insert into "messages" ("id", "kind", "tenant_id") ' +
        'select "m"."id", "m"."kind", cast($1 as uuid) as "tenant_id" from jsonb_to_recordset($2::jsonb) as m (id uuid, kind text) ' +
        'returning "id") select "inserted"."id" from "inserted"',
    );
    expect(q.parameters).toEqual([TENANT, JSON.stringify([{ id: 'm1', kind: 'NUDGE' }])]);
    // A policy upsert with no field given still makes the firm's row.
    expect(db.insertInto('nudge_policies').values({}).compile().sql).toBe('insert into "nudge_policies" ("tenant_id") values ($1)');
  });

  it('refuses what it cannot scope instead of running it unscoped', () => {
    const refused = (build: () => unknown) => expect(build).toThrow(UnscopableQueryError);
    refused(() => sql`SELECT * FROM goals`.compile(db));
    refused(() =>
      db
        .insertInto('goals')
        .expression((eb) => eb.selectFrom('goals').selectAll())
        .compile(),
    );
    // The types forbid it; the layer refuses it even when the types are bypassed.
    refused(() => db.insertInto('notifications').values({ tenant_id: TENANT } as never).compile());
    refused(() => db.updateTable('goals').set({ tenant_id: TENANT } as never).compile());
    refused(() => db.insertInto('tenants').values({ name: 'x' } as never).compile());
  });

  it('does not let code write a tenant_id: the compiler refuses it, and so does the layer', () => {
    const insert = () =>
      db
        .insertInto('notifications')
        // @ts-expect-error tenant_id is not insertable through the tenant layer
        .values({ tenant_id: TENANT, recipient_user_id: TENANT, kind: 'NUDGE', title: 't', dedupe_key: 'k' })
        .compile();
    expect(insert).toThrow(UnscopableQueryError);
  });

  it('fails closed without a tenant', () => {
    expect(() => new TenantScopePlugin(undefined as unknown as string)).toThrow();
    expect(() => new TenantScopePlugin('')).toThrow();
  });
});
