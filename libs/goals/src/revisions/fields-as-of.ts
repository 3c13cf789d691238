/**
 * SQL for reading goals and measures as they stood at an earlier instant. A revision records each changed
 * field with its previous value, so a field's value at `asOf` is the previous value of the first revision
 * after `asOf` that changed it, else its current value. (Fields changed outside the API, with no revision,
 * read as they are now.)
 */

/**
 * A LATERAL join named `alias` whose column `was` (jsonb; null when nothing changed) maps each field that
 * revisions matching `revisionsOf` (a condition on `r`) changed after the instant `asOf` (an SQL expression,
 * usually a parameter) to its value then: `"status": "ACTIVE"`, `"measure.target": "10"`, `"targetDate": null`.
 */
export function fieldsBeforeJoin(alias: string, revisionsOf: string, asOf: string): string {
  return `LEFT JOIN LATERAL (
      SELECT jsonb_object_agg(f.field, f.previous) AS was FROM (
        SELECT DISTINCT ON (c.value->>'field') c.value->>'field' AS field, c.value->'previousValue' AS previous
          FROM goal_revisions r CROSS JOIN LATERAL jsonb_array_elements(r.changes) c
         WHERE ${revisionsOf} AND r.created_at > ${asOf}
         ORDER BY c.value->>'field', r.version) f) ${alias} ON true`;
}

/** A field's value at the instant of `fieldsBeforeJoin` `alias`, as `type`: `current` unless changed since. */
export function fieldAsOf(alias: string, field: string, current: string, type: string): string {
  // `->` is SQL NULL only when the field did not change; a JSON null (the field was empty) reads as NULL.
  return `(CASE WHEN ${alias}.was -> '${field}' IS NOT NULL THEN (${alias}.was ->> '${field}')::${type} ELSE ${current} END)`;
}

/** Goal-level revisions of a goal (measure edits are revisions of the goal too, with a measure id). */
export const goalRevisionsOf = (tenantId: string, goalId: string) =>
  `r.tenant_id = ${tenantId} AND r.goal_id = ${goalId} AND r.measure_id IS NULL`;

/** Revisions of the measure row `m`. */
export const measureRevisionsOf = (m: string) =>
  `r.tenant_id = ${m}.tenant_id AND r.goal_id = ${m}.goal_id AND r.measure_id = ${m}.id`;
