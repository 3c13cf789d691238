import { migrateDatabase } from '#cairn/shared/database';
import { recreateDatabase, TEST_DATABASE_URL } from '#cairn/shared/testing';
import { MIGRATIONS } from '#cairn-app/api';

// The app's migration list lives in apps/api, so what migrates a test database lives here, beside the suites.

let migrated: Promise<unknown> | undefined;
/** The first test file of a run migrates the fresh database; the advisory lock serialises the others. */
export function ensureMigrated(): Promise<unknown> {
  migrated ??= migrateDatabase(TEST_DATABASE_URL, MIGRATIONS);
  return migrated;
}

/** A brand-new, migrated database for the suite (in its first beforeAll); every testConfig of it names the url. */
export async function freshOwnDatabase(databaseUrl: string): Promise<void> {
  await recreateDatabase(databaseUrl);
  await migrateDatabase(databaseUrl, MIGRATIONS);
}
