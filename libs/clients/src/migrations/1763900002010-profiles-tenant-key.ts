import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Profiles are keyed by (tenant_id, user_id) like every other tenant table's keys, so the table can be distributed
 * by tenant (Citus needs the distribution column in every primary and unique key). Cheap: the existing unique
 * index becomes the primary key in place (no rebuild); user_id stays unique through users' own key.
 */
export class ProfilesTenantKey1763900002010 implements MigrationInterface {
  name = 'ProfilesTenantKey1763900002010';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE profiles DROP CONSTRAINT profiles_pkey,
         ADD CONSTRAINT profiles_pkey PRIMARY KEY USING INDEX profiles_tenant_user`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE profiles DROP CONSTRAINT profiles_pkey, ADD PRIMARY KEY (user_id)`);
    await q.query(`CREATE UNIQUE INDEX profiles_tenant_user ON profiles (tenant_id, user_id)`);
  }
}
