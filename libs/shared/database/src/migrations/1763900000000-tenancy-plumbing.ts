import { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_DB_ROLE } from '../tenant-isolation.js';

/** The application role and the tenant lookup every row-level security policy uses. */
export class TenancyPlumbing1763900000000 implements MigrationInterface {
  name = 'TenancyPlumbing1763900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Roles are cluster-wide, so several databases (dev, test) share it: create it only once.
    await queryRunner.query(`DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${APP_DB_ROLE}') THEN
          CREATE ROLE ${APP_DB_ROLE} NOLOGIN NOSUPERUSER NOBYPASSRLS;
        END IF;
      END $$`);
    // The connecting (owner) role must be able to SET ROLE to it; superusers already can.
    await queryRunner.query(`DO $$ BEGIN
        IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
          EXECUTE format('GRANT ${APP_DB_ROLE} TO %I', current_user);
        END IF;
      END $$`);
    await queryRunner.query(`GRANT USAGE ON SCHEMA public TO ${APP_DB_ROLE}`);
    await queryRunner.query(`CREATE OR REPLACE FUNCTION app_current_tenant() RETURNS uuid
      LANGUAGE sql STABLE AS $$ SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid $$`);
    await queryRunner.query(`GRANT EXECUTE ON FUNCTION app_current_tenant() TO ${APP_DB_ROLE}`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION IF EXISTS app_current_tenant()`);
    await queryRunner.query(`REVOKE USAGE ON SCHEMA public FROM ${APP_DB_ROLE}`);
  }
}
