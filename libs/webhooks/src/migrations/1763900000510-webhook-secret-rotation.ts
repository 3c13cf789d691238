import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Secret rotation with an overlap window: the secret a rotation retired keeps signing (next to the new one)
 * until `previous_secret_expires_at`, so receivers can switch without rejecting deliveries meanwhile.
 */
export class WebhookSecretRotation1763900000510 implements MigrationInterface {
  name = 'WebhookSecretRotation1763900000510';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE webhook_endpoints
      ADD COLUMN previous_secret text,
      ADD COLUMN previous_secret_expires_at timestamptz,
      ADD CONSTRAINT webhook_endpoints_previous_secret_pair
        CHECK ((previous_secret IS NULL) = (previous_secret_expires_at IS NULL))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE webhook_endpoints DROP CONSTRAINT IF EXISTS webhook_endpoints_previous_secret_pair,
      DROP COLUMN IF EXISTS previous_secret_expires_at, DROP COLUMN IF EXISTS previous_secret`);
  }
}
