import type { QueryCreator } from 'kysely';
import { dateText, type RowOf, type SameKeys, type TenantDB } from '#cairn/shared/database';
import { type AssignmentStatus, CheckInAssignment, type MeasureBinding } from './checkin-assignment.entity.js';

/**
 * Assignments as typed SQL: every column of `checkin_assignments a`, named by the entity's property, `ends_on` as
 * its `YYYY-MM-DD` text. Hydrate with `toAssignment`.
 */
export function selectAssignments(db: QueryCreator<TenantDB>) {
  return db
    .selectFrom('checkin_assignments as a')
    .select([
      'a.id',
      'a.tenant_id as tenantId',
      'a.client_id as clientId',
      'a.template_id as templateId',
      'a.status',
      'a.recurrence',
      'a.starts_at as startsAt',
      dateText('a.ends_on').as('endsOn'),
      'a.window_minutes as windowMinutes',
      'a.goal_ids as goalIds',
      'a.measure_bindings as measureBindings',
      'a.created_by_user_id as createdByUserId',
      'a.materialized_through as materializedThrough',
      'a.planned_zone as plannedZone',
      'a.allows_duplicate as allowsDuplicate',
      'a.version',
      'a.created_at as createdAt',
      'a.updated_at as updatedAt',
    ]);
}

type Selected = RowOf<ReturnType<typeof selectAssignments>>;
/** Its text and JSON columns narrowed to the entity's types (the table's checks and writers hold them to those). */
type AssignmentRow = Omit<Selected, 'status' | 'measureBindings'> & {
  status: AssignmentStatus;
  measureBindings: MeasureBinding[];
};

// Compile-time: the select list covers every property of the entity, and nothing else.
const complete: SameKeys<AssignmentRow, CheckInAssignment> = true;
void complete;

export const toAssignment = (row: Selected): CheckInAssignment => {
  const fields: CheckInAssignment = row as unknown as AssignmentRow;
  return Object.assign(new CheckInAssignment(), fields);
};
