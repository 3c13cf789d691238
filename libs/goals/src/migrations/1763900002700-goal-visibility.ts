import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who besides the client may see a goal: the client's coaches (`visible_to_coaches`) and the firm — admins and
 * API keys — (`visible_to_firm`). Every existing goal keeps today's reach (both true). `exceeds_parent` records
 * that the client chose to make a sub-goal more visible than its parent (otherwise a child is never more
 * visible). Changes are kept in the goal's revisions as VISIBILITY_CHANGED, with the coach's consent note.
 */
export class GoalVisibility1763900002700 implements MigrationInterface {
  name = 'GoalVisibility1763900002700';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE goals
      ADD COLUMN visible_to_coaches boolean NOT NULL DEFAULT true,
      ADD COLUMN visible_to_firm boolean NOT NULL DEFAULT true,
      ADD COLUMN exceeds_parent boolean NOT NULL DEFAULT false`);
    await q.query(`ALTER TABLE goal_revisions DROP CONSTRAINT goal_revisions_action_check`);
    await q.query(`ALTER TABLE goal_revisions ADD CONSTRAINT goal_revisions_action_check CHECK (action = ANY (ARRAY[
      'CREATED'::text, 'UPDATED'::text, 'STATUS_CHANGED'::text, 'MEASURE_ADDED'::text, 'MEASURE_UPDATED'::text,
      'MEASURE_REMOVED'::text, 'VISIBILITY_CHANGED'::text]))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM goal_revisions WHERE action = 'VISIBILITY_CHANGED'`);
    await q.query(`ALTER TABLE goal_revisions DROP CONSTRAINT goal_revisions_action_check`);
    await q.query(`ALTER TABLE goal_revisions ADD CONSTRAINT goal_revisions_action_check CHECK (action = ANY (ARRAY[
      'CREATED'::text, 'UPDATED'::text, 'STATUS_CHANGED'::text, 'MEASURE_ADDED'::text, 'MEASURE_UPDATED'::text,
      'MEASURE_REMOVED'::text]))`);
    await q.query(`ALTER TABLE goals DROP COLUMN exceeds_parent, DROP COLUMN visible_to_firm, DROP COLUMN visible_to_coaches`);
  }
}
