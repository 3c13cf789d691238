import { afterEach, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { ApiModule, MIGRATIONS } from '#cairn-app/api';
import { ownTestDatabaseUrl, recreateDatabase, testConfig } from '#cairn/shared/testing';
import { TestApi } from './support/index.js';

// A database of its own: these tests need an empty schema, unlike every other suite.
const url = new URL(ownTestDatabaseUrl('migrate_on_start'));
const recreateEmptyDatabase = () => recreateDatabase(url.toString());

async function appliedMigrations(): Promise<string[]> {
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    const table = await client.query(`SELECT to_regclass('schema_migrations') AS t`);
    if (!table.rows[0].t) return [];
    return (await client.query(`SELECT name FROM schema_migrations ORDER BY id`)).rows.map((r) => r.name);
  } finally {
    await client.end();
  }
}

describe('MIGRATE_ON_START', () => {
  let api: TestApi | undefined;
  afterEach(async () => {
    await api?.close();
    api = undefined;
  });

  it('migrates an empty database at boot in development', async () => {
    await recreateEmptyDatabase();
    api = await TestApi.start(
      ApiModule.forRoot(testConfig({ NODE_ENV: 'development', MIGRATE_ON_START: 'true', DATABASE_URL: url.toString() })),
    );
    expect(await appliedMigrations()).toEqual(MIGRATIONS.map((migration) => migration.name));
  });

  it.each(['production', 'test'])('is ignored when NODE_ENV=%s', async (nodeEnv) => {
    await recreateEmptyDatabase();
    api = await TestApi.start(
      ApiModule.forRoot(testConfig({ NODE_ENV: nodeEnv, MIGRATE_ON_START: 'true', DATABASE_URL: url.toString() })),
    );
    expect(await appliedMigrations()).toEqual([]);
  });

  it('is off by default in development', async () => {
    await recreateEmptyDatabase();
    api = await TestApi.start(ApiModule.forRoot(testConfig({ NODE_ENV: 'development', DATABASE_URL: url.toString() })));
    expect(await appliedMigrations()).toEqual([]);
  });
});
