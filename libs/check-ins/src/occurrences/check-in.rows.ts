import type { QueryCreator } from 'kysely';
import type { RowOf, SameKeys, TenantDB } from '#cairn/shared/database';
import { CheckIn, type CheckInStatus } from './check-in.entity.js';

/** Check-ins as typed SQL: every column of `check_ins c`, named by the entity's property. Hydrate with `toCheckIn`. */
export function selectCheckIns(db: QueryCreator<TenantDB>) {
  return db
    .selectFrom('check_ins as c')
    .select([
      'c.id',
      'c.tenant_id as tenantId',
      'c.assignment_id as assignmentId',
      'c.client_id as clientId',
      'c.template_version_id as templateVersionId',
      'c.slot',
      'c.opens_at as opensAt',
      'c.closes_at as closesAt',
      'c.status',
      'c.submitted_at as submittedAt',
      'c.late',
      'c.missed_at as missedAt',
      'c.excused_at as excusedAt',
      'c.excused_by_user_id as excusedByUserId',
      'c.excuse_reason as excuseReason',
      'c.announced_at as announcedAt',
      'c.needs_follow_up as needsFollowUp',
      'c.created_at as createdAt',
    ]);
}

type CheckInRow = Omit<RowOf<ReturnType<typeof selectCheckIns>>, 'status'> & { status: CheckInStatus };

// Compile-time: the select list covers every property of the entity, and nothing else.
const complete: SameKeys<CheckInRow, CheckIn> = true;
void complete;

export const toCheckIn = (row: RowOf<ReturnType<typeof selectCheckIns>>): CheckIn => {
  const fields: CheckIn = row as CheckInRow;
  return Object.assign(new CheckIn(), fields);
};
