import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the retention purge needs: deleting a delivery makes PostgreSQL look for re-sends pointing at it
 * (`resent_from_id` has no index of its own), and the purge itself skips deliveries a kept re-send points at.
 * Without this index each deleted delivery would cost a scan of the whole table. Few rows are re-sends, hence
 * partial.
 */
export class WebhookRetention1763900000520 implements MigrationInterface {
  name = 'WebhookRetention1763900000520';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX webhook_deliveries_tenant_resent_from
      ON webhook_deliveries (tenant_id, resent_from_id) WHERE resent_from_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS webhook_deliveries_tenant_resent_from`);
  }
}
