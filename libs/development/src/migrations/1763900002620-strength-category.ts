import { MigrationInterface, QueryRunner } from 'typeorm';

const CATEGORIES = `'SKILL', 'TRAINING', 'RELATIONSHIP', 'JOB_THRESHOLD', 'WEAKNESS'`;

/** STRENGTH joins the development categories (a strength to build on; it maps to the goal category STRENGTH). */
export class StrengthCategory1763900002620 implements MigrationInterface {
  name = 'StrengthCategory1763900002620';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE development_items DROP CONSTRAINT development_items_category_check,
      ADD CONSTRAINT development_items_category_check CHECK (category IN (${CATEGORIES}, 'STRENGTH'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM development_items WHERE category = 'STRENGTH'`);
    await q.query(`ALTER TABLE development_items DROP CONSTRAINT development_items_category_check,
      ADD CONSTRAINT development_items_category_check CHECK (category IN (${CATEGORIES}))`);
  }
}
