import { describe, expect, it } from '@jest/globals';
import {
  fieldAsOf,
  fieldsBeforeJoin,
  goalRevisionsOf,
  measureRevisionsOf,
} from '../revisions/fields-as-of.js';

const squash = (sql: string) => sql.replace(/\s+/g, ' ').trim();

describe('reading fields as they stood at an instant', () => {
  it('joins, per row, the first previous value of each field changed after the instant', () => {
    expect(squash(fieldsBeforeJoin('was_then', goalRevisionsOf('g.tenant_id', 'g.id'), '$3'))).toBe(
      squash(`LEFT JOIN LATERAL (
        SELECT jsonb_object_agg(f.field, f.previous) AS was FROM (
          SELECT DISTINCT ON (c.value->>'field') c.value->>'field' AS field, c.value->'previousValue' AS previous
            FROM goal_revisions r CROSS JOIN LATERAL jsonb_array_elements(r.changes) c
           WHERE r.tenant_id = g.tenant_id AND r.goal_id = g.id AND r.measure_id IS NULL AND r.created_at > $3
           ORDER BY c.value->>'field', r.version) f) was_then ON true`),
    );
    expect(measureRevisionsOf('m')).toBe(
      'r.tenant_id = m.tenant_id AND r.goal_id = m.goal_id AND r.measure_id = m.id',
    );
  });

  it('reads a field from the join when it changed since (an empty value as NULL), else its current value', () => {
    expect(fieldAsOf('w', 'measure.target', 'm.target', 'float8')).toBe(
      `(CASE WHEN w.was -> 'measure.target' IS NOT NULL THEN (w.was ->> 'measure.target')::float8 ELSE m.target END)`,
    );
  });
});
