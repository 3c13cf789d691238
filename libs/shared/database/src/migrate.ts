import { DataSource, MixedList } from 'typeorm';
import { buildDataSourceOptions } from './data-source-options.js';

// Any constant works; it only has to be the same for every process that migrates this database.
const MIGRATION_LOCK = 7_320_114;

/**
 * Applies pending migrations, each in its own transaction, under an advisory lock so that concurrent
 * runners (replicas, parallel test files) apply each migration once. Returns the names applied.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export async function migrateDatabase(url: string, migrations: MixedList<Function>): Promise<string[]> {
  const dataSource = new DataSource(buildDataSourceOptions({ url, poolMax: 1, applicationName: 'cairn-migrate' }, [], migrations));
  await dataSource.initialize();
  try {
    // Pool of one: the lock is held by the session runMigrations uses next.
    await dataSource.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    await dataSource.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    return applied.map((m) => m.name);
  } finally {
    await dataSource.destroy();
  }
}
