import { addDays, todayIn } from '#cairn/shared/calendar';
import { errorCode, type GqlResult, type Session } from '#cairn/shared/testing';
import { TestApi } from './support/index.js';

/** Shared by the action-plan suites: GraphQL documents and a few shortcuts. */
export const TASK = `id goalId clientId title notes status startDate dueDate recurrence countTarget completedAt version`;
export const CREATE_TASK = `mutation ($input: CreateActionTaskInput!) { createActionTask(input: $input) { ${TASK} } }`;
export const UPDATE_TASK = `mutation ($input: UpdateActionTaskInput!) { updateActionTask(input: $input) {
  ${TASK} dependencies { id } blockedBy { id } } }`;
export const GET_TASK = `query ($id: ID!) { actionTask(id: $id) {
  ${TASK} loggedCount streak { current longest asOf todayPending } dependencies { id } blockedBy { id } } }`;
export const LOG = `mutation ($input: LogTaskCompletionInput!) { logTaskCompletion(input: $input) {
  completion { id taskId occurrenceOn count note loggedByUserId loggedByApiKeyId createdAt }
  task { id status completedAt version loggedCount blockedBy { id } } } }`;
export const AGENDA_ITEM = `kind date clientId loggedCount daysOverdue task { id title }`;
export const OVERDUE = `query ($clientId: ID, $coachId: ID, $limit: Int) {
  overdueTasks(clientId: $clientId, coachId: $coachId, limit: $limit) { totalCount items { ${AGENDA_ITEM} } } }`;
export const UPCOMING = `query ($clientId: ID, $coachId: ID, $days: Int, $limit: Int) {
  upcomingTasks(clientId: $clientId, coachId: $coachId, days: $days, limit: $limit) { totalCount items { ${AGENDA_ITEM} } } }`;

export const LONDON = 'Europe/London';
/** The firm fixture's default zone, so "today" for a client without a zone of their own. */
export const today = (zone = LONDON) => todayIn(zone);
export const daysFromToday = (days: number, zone = LONDON) => addDays(todayIn(zone), days);

export type Task = {
  id: string;
  goalId: string;
  clientId: string;
  title: string;
  status: string;
  startDate: string;
  dueDate: string | null;
  recurrence: string | null;
  countTarget: number;
  completedAt: string | null;
  version: number;
};

/** Goals come from the goals lib; these suites only need a row to hang tasks on, so they insert one directly. */
export async function insertGoal(
  api: TestApi,
  tenantId: string,
  clientId: string,
  title = 'Write better sales reports',
) {
  const [row] = await api.dataSource.query(
    `INSERT INTO goals (tenant_id, client_id, horizon, title, category) VALUES ($1, $2, 'IMMEDIATE', $3, 'SKILL') RETURNING id`,
    [tenantId, clientId, title],
  );
  return row.id as string;
}

export async function createTask(
  api: TestApi,
  session: Session,
  input: Record<string, unknown>,
): Promise<Task> {
  const data = await api.ok<{ createActionTask: Task }>(
    CREATE_TASK,
    { input },
    { token: session.accessToken },
  );
  return data.createActionTask;
}

export async function logCompletion(api: TestApi, session: Session, input: Record<string, unknown>) {
  return api.ok<{
    logTaskCompletion: { completion: Record<string, unknown>; task: Record<string, unknown> };
  }>(LOG, { input }, { token: session.accessToken });
}

/** Time passes: move a task's dates back (the API refuses past due dates on create, as it should). */
export async function shiftTaskDates(api: TestApi, taskId: string, days: number) {
  await api.dataSource.query(
    `UPDATE action_tasks SET start_date = start_date + $2::int, due_date = due_date + $2::int WHERE id = $1`,
    [taskId, days],
  );
}

export async function rowCount(api: TestApi, table: string, tenantId: string): Promise<number> {
  const [row] = await api.dataSource.query(`SELECT count(*)::int AS n FROM ${table} WHERE tenant_id = $1`, [
    tenantId,
  ]);
  return row.n;
}

export const expectCode = (result: GqlResult, code: string, field?: string) => {
  if (errorCode(result) !== code)
    throw new Error(`expected ${code}, got ${JSON.stringify(result.errors ?? result.data)}`);
  if (field && !JSON.stringify(result.errors).includes(field)) {
    throw new Error(`expected the error to name ${field}: ${JSON.stringify(result.errors)}`);
  }
};
