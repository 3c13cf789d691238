import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Whose opt-out an email's unsubscribe link sets when its recipient has no account (a supporter): the deliverer
 * puts RFC 8058's List-Unsubscribe headers on such an email too. No foreign key: the member lives in a library
 * above messaging (supporters), and an opt-out for a member since removed simply matches nobody.
 */
export class MessageListMember1763900002850 implements MigrationInterface {
  name = 'MessageListMember1763900002850';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE messages ADD COLUMN list_member_id uuid`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE messages DROP COLUMN list_member_id`);
  }
}
