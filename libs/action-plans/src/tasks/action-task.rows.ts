import type { QueryCreator } from 'kysely';
import { dateText, type RowOf, type SameKeys, type TenantDB } from '#cairn/shared/database';
import { ActionTask, type PastRule, type TaskStatus } from './action-task.entity.js';

/**
 * Tasks as typed SQL: every column of `action_tasks t`, named by the entity's property, dates as their
 * `YYYY-MM-DD` text. Add filters and order; hydrate with `toTask`.
 */
export function selectTasks(db: QueryCreator<TenantDB>) {
  return db
    .selectFrom('action_tasks as t')
    .select([
      't.id',
      't.tenant_id as tenantId',
      't.goal_id as goalId',
      't.client_id as clientId',
      't.title',
      't.notes',
      't.status',
      dateText<string>('t.start_date').as('startDate'),
      dateText('t.due_date').as('dueDate'),
      't.recurrence',
      't.recurrence_history as recurrenceHistory',
      't.count_target as countTarget',
      't.completed_at as completedAt',
      't.created_by_user_id as createdByUserId',
      't.created_by_api_key_id as createdByApiKeyId',
      't.version',
      't.created_at as createdAt',
      't.updated_at as updatedAt',
    ]);
}

export type TaskQuery = ReturnType<typeof selectTasks>;
type Selected = RowOf<TaskQuery>;
/** Its text and JSON columns narrowed to the entity's types (the table's checks and writers hold them to those). */
type TaskRow = Omit<Selected, 'status' | 'recurrenceHistory'> & { status: TaskStatus; recurrenceHistory: PastRule[] };

// Compile-time: the select list covers every property of the entity, and nothing else.
const complete: SameKeys<TaskRow, ActionTask> = true;
void complete;

export const toTask = (row: Selected): ActionTask => {
  const fields: ActionTask = row as unknown as TaskRow;
  return Object.assign(new ActionTask(), fields);
};
