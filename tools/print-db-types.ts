import 'reflect-metadata';
import { Kysely, PostgresDialect, sql } from 'kysely';
import { generate, PostgresDialect as CodegenPostgresDialect } from 'kysely-codegen';
import pg from 'pg';
import { migrateDatabase, startEmbeddedPostgres } from '#cairn/shared/database';
import { MIGRATIONS } from '#cairn-app/api';
import { writeOrCheck } from './generated-file.js';

/**
 * The row types every typed query is checked against, introspected from a database that only the migrations
 * built (an in-memory PGlite, so no server and no leftovers), plus which tables row-level security guards:
 * those the query layer scopes to the tenant. `--check` fails when the committed file is stale.
 */
const postgres = await startEmbeddedPostgres(undefined);
const db = new Kysely<unknown>({
  dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: postgres.url, max: 1 }) }),
});
try {
  await migrateDatabase(postgres.url, MIGRATIONS);
  const types = await generate({
    db,
    dialect: new CodegenPostgresDialect(),
    outFile: null,
    excludePattern: 'schema_migrations',
  });
  const { rows } = await sql<{ table: string; column: string }>`
    SELECT c.relname AS table,
           CASE WHEN EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id')
                THEN 'tenant_id' ELSE 'id' END AS column
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relrowsecurity
     ORDER BY c.relname`.execute(db);
  const columns = rows.map((row) => `  ${row.table}: '${row.column}',`).join('\n');
  writeOrCheck(
    new URL('../../libs/shared/database/src/db-types.generated.ts', import.meta.url),
    `${types}
/** Tenant-owned tables (row-level security on) and the column holding their tenant. */
export const TENANT_COLUMNS = {
${columns}
} as const satisfies Partial<Record<keyof DB, string>>;
`,
    'libs/shared/database/src/db-types.generated.ts',
    'npm run db:types',
  );
} finally {
  await db.destroy();
  await postgres.stop();
}
