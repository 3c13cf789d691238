import pg from 'pg';
import { TEST_DATABASE_URL } from './test-env.js';

/**
 * A database of the suite's own beside the shared test database (`<test database>_<suffix>`), for suites that
 * boot a worker: its sweeps cover every tenant of a database, so in the shared one it would work on other
 * suites' rows (and theirs on ours).
 */
export function ownTestDatabaseUrl(suffix: string): string {
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `${url.pathname}_${suffix}`;
  return url.toString();
}

/** Drops the database (closing its connections) and creates it empty; the caller migrates it. */
export async function recreateDatabase(databaseUrl: string): Promise<void> {
  const admin = new URL(databaseUrl);
  const name = admin.pathname.slice(1);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
}
