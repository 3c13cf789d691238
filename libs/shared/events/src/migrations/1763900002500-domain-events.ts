import { MigrationInterface, QueryRunner } from 'typeorm';

const RENAMED_CONSTRAINTS = ['pkey', 'type_check', 'tenant_id_id_key', 'tenant_id_fkey'];

/**
 * The outbox gets the name of what it holds: `webhook_events` (created by libs/webhooks' first migration) becomes
 * `domain_events`, owned by the events contract. Its constraints and index follow the name; the row-level
 * security policy, the grants and the foreign keys pointing at it follow the table by themselves.
 */
export class DomainEvents1763900002500 implements MigrationInterface {
  name = 'DomainEvents1763900002500';

  async up(q: QueryRunner): Promise<void> {
    await this.rename(q, 'webhook_events', 'domain_events');
  }

  async down(q: QueryRunner): Promise<void> {
    await this.rename(q, 'domain_events', 'webhook_events');
  }

  private async rename(q: QueryRunner, from: string, to: string): Promise<void> {
    await q.query(`ALTER TABLE ${from} RENAME TO ${to}`);
    for (const suffix of RENAMED_CONSTRAINTS) {
      await q.query(`ALTER TABLE ${to} RENAME CONSTRAINT ${from}_${suffix} TO ${to}_${suffix}`);
    }
    await q.query(`ALTER INDEX ${from}_tenant_created RENAME TO ${to}_tenant_created`);
  }
}
