import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The rules a recurring task followed before its current one, each with the last local date it governed: a
 * rule edit re-plans only the future, so past occurrences, the streak and what was overdue stay as they were.
 */
export class TaskRuleHistory1763900001910 implements MigrationInterface {
  name = 'TaskRuleHistory1763900001910';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE action_tasks ADD COLUMN recurrence_history jsonb NOT NULL DEFAULT '[]'
         CHECK (jsonb_typeof(recurrence_history) = 'array')`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE action_tasks DROP COLUMN recurrence_history`);
  }
}
