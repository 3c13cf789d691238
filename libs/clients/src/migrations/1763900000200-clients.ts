import { MigrationInterface, QueryRunner } from 'typeorm';
import { enableTenantIsolation } from '#cairn/shared/database';

/** Profiles of coaches and clients, and the engagements that give a coach access to a client. */
export class Clients1763900000200 implements MigrationInterface {
  name = 'Clients1763900000200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE profiles (
      user_id uuid PRIMARY KEY,
      tenant_id uuid NOT NULL,
      job_title text CHECK (length(job_title) <= 120),
      organization text CHECK (length(organization) <= 120),
      archived_at timestamptz,
      archived_by_user_id uuid,
      archive_reason text CHECK (length(archive_reason) <= 500),
      version integer NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE,
      FOREIGN KEY (tenant_id, archived_by_user_id) REFERENCES users (tenant_id, id)
    )`);
    await q.query(`CREATE UNIQUE INDEX profiles_tenant_user ON profiles (tenant_id, user_id)`);
    await enableTenantIsolation(q, 'profiles');

    await q.query(`CREATE TABLE engagements (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL,
      client_id uuid NOT NULL,
      coach_id uuid NOT NULL,
      is_primary boolean NOT NULL,
      status text NOT NULL CHECK (status IN ('ACTIVE', 'PAUSED', 'ENDED')),
      starts_on date NOT NULL,
      ends_on date CHECK (ends_on >= starts_on),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK (client_id <> coach_id),
      CHECK ((status = 'ENDED') = (ends_on IS NOT NULL)),
      FOREIGN KEY (tenant_id, client_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE,
      FOREIGN KEY (tenant_id, coach_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
    )`);
    await q.query(`CREATE INDEX engagements_tenant_created ON engagements (tenant_id, created_at, id)`);
    await q.query(`CREATE INDEX engagements_tenant_coach ON engagements (tenant_id, coach_id, status)`);
    await q.query(`CREATE INDEX engagements_tenant_client ON engagements (tenant_id, client_id, status)`);
    // One open engagement per coach and client, and at most one open primary coach per client.
    await q.query(`CREATE UNIQUE INDEX engagements_open_pair ON engagements (tenant_id, client_id, coach_id)
      WHERE status <> 'ENDED'`);
    await q.query(`CREATE UNIQUE INDEX engagements_open_primary ON engagements (tenant_id, client_id)
      WHERE status <> 'ENDED' AND is_primary`);
    await enableTenantIsolation(q, 'engagements');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS engagements`);
    await q.query(`DROP TABLE IF EXISTS profiles`);
  }
}
