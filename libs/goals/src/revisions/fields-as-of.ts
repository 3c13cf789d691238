import { type Expression, type RawBuilder, sql } from 'kysely';

/**
 * Typed SQL for reading goals and measures as they stood at an earlier instant. A revision records each changed
 * field with its previous value, so a field's value at `asOf` is the previous value of the first revision
 * after `asOf` that changed it, else its current value. (Fields changed outside the API, with no revision,
 * read as they are now.)
 */

/** What `fieldsBefore` yields per row: each field changed since, with its value then (JSON null: it was empty). */
export interface FieldsThen {
  was: Record<string, string | null> | null;
}

/**
 * A subquery for a LEFT JOIN LATERAL (`.leftJoinLateral(fieldsBefore(…).as(alias), (j) => j.onTrue())`) whose
 * column `was` (jsonb; null when nothing changed) maps each field that revisions matching `revisionsOf` (a
 * condition on `r`) changed after `asOf` to its value then: `"status": "ACTIVE"`, `"measure.target": "10"`,
 * `"targetDate": null`.
 */
export function fieldsBefore(revisionsOf: RawBuilder<boolean>, asOf: Date): RawBuilder<FieldsThen> {
  return sql<FieldsThen>`(
      SELECT jsonb_object_agg(f.field, f.previous) AS was FROM (
        SELECT DISTINCT ON (c.value->>'field') c.value->>'field' AS field, c.value->'previousValue' AS previous
          FROM goal_revisions r CROSS JOIN LATERAL jsonb_array_elements(r.changes) c
         WHERE ${revisionsOf} AND r.created_at > ${asOf}
         ORDER BY c.value->>'field', r.version) f)`;
}

/** A field's value at the instant of the `fieldsBefore` join `alias`, as `type`: `current` unless changed since. */
export function fieldAsOf<T>(alias: string, field: string, current: Expression<unknown>, type: string): RawBuilder<T> {
  const was = sql.ref(`${alias}.was`);
  // `->` is SQL NULL only when the field did not change; a JSON null (the field was empty) reads as NULL.
  return sql<T>`(CASE WHEN ${was} -> ${sql.lit(field)} IS NOT NULL THEN (${was} ->> ${sql.lit(field)})::${sql.raw(type)} ELSE ${current} END)`;
}

/**
 * Goal-level revisions of the goal row `g` (measure edits are revisions of the goal too, with a measure id).
 * The revisions are the goal's tenant's: correlated on the row's own tenant_id.
 */
export const goalRevisionsOf = (g: string) =>
  sql<boolean>`r.tenant_id = ${sql.ref(`${g}.tenant_id`)} AND r.goal_id = ${sql.ref(`${g}.id`)} AND r.measure_id IS NULL`;

/** Revisions of the measure row `m`. */
export const measureRevisionsOf = (m: string) =>
  sql<boolean>`r.tenant_id = ${sql.ref(`${m}.tenant_id`)} AND r.goal_id = ${sql.ref(`${m}.goal_id`)} AND r.measure_id = ${sql.ref(`${m}.id`)}`;
