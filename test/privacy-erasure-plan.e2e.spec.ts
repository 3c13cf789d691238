import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { ERASURE_PLAN, ERASURE_STEPS, type ErasureRule, type TableName } from '#cairn/privacy';
import { TEST_DATABASE_URL } from '#cairn/shared/testing';
import { ensureMigrated } from './support/index.js';

/**
 * A table cannot be forgotten by erasure: every table the migrations make must be in ERASURE_PLAN (deleted or
 * redacted by a step, gone by a cascading foreign key, or declared to hold nothing about a client, with why),
 * and every cascade the plan counts on must be a real ON DELETE CASCADE key whose chain ends at a step.
 */
let db: pg.Client;

beforeAll(async () => {
  await ensureMigrated();
  db = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await db.connect();
});
afterAll(() => db?.end());

const plan = ERASURE_PLAN as Record<string, ErasureRule>;

describe('the erasure plan', () => {
  it('names exactly the tables of the migrated schema', async () => {
    const { rows } = await db.query<{ table: string }>(
      `SELECT table_name AS table FROM information_schema.tables
        WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> 'schema_migrations'
`,
    );
    expect(Object.keys(plan).sort()).toEqual(rows.map((r) => r.table).sort());
  });

  it('counts only on cascades the database has, each ending at a table a step erases', async () => {
    const { rows } = await db.query<{ child: string; parent: string }>(
      `SELECT conrelid::regclass::text AS child, confrelid::regclass::text AS parent
         FROM pg_constraint WHERE contype = 'f' AND confdeltype = 'c'`,
    );
    const cascades = new Set(rows.map((r) => `${r.child}->${r.parent}`));
    for (const [table, rule] of Object.entries(plan)) {
      if (!('cascade' in rule)) continue;
      expect({ table, cascadeFrom: rule.cascade, keyExists: cascades.has(`${table}->${rule.cascade}`) }).toEqual({
        table,
        cascadeFrom: rule.cascade,
        keyExists: true,
      });
      // Follow the chain up to the table a step erases (no loops).
      const seen = new Set<string>([table]);
      let parent: TableName = rule.cascade;
      while ('cascade' in plan[parent]) {
        expect(seen.has(parent)).toBe(false);
        seen.add(parent);
        parent = (plan[parent] as { cascade: TableName }).cascade;
      }
      expect(plan[parent]).toHaveProperty('step');
    }
  });

  it('gives every table a known step and a reason or a how', () => {
    for (const rule of Object.values(plan)) {
      if ('step' in rule) {
        expect(ERASURE_STEPS).toContain(rule.step);
        expect(rule.how.length).toBeGreaterThan(10);
      }
      if ('none' in rule) expect(rule.none.length).toBeGreaterThan(5);
    }
  });

  it('has the person’s row erased last, after the steps that need their name', () => {
    expect(ERASURE_STEPS.at(-1)).toBe('person');
    expect(ERASURE_STEPS.indexOf('redact-shared')).toBeLessThan(ERASURE_STEPS.indexOf('person'));
    expect(plan.users).toEqual({ step: 'person', how: expect.any(String) });
  });
});
