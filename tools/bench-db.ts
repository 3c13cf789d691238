import pg from 'pg';
import { migrateDatabase } from '#cairn/shared/database';
import { MIGRATIONS } from '#cairn-app/api';

/** `work` on a connection of its own to `url`, closed afterwards. */
export async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Drops a benchmark's database (closing its connections) and, unless `dropOnly`, creates and migrates it afresh. */
export async function recreateDatabase(url: string, { dropOnly = false } = {}): Promise<void> {
  const server = new URL(url);
  const name = server.pathname.slice(1);
  server.pathname = '/postgres';
  await withClient(server.toString(), async (c) => {
    await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    if (!dropOnly) await c.query(`CREATE DATABASE "${name}"`);
  });
  if (!dropOnly) await migrateDatabase(url, MIGRATIONS);
}
