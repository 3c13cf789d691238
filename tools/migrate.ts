import 'reflect-metadata';
import { migrateDatabase } from '#cairn/shared/database';
import { MIGRATIONS } from '#cairn-app/api';

// A release step (and CI's): the only writer of the schema besides the API's development-only flag.
const url = process.env.DATABASE_URL;
if (!url || !/^postgres(ql)?:\/\//.test(url)) {
  console.error('DATABASE_URL must be set to a postgres:// URL to run migrations');
  process.exit(1);
}
const applied = await migrateDatabase(url, MIGRATIONS);
console.log(applied.length ? `Applied migrations: ${applied.join(', ')}` : 'Database schema is up to date');
