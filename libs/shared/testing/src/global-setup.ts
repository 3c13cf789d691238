import pg from 'pg';

// Loaded by jest outside its module mapper, so it imports nothing of ours; keep the default in step with
// TEST_DATABASE_URL in test-env.ts.
const url = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/cairn_test';

/** Once per `jest` run: a brand-new, empty test database. Test files migrate it on first use. */
export default async function globalSetup(): Promise<void> {
  const database = new URL(url).pathname.slice(1);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${database}"`);
  } finally {
    await client.end();
  }
}
