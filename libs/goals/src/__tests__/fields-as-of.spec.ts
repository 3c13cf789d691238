import { describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import { tenantQueryCompiler } from '#cairn/shared/database';
import { fieldAsOf, fieldsBefore, goalRevisionsOf, measureRevisionsOf } from '../revisions/fields-as-of.js';

const squash = (text: string) => text.replace(/\s+/g, ' ').trim();
const db = tenantQueryCompiler('11111111-1111-4111-8111-111111111111');

describe('reading fields as they stood at an instant', () => {
  it('joins, per row, the first previous value of each field changed after the instant', () => {
    const asOf = new Date('2026-01-01T00:00:00Z');
    const q = db
      .selectFrom('goals as g')
      .leftJoinLateral(fieldsBefore(goalRevisionsOf('g'), asOf).as('was_then'), (join) => join.onTrue())
      .select('g.id')
      .compile();
    expect(squash(q.sql)).toBe(
      squash(`select "g"."id" from "goals" as "g" left join lateral (
        SELECT jsonb_object_agg(f.field, f.previous) AS was FROM (
          SELECT DISTINCT ON (c.value->>'field') c.value->>'field' AS field, c.value->'previousValue' AS previous
            FROM goal_revisions r CROSS JOIN LATERAL jsonb_array_elements(r.changes) c
           WHERE r.tenant_id = "g"."tenant_id" AND r.goal_id = "g"."id" AND r.measure_id IS NULL AND r.created_at > $1
           ORDER BY c.value->>'field', r.version) f) as "was_then" on true where "g"."tenant_id" = $2`),
    );
    expect(q.parameters[0]).toBe(asOf);
    expect(db.selectNoFrom(measureRevisionsOf('m').as('x')).compile().sql).toBe(
      'select r.tenant_id = "m"."tenant_id" AND r.goal_id = "m"."goal_id" AND r.measure_id = "m"."id" as "x"',
    );
  });

  it('reads a field from the join when it changed since (an empty value as NULL), else its current value', () => {
    expect(db.selectNoFrom(fieldAsOf('w', 'measure.target', sql.ref('m.target'), 'float8').as('x')).compile().sql).toBe(
      `select (CASE WHEN "w"."was" -> 'measure.target' IS NOT NULL THEN ("w"."was" ->> 'measure.target')::float8 ELSE "m"."target" END) as "x"`,
    );
  });
});
