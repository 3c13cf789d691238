import { QueryRunner } from 'typeorm';

/** The non-owner role every tenant transaction switches to. Created by the first migration. */
export const APP_DB_ROLE = 'cairn_app';

/**
 * Migration helper: turns on row-level security for a tenant-owned table. The policy compares against
 * `app_current_tenant()`, which is NULL (so no row matches) unless the transaction set `app.tenant_id`.
 */
export async function enableTenantIsolation(queryRunner: QueryRunner, table: string): Promise<void> {
  await queryRunner.query(`ALTER TABLE "${table}" ENABLE ROW LEVEL SECURITY`);
  await queryRunner.query(
    `CREATE POLICY tenant_isolation ON "${table}" FOR ALL TO ${APP_DB_ROLE}
       USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant())`,
  );
  await queryRunner.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON "${table}" TO ${APP_DB_ROLE}`);
}
