import { MigrationInterface, QueryRunner } from 'typeorm';
import { enableTenantIsolation } from '#cairn/shared/database';

/**
 * A client's values and strengths in their own words (the authenticity check's profile). Removing one only
 * stamps removed_at, so goals linked to it keep the link (and their history) and adding the name again revives
 * it. name_key is the name lowercased: one entry per name and kind, whatever the case.
 */
export class ClientTraits1763900002600 implements MigrationInterface {
  name = 'ClientTraits1763900002600';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE client_traits (
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL,
      client_id uuid NOT NULL,
      kind text NOT NULL CHECK (kind IN ('VALUE', 'STRENGTH')),
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
      name_key text NOT NULL,
      removed_at timestamptz,
      version integer NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, id),
      CONSTRAINT client_traits_name_key_check CHECK (name_key = lower(name)),
      CONSTRAINT client_traits_tenant_client_kind_name_key UNIQUE (tenant_id, client_id, kind, name_key),
      FOREIGN KEY (tenant_id, client_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
    )`);
    await enableTenantIsolation(q, 'client_traits');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS client_traits`);
  }
}
