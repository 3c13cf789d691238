import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Messages to someone without an account yet (an invitation): the address and name are kept on the message, and
 * the recipient user is then empty. INVITATION joins the kinds.
 */
export class InvitationMessages1763900002300 implements MigrationInterface {
  name = 'InvitationMessages1763900002300';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE messages
      ALTER COLUMN recipient_user_id DROP NOT NULL,
      ADD COLUMN recipient_email text CHECK (length(recipient_email) BETWEEN 3 AND 254),
      ADD COLUMN recipient_name text CHECK (length(recipient_name) <= 200),
      ADD CONSTRAINT messages_recipient CHECK ((recipient_user_id IS NULL) <> (recipient_email IS NULL)),
      DROP CONSTRAINT messages_kind_check,
      ADD CONSTRAINT messages_kind_check CHECK (kind IN ('NUDGE', 'REPORT', 'INVITATION'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM messages WHERE recipient_user_id IS NULL OR kind = 'INVITATION'`);
    await q.query(`ALTER TABLE messages
      DROP CONSTRAINT messages_kind_check,
      ADD CONSTRAINT messages_kind_check CHECK (kind IN ('NUDGE', 'REPORT')),
      DROP CONSTRAINT messages_recipient,
      DROP COLUMN recipient_name,
      DROP COLUMN recipient_email,
      ALTER COLUMN recipient_user_id SET NOT NULL`);
  }
}
