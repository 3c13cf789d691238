import { MigrationInterface, QueryRunner } from 'typeorm';

/** A firm's own link pattern for the clients in its coach reports (else CLIENT_URL_PATTERN). */
export class ReportClientLinks1763900002310 implements MigrationInterface {
  name = 'ReportClientLinks1763900002310';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE report_policies ADD COLUMN client_url_pattern text CHECK (length(client_url_pattern) BETWEEN 1 AND 500)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE report_policies DROP COLUMN client_url_pattern`);
  }
}
