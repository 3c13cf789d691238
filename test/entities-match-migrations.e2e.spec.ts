import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '#cairn/shared/database';
import { ENTITIES } from '#cairn-app/api';
import { ownTestDatabaseUrl } from '#cairn/shared/testing';
import { freshOwnDatabase } from './support/index.js';

/**
 * The migrations are the truth about the schema; the entities must say the same, or TypeORM's repositories
 * (and anyone reading an entity) assume a schema that is not there. A database of its own, migrated from
 * empty: the shared one may carry other suites' rows, never other columns, but fresh is the honest baseline.
 */
const url = ownTestDatabaseUrl('schema_diff');

describe('entities and migrations', () => {
  let dataSource: DataSource;
  beforeAll(async () => {
    await freshOwnDatabase(url);
    dataSource = await new DataSource(
      buildDataSourceOptions({ url, poolMax: 1, applicationName: 'cairn-schema-diff' }, ENTITIES),
    ).initialize();
  });
  afterAll(() => dataSource?.destroy());

  it('agree: a migration generated from the entities against the migrated database is empty', async () => {
    // log() computes what synchronize would run, without running it: what `migration:generate` would write.
    const pending = (await dataSource.driver.createSchemaBuilder().log()).upQueries.map((q) => q.query);
    expect(pending).toEqual([]);
  });

  // TypeORM matches checks and indexes by name only; compare what the entities declare with the database too.
  it('declare every check constraint with the expression the database has', async () => {
    const rows: { name: string; def: string }[] = await dataSource.query(
      `SELECT conname AS name, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE contype = 'c' AND conrelid = ANY($1::regclass[])`,
      [dataSource.entityMetadatas.map((m) => m.tableName)],
    );
    const declared = dataSource.entityMetadatas.flatMap((m) => m.checks.map((c) => [c.name, `CHECK (${c.expression})`]));
    expect(Object.fromEntries(declared)).toEqual(Object.fromEntries(rows.map((r) => [r.name, r.def])));
  });

  it('declare every partial index with the predicate the database has', async () => {
    const rows: { name: string; predicate: string | null }[] = await dataSource.query(
      `SELECT c.relname AS name, pg_get_expr(i.indpred, i.indrelid) AS predicate
         FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
        WHERE i.indrelid = ANY($1::regclass[]) AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)`,
      [dataSource.entityMetadatas.map((m) => m.tableName)],
    );
    const declared = dataSource.entityMetadatas.flatMap((m) => m.indices.map((i) => [i.name, i.where ?? null]));
    expect(Object.fromEntries(declared)).toEqual(Object.fromEntries(rows.map((r) => [r.name, r.predicate])));
  });
});
