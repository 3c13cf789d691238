import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Queue } from 'bullmq';
import { DateTime } from 'luxon';
import { mkdir, writeFile } from 'node:fs/promises';
import { chromium } from 'playwright-core';
import { ApiModule } from '#cairn-app/api';
import { WorkerModule } from '#cairn-app/worker';
import { EmailDeliverer } from '#cairn/messaging';
import { DueCoach, duePeriod, ReportFacts, ReportPlanner } from '#cairn/reports';
import { addDays, todayIn } from '#cairn/shared/calendar';
import { TenantDatabase } from '#cairn/shared/database';
import { QueueName } from '#cairn/shared/queue';
import { RequestContext } from '#cairn/shared/tenancy';
import {
  appQueue,
  addUser,
  coachingFirm,
  createApiKey,
  createClient,
  engage,
  errorCode,
  isolatedRedisUrl,
  type Session,
  type SmtpSink,
  startSmtpSink,
  testConfig,
  waitFor,
  ownTestDatabaseUrl,
} from '#cairn/shared/testing';
import { createTask, daysFromToday, insertGoal, logCompletion, shiftTaskDates } from './action-plan-fixtures.js';
import { sendDueEmails, TestApi, freshOwnDatabase } from './support/index.js';

const ZONE = 'Europe/London';
const CLIENT_URL_PATTERN = 'https://{firmSlug}.app.example.test/clients/{clientId}';
/** Debian's chromium (CI installs it, see .ci/run); the layout test drives it through playwright-core. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const REDIS_URL = isolatedRedisUrl('reports');
// The worker's sweeps cover every tenant in a database: in the shared one they would work on other suites' rows.
const DATABASE_URL = ownTestDatabaseUrl('reports');
beforeAll(() => freshOwnDatabase(DATABASE_URL));

const POLICY = `{ reportPolicy { enabled weekday localTime periodDays isDefault } }`;
const UPDATE_POLICY = `mutation ($input: UpdateReportPolicyInput!) { updateReportPolicy(input: $input) {
  enabled weekday localTime periodDays isDefault } }`;
const REPORT_FIELDS = `id coachId coachName periodStart periodEnd periodDays timezone generatedAt messageId subject text html
  clients { clientId displayName timezone
    checkIns { due submitted missed completionRate currentStreak }
    goals { goalId title progress previousProgress change history targetDate expectedProgress behindPace paceState paceExplanation idleDays stalled }
    overdueTaskCount oldestOverdueTasks { taskId title dueOn daysOverdue } stalledGoalCount
    notableAnswerCount notableAnswers { kind checkInId promptKey label value previousValue text }
    scores { promptKey label scaleMin scaleMax points { value } }
    riskScore riskReasons { code count points } }
  atRisk { rank clientId displayName score reasons { code count points } }`;
const REPORT = `query ($id: ID!) { coachReport(id: $id) { ${REPORT_FIELDS} } }`;
const REPORTS = `query ($coachId: ID, $first: Int, $after: String) { coachReports(coachId: $coachId, first: $first, after: $after) {
  edges { cursor node { id coachId periodStart periodEnd } } pageInfo { hasNextPage endCursor } } }`;
const MESSAGES = `query ($kind: MessageKind) { messages(kind: $kind, first: 50) { edges { node {
  id kind subject textBody htmlBody recipientUserId deliveries { channel status } } } } }`;
const FEED = `{ notifications(first: 50) { edges { node { kind title body } } } }`;

type Risk = { code: string; count: number; points: number };
type Goal = {
  goalId: string;
  title: string;
  progress: number | null;
  previousProgress: number | null;
  change: number | null;
  history: (number | null)[];
  behindPace: boolean;
  idleDays: number;
  stalled: boolean;
  expectedProgress: number | null;
  paceState: string | null;
  paceExplanation: string | null;
};
type ClientRow = {
  clientId: string;
  displayName: string;
  checkIns: { due: number; submitted: number; missed: number; completionRate: number | null; currentStreak: number };
  goals: Goal[];
  overdueTaskCount: number;
  oldestOverdueTasks: { taskId: string; title: string; dueOn: string; daysOverdue: number }[];
  stalledGoalCount: number;
  notableAnswerCount: number;
  notableAnswers: { kind: string; checkInId: string; promptKey: string; label: string; value: number | null; previousValue: number | null; text: string | null }[];
  scores: { promptKey: string; label: string; scaleMin: number; scaleMax: number; points: { value: number }[] }[];
  riskScore: number;
  riskReasons: Risk[];
};
type Report = {
  id: string;
  coachId: string;
  coachName: string;
  periodStart: string;
  periodEnd: string;
  periodDays: number;
  timezone: string;
  messageId: string | null;
  subject: string;
  text: string;
  html: string;
  clients: ClientRow[];
  atRisk: { rank: number; clientId: string; displayName: string; score: number; reasons: Risk[] }[];
};
type Edge = { cursor: string; node: { id: string; coachId: string; periodStart: string; periodEnd: string } };

let api: TestApi;
let sink: SmtpSink;
let planner: ReportPlanner;
let deliverer: EmailDeliverer;

beforeAll(async () => {
  sink = await startSmtpSink();
  api = await TestApi.start(
    ApiModule.forRoot(testConfig({ DATABASE_URL, REDIS_URL, SMTP_URL: sink.url, REPORTS_PAUSED: 'false', CLIENT_URL_PATTERN })),
  );
  planner = api.app.get(ReportPlanner, { strict: false });
  deliverer = api.app.get(EmailDeliverer, { strict: false });
});
afterAll(async () => {
  await api?.close();
  await sink?.stop();
});

const token = (session: Session) => ({ token: session.accessToken });
const london = () => DateTime.now().setZone(ZONE);
const mailTo = (address: string) => sink.received.filter((m) => JSON.stringify(m.to ?? '').includes(address));

/** Statements one call of ReportFacts.build issues for a coach's report due now. */
async function statementsToBuild(tenantId: string, coach: Session): Promise<{ statements: number; clients: number }> {
  const tenantDb = api.app.get(TenantDatabase, { strict: false });
  const facts = api.app.get(ReportFacts, { strict: false });
  const now = new Date();
  const due: DueCoach = {
    id: coach.user.id,
    displayName: 'Coach',
    timezone: ZONE,
    period: duePeriod(now, ZONE, { weekday: london().weekday, localTime: '00:00', periodDays: 7 })!,
  };
  return RequestContext.runAs({ tenantId }, () =>
    tenantDb.transaction(async (tx) => {
      const runner = tx.manager.queryRunner!;
      const original = runner.query;
      let statements = 0;
      runner.query = ((...args: Parameters<typeof original>) => {
        statements += 1;
        return original.apply(runner, args);
      }) as typeof original;
      try {
        const report = (await facts.build(tx, [due], 'Firm', now)).get(coach.user.id)!;
        return { statements, clients: report.clients.length };
      } finally {
        runner.query = original;
      }
    }),
  );
}

/** Reports go out today at 00:00 London, so one is due now (for the period ending today) and was due a week ago. */
const weekAgo = () => london().startOf('day').minus({ days: 7 }).plus({ minutes: 5 }).toJSDate();

async function dueTodayAtMidnight(admin: Session) {
  await api.ok(UPDATE_POLICY, { input: { weekday: london().weekday, localTime: '00:00' } }, token(admin));
}

const reportOf = async (session: Session, id: string) => (await api.ok<{ coachReport: Report }>(REPORT, { id }, token(session))).coachReport;
const reportIds = async (tenantId: string, coachId: string): Promise<string[]> =>
  (
    await api.dataSource.query(`SELECT id FROM coach_reports WHERE tenant_id = $1 AND coach_id = $2 ORDER BY period_start`, [
      tenantId,
      coachId,
    ])
  ).map((r: { id: string }) => r.id);


/**
 * Daily check-ins (energy 1–10, optional notes) on the last `answers.length` days, oldest first, opening at 09:00
 * London and closing at 21:00; a number is answered that day, 'missed' is marked MISSED by the worker, 'open' is
 * left PENDING after it closed (missed as well). A note (text) is answered with its check-in.
 */
async function checkInHistory(
  coach: Session,
  client: Session,
  answers: (number | 'missed' | 'open' | { energy: number; notes: string })[],
): Promise<string[]> {
  const template = await api.ok<{ createCheckInTemplate: { id: string } }>(
    `mutation ($input: CreateCheckInTemplateInput!) { createCheckInTemplate(input: $input) { id } }`,
    {
      input: {
        name: 'Daily pulse',
        prompts: [
          { key: 'energy', label: 'Energy?', type: 'SCALE' },
          { key: 'notes', label: 'Anything to discuss?', type: 'TEXT', required: false },
        ],
      },
    },
    token(coach),
  );
  // Starts tomorrow: the past occurrences below are all there is of it before today.
  const assignment = await api.ok<{ assignCheckIn: { id: string } }>(
    `mutation ($input: AssignCheckInInput!) { assignCheckIn(input: $input) { id } }`,
    {
      input: {
        clientId: client.user.id,
        templateId: template.createCheckInTemplate.id,
        recurrence: 'FREQ=DAILY',
        startsAt: `${london().plus({ days: 1 }).toISODate()}T00:00`,
        windowMinutes: 1440,
      },
    },
    token(coach),
  );
  const [{ tenant_id, template_version_id }] = await api.dataSource.query(
    `SELECT a.tenant_id, v.id AS template_version_id FROM checkin_assignments a
       JOIN checkin_template_versions v ON v.tenant_id = a.tenant_id AND v.template_id = a.template_id
      WHERE a.id = $1`,
    [assignment.assignCheckIn.id],
  );
  const ids: string[] = [];
  for (const [i, answer] of answers.entries()) {
    const day = london().startOf('day').minus({ days: answers.length - i });
    const opensAt = day.set({ hour: 9 }).toJSDate();
    const closesAt = day.set({ hour: 21 }).toJSDate();
    const [row] = await api.dataSource.query(
      `INSERT INTO check_ins (tenant_id, assignment_id, client_id, template_version_id, opens_at, closes_at, slot)
       VALUES ($1, $2, $3, $4, $5, $6, $5::timestamptz::text) RETURNING id`,
      [tenant_id, assignment.assignCheckIn.id, client.user.id, template_version_id, opensAt, closesAt],
    );
    ids.push(row.id);
    if (answer === 'open') continue;
    if (answer === 'missed') {
      await api.dataSource.query(`UPDATE check_ins SET status = 'MISSED', missed_at = closes_at WHERE id = $1`, [row.id]);
      continue;
    }
    const values = typeof answer === 'number' ? [{ key: 'energy', scale: answer }] : [{ key: 'energy', scale: answer.energy }, { key: 'notes', text: answer.notes }];
    await api.ok(
      `mutation ($input: SubmitCheckInInput!) { submitCheckIn(input: $input) { id } }`,
      { input: { checkInId: row.id, answers: values, idempotencyKey: `k-${row.id}` } },
      token(client),
    );
    // Answered on the day, as a report made then would have seen it.
    await api.dataSource.query(`UPDATE check_ins SET submitted_at = opens_at + interval '1 hour', late = false WHERE id = $1`, [row.id]);
  }
  return ids;
}

async function addMeasure(coach: Session, goalId: string, input: Record<string, unknown>): Promise<string> {
  const data = await api.ok<{ addGoalMeasure: { measure: { id: string } } }>(
    `mutation ($input: AddGoalMeasureInput!) { addGoalMeasure(input: $input) { measure { id } } }`,
    { input: { goalId, expectedVersion: 1, ...input } },
    token(coach),
  );
  return data.addGoalMeasure.measure.id;
}

/** Records progress now, or (with `at`) as if it had been recorded then. */
async function recordProgress(coach: Session, measureId: string, value: number, at?: Date): Promise<void> {
  const data = await api.ok<{ recordProgress: { progressUpdate: { id: string } } }>(
    `mutation ($input: RecordProgressInput!) { recordProgress(input: $input) { progressUpdate { id } } }`,
    { input: { measureId, value } },
    token(coach),
  );
  if (at) await api.dataSource.query(`UPDATE progress_updates SET created_at = $2, occurred_at = $2 WHERE id = $1`, [data.recordProgress.progressUpdate.id, at]);
}

/**
 * The end of the period of the report due now (see dueTodayAtMidnight): London midnight today. Reports show
 * their figures as of then, so history meant to be in a period is recorded before its end.
 */
const periodEnd = () => london().startOf('day').toJSDate();
const beforePeriodEnd = (days: number) => new Date(periodEnd().getTime() - days * 86_400_000);
/** Rows made by the fixtures now, moved back to when they would have been made. */
const madeDaysAgo = (table: string, column: string, ids: string[], days: number) =>
  api.dataSource.query(`UPDATE ${table} SET created_at = now() - make_interval(days => $2) WHERE ${column} = ANY($1::uuid[])`, [ids, days]);

/**
 * A coach with two clients and two weeks of history. Casey: answered every day of the week before last; last
 * week 8, 8, (missed), 4, (missed), 2 with a note marked for follow-up, 3; a goal behind pace whose last progress
 * was 16 days before the period's end; a task 3 days overdue. Bo: last week 7, (missed), 8, 8, (missed), 9, 9;
 * a goal at 40% since 10 days before the period's end. A third client is archived and must not appear. Goals,
 * measures and the task date from weeks ago.
 */
async function caseloadWithHistory() {
  const { firm, coach, otherCoach, client: casey } = await coachingFirm(api);
  const bo = await addUser(api, firm, 'CLIENT');
  await engage(api, firm, bo.user.id, coach.user.id);
  await api.dataSource.query(`UPDATE users SET display_name = 'Casey Client' WHERE id = $1`, [casey.user.id]);
  await api.dataSource.query(`UPDATE users SET display_name = 'Bo <b>Baker</b> & Co' WHERE id = $1`, [bo.user.id]);
  await api.dataSource.query(`UPDATE users SET display_name = 'Dana Coach' WHERE id = $1`, [coach.user.id]);
  const archived = await createClient(api, coach, { displayName: 'Archie Archived' });
  await api.ok(`mutation ($input: ArchiveClientInput!) { archiveClient(input: $input) { id } }`, { input: { id: archived.id } }, token(coach));
  await dueTodayAtMidnight(firm.admin);

  const caseyCheckIns = await checkInHistory(coach, casey, [
    7, 7, 8, 8, 9, 9, 9, // the week before last
    8, 8, 'open', 4, 'missed', { energy: 2, notes: 'My manager said <no> & I froze' }, 3, // last week
  ]);
  await api.ok(
    `mutation ($input: SetCheckInFollowUpInput!) { setCheckInFollowUp(input: $input) { id } }`,
    { input: { checkInId: caseyCheckIns[12], needsFollowUp: true } },
    token(coach),
  );
  await checkInHistory(coach, bo, [7, 'missed', 8, 8, 'open', 9, 9]);

  const today = todayIn(ZONE);
  const careerGoal = await insertGoal(api, firm.tenantId, casey.user.id, 'Become Sales Manager');
  await api.dataSource.query(
    `UPDATE goals SET status = 'ACTIVE', created_at = now() - interval '30 days', start_date = $2, target_date = $3 WHERE id = $1`,
    [careerGoal, addDays(today, -60), addDays(today, 20)],
  );
  const deals = await addMeasure(coach, careerGoal, { kind: 'NUMERIC', title: 'Deals closed', baseline: 0, target: 10 });
  // 16 days (and an hour) before the period's end.
  await recordProgress(coach, deals, 3, new Date(beforePeriodEnd(16).getTime() - 3_600_000));
  const task = await createTask(api, coach, { goalId: careerGoal, title: 'Send the <Q1> report', dueDate: daysFromToday(1) });
  await shiftTaskDates(api, task.id, -4);
  await madeDaysAgo('action_tasks', 'id', [task.id], 10);

  const runGoal = await insertGoal(api, firm.tenantId, bo.user.id, 'Run a half marathon');
  await api.dataSource.query(`UPDATE goals SET status = 'ACTIVE', created_at = now() - interval '30 days' WHERE id = $1`, [runGoal]);
  const distance = await addMeasure(coach, runGoal, { kind: 'PERCENTAGE', title: 'Of the distance', baseline: 0, target: 100 });
  await recordProgress(coach, distance, 40, beforePeriodEnd(10));
  await madeDaysAgo('goal_measures', 'goal_id', [careerGoal, runGoal], 30);
  return { firm, coach, otherCoach, casey, bo, archived, careerGoal, runGoal, distance, task, caseyCheckIns };
}

describe('a coach’s report, built from real data', () => {
  it('has each client’s check-ins, goal progress since the last report, overdue tasks, stalled goals, notable answers and an at-risk list', async () => {
    const cast = await caseloadWithHistory();
    const { firm, coach, casey, bo } = cast;
    const now = new Date();
    const today = todayIn(ZONE);

    // The week before last, as it was reported a week ago.
    expect(await planner.planTenant(firm.tenantId, weekAgo())).toMatchObject({ coaches: 1, created: 1, notDue: 0 });
    // Then Bo ran further (last week); Casey's goal did not move.
    await recordProgress(coach, cast.distance, 60, beforePeriodEnd(2));
    expect(await planner.planTenant(firm.tenantId, now)).toMatchObject({ coaches: 1, created: 1, alreadyReported: 0 });

    const [firstId, secondId] = await reportIds(firm.tenantId, coach.user.id);
    const first = await reportOf(coach, firstId);
    expect(first).toMatchObject({ periodStart: addDays(today, -14), periodEnd: addDays(today, -7), periodDays: 7, timezone: ZONE });
    expect(first.clients.map((c) => [c.displayName, c.checkIns])).toEqual([
      ['Bo <b>Baker</b> & Co', { due: 0, submitted: 0, missed: 0, completionRate: null, currentStreak: 0 }],
      ['Casey Client', { due: 7, submitted: 7, missed: 0, completionRate: 1, currentStreak: 7 }],
    ]);
    // First report: the change is unknown.
    expect(first.clients.flatMap((c) => c.goals.map((g) => [g.title, g.progress, g.change]))).toEqual([
      ['Run a half marathon', 40, null],
      ['Become Sales Manager', 30, null],
    ]);
    expect(first.clients[1]).toMatchObject({ overdueTaskCount: 0, stalledGoalCount: 0, notableAnswerCount: 0 });
    expect(first.atRisk).toEqual([]);

    const report = await reportOf(coach, secondId);
    expect(report).toMatchObject({
      coachId: coach.user.id,
      coachName: 'Dana Coach',
      periodStart: addDays(today, -7),
      periodEnd: today,
      periodDays: 7,
      timezone: ZONE,
    });
    expect(report.clients.map((c) => c.clientId)).toEqual([bo.user.id, casey.user.id]); // by name; the archived one left out
    const [boRow, caseyRow] = report.clients;

    expect(caseyRow.checkIns).toEqual({ due: 7, submitted: 5, missed: 2, completionRate: 0.714, currentStreak: 2 });
    expect(boRow.checkIns).toEqual({ due: 7, submitted: 5, missed: 2, completionRate: 0.714, currentStreak: 2 });

    const [career] = caseyRow.goals;
    expect(career).toMatchObject({
      goalId: cast.careerGoal,
      progress: 30,
      previousProgress: 30,
      change: 0,
      history: [30, 30],
      stalled: true,
      idleDays: 16,
      behindPace: true,
      expectedProgress: 75,
      paceState: 'AT_RISK',
    });
    // The same pace model as Goal.pace and the GOAL_BEHIND nudge, with its reason.
    expect(career.paceExplanation).toMatch(/At risk/);
    expect(caseyRow.stalledGoalCount).toBe(1);
    expect(boRow.goals).toEqual([
      expect.objectContaining({ goalId: cast.runGoal, progress: 60, previousProgress: 40, change: 20, history: [40, 60], stalled: false }),
    ]);
    expect(boRow.stalledGoalCount).toBe(0);

    expect(caseyRow.overdueTaskCount).toBe(1);
    expect(caseyRow.oldestOverdueTasks).toEqual([{ taskId: cast.task.id, title: 'Send the <Q1> report', dueOn: addDays(today, -3), daysOverdue: 3 }]);
    expect(boRow.overdueTaskCount).toBe(0);

    // 4 is 4 below the 8 before it (the missed day has no answer); 2 and 3 are low; the note was marked.
    expect(caseyRow.notableAnswers.map((n) => [n.kind, n.promptKey, n.value, n.previousValue, n.text])).toEqual([
      ['SCORE_DROP', 'energy', 4, 8, null],
      ['LOW_SCORE', 'energy', 2, null, null],
      ['FOLLOW_UP', 'notes', null, null, 'My manager said <no> & I froze'],
      ['LOW_SCORE', 'energy', 3, null, null],
    ]);
    expect(caseyRow.notableAnswers[2].checkInId).toBe(cast.caseyCheckIns[12]);
    expect(boRow.notableAnswers).toEqual([]);
    // The chart spans four periods: both weeks of Casey's answers.
    expect(caseyRow.scores).toEqual([
      { promptKey: 'energy', label: 'Energy?', scaleMin: 1, scaleMax: 10, points: [7, 7, 8, 8, 9, 9, 9, 8, 8, 4, 2, 3].map((value) => ({ value })) },
    ]);

    // Casey: 2 missed (4) + 1 overdue (1) + 1 stalled (3) + 1 behind pace (2) + 1 drop (2) + 2 low (2) = 14. Bo: 2 missed.
    expect(caseyRow.riskScore).toBe(14);
    expect(caseyRow.riskReasons).toEqual([
      { code: 'STALLED_GOAL', count: 1, points: 3 },
      { code: 'MISSED_CHECKIN', count: 2, points: 4 },
      { code: 'SCORE_DROP', count: 1, points: 2 },
      { code: 'GOAL_BEHIND_PACE', count: 1, points: 2 },
      { code: 'OVERDUE_TASK', count: 1, points: 1 },
      { code: 'LOW_SCORE', count: 2, points: 2 },
    ]);
    expect(report.atRisk.map((e) => [e.rank, e.displayName, e.score])).toEqual([
      [1, 'Casey Client', 14],
      [2, 'Bo <b>Baker</b> & Co', 4],
    ]);
    expect(report.atRisk[1].reasons).toEqual([{ code: 'MISSED_CHECKIN', count: 2, points: 4 }]);
  });

  it('made late, shows the figures at the period’s end: progress, answers and completions recorded since do not count', async () => {
    const { firm, coach, client } = await coachingFirm(api);
    await dueTodayAtMidnight(firm.admin);
    const goal = await insertGoal(api, firm.tenantId, client.user.id, 'Run a half marathon');
    await api.dataSource.query(`UPDATE goals SET status = 'ACTIVE', created_at = now() - interval '30 days' WHERE id = $1`, [goal]);
    const distance = await addMeasure(coach, goal, { kind: 'PERCENTAGE', title: 'Of the distance', baseline: 0, target: 100 });
    await madeDaysAgo('goal_measures', 'goal_id', [goal], 30);
    await recordProgress(coach, distance, 40, beforePeriodEnd(3));
    // Yesterday's check-in closed unanswered at 21:00; a task fell due three days ago.
    const [yesterday] = await checkInHistory(coach, client, ['open']);
    const task = await createTask(api, coach, { goalId: goal, title: 'Book the race', dueDate: daysFromToday(1) });
    await shiftTaskDates(api, task.id, -4);
    await madeDaysAgo('action_tasks', 'id', [task.id], 10);

    // The report was due at midnight but the worker was down. Since midnight the client ran further, answered
    // yesterday's check-in (late) and did the task.
    await recordProgress(coach, distance, 70);
    await api.ok(
      `mutation ($input: SubmitCheckInInput!) { submitCheckIn(input: $input) { id } }`,
      { input: { checkInId: yesterday, answers: [{ key: 'energy', scale: 6 }], idempotencyKey: `late-${yesterday}` } },
      token(client),
    );
    const logged = await logCompletion(api, coach, { taskId: task.id });
    expect(logged.logTaskCompletion.task).toMatchObject({ status: 'DONE' });
    const [goalNow] = await api.dataSource.query(`SELECT count(*)::int AS updates FROM progress_updates WHERE goal_id = $1`, [goal]);
    expect(goalNow.updates).toBe(2);
    expect(
      (await api.ok<{ goal: { progress: number } }>(`query ($id: ID!) { goal(id: $id) { progress } }`, { id: goal }, token(coach))).goal.progress,
    ).toBe(70);

    // Now the worker is back: the report shows the week as it ended.
    expect(await planner.planTenant(firm.tenantId, new Date())).toMatchObject({ created: 1 });
    const [id] = await reportIds(firm.tenantId, coach.user.id);
    const report = await reportOf(coach, id);
    expect(report).toMatchObject({ periodEnd: todayIn(ZONE) });
    const [row] = report.clients;
    expect(row.goals).toEqual([expect.objectContaining({ goalId: goal, progress: 40, history: [40], idleDays: 3, stalled: false })]);
    expect(row.checkIns).toEqual({ due: 1, submitted: 0, missed: 1, completionRate: 0, currentStreak: 0 });
    expect(row.overdueTaskCount).toBe(1);
    expect(row.oldestOverdueTasks).toEqual([{ taskId: task.id, title: 'Book the race', dueOn: daysFromToday(-3), daysOverdue: 3 }]);
    expect(row.notableAnswers).toEqual([]);
    expect(report.text).toContain('Run a half marathon: 40%');
  });

  it('costs the same number of statements for a caseload of 2 clients as for one of 6', async () => {
    const small = await caseloadWithHistory();
    const big = await caseloadWithHistory();
    for (let i = 0; i < 4; i++) {
      const extra = await addUser(api, big.firm, 'CLIENT');
      await engage(api, big.firm, extra.user.id, big.coach.user.id);
      await checkInHistory(big.coach, extra, [6, 'missed', 2]);
      const goal = await insertGoal(api, big.firm.tenantId, extra.user.id, `Goal ${i}`);
      await api.dataSource.query(`UPDATE goals SET status = 'ACTIVE', created_at = now() - interval '30 days' WHERE id = $1`, [goal]);
      await recordProgress(big.coach, await addMeasure(big.coach, goal, { kind: 'PERCENTAGE', title: 'Done', baseline: 0, target: 100 }), 10);
      const task = await createTask(api, big.coach, { goalId: goal, title: `Task ${i}`, dueDate: daysFromToday(1) });
      await shiftTaskDates(api, task.id, -2);
    }
    const few = await statementsToBuild(small.firm.tenantId, small.coach);
    const many = await statementsToBuild(big.firm.tenantId, big.coach);
    expect([few.clients, many.clients]).toEqual([2, 6]);
    expect(many.statements).toBe(few.statements);
  });

  it('is delivered as an email with text and HTML (a sparkline per client, names escaped), an in-app entry and a report.ready event', async () => {
    const { firm, coach, distance } = await caseloadWithHistory();
    await planner.planTenant(firm.tenantId, weekAgo());
    await recordProgress(coach, distance, 60, beforePeriodEnd(2));
    await planner.planTenant(firm.tenantId, new Date());
    const [, id] = await reportIds(firm.tenantId, coach.user.id);
    const report = await reportOf(coach, id);

    // The same figures in both versions.
    for (const phrase of [
      '5 of 7 check-ins submitted (71%), 2 missed, current streak 2',
      'Energy? (1–10): 7, 7, 8, 8, 9, 9, 9, 8, 8, 4, 2, 3 — falling',
      'Become Sales Manager: 30% (no change since the last report); by report: 30, 30; stalled: no progress for 16 days',
      'Run a half marathon: 60% (+20 since the last report); by report: 40, 60',
      '1 overdue task: “Send the &lt;Q1&gt; report” (3 days overdue',
      '(down from 8)',
      'Casey Client — score 14: 1 stalled goal (+3), 2 missed check-ins (+4), 1 score drop (+2), 1 goal behind pace (+2), 1 overdue task (+1), 2 low scores (+2)',
      'Bo &lt;b&gt;Baker&lt;/b&gt; &amp; Co — score 4: 2 missed check-ins (+4)',
    ]) {
      const plain = phrase.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
      expect(report.text).toContain(plain);
      expect(report.html).toContain(phrase);
    }
    const sections = report.html.split('<section').slice(1);
    expect(sections).toHaveLength(2);
    for (const section of sections) expect(section).toMatch(/<svg [^>]*role="img" aria-label="[^"]+"/);
    expect(report.html).toContain('aria-label="Progress of Run a half marathon by report: rising from 40% to 60% over 2 values"');
    expect(report.html).toContain('Anything to discuss? (marked for follow-up): “My manager said &lt;no&gt; &amp; I froze”');
    for (const raw of ['<b>Baker', '<no>', '<Q1>']) expect(report.html).not.toContain(raw);

    // One message on every channel.
    const messages = (await api.ok<{ messages: { edges: { node: { id: string; kind: string; subject: string; textBody: string; htmlBody: string; deliveries: { channel: string; status: string }[] } }[] } }>(
      MESSAGES,
      { kind: 'REPORT' },
      token(coach),
    )).messages.edges.map((e) => e.node);
    expect(messages).toHaveLength(2);
    const message = messages.find((m) => m.id === report.messageId)!;
    expect(message).toMatchObject({ kind: 'REPORT', subject: report.subject, textBody: report.text, htmlBody: report.html });
    expect(report.subject).toMatch(/^Weekly client report, .+: 2 clients, 2 at risk$/);
    expect(Object.fromEntries(message.deliveries.map((d) => [d.channel, d.status]))).toEqual({ EMAIL: 'QUEUED', IN_APP: 'SENT', WEBHOOK: 'SKIPPED' });
    const feed = await api.ok<{ notifications: { edges: { node: { kind: string; title: string; body: string } }[] } }>(FEED, {}, token(coach));
    expect(feed.notifications.edges.map((e) => e.node)).toContainEqual({
      kind: 'REPORT_READY',
      title: report.subject,
      body: '2 clients, 2 at risk: Casey Client (14), Bo <b>Baker</b> & Co (4).',
    });
    const events = await api.dataSource.query(
      `SELECT payload FROM domain_events WHERE tenant_id = $1 AND type = 'report.ready' ORDER BY created_at`,
      [firm.tenantId],
    );
    expect(events.map((e: { payload: unknown }) => e.payload)).toContainEqual({ reportId: id, coachId: coach.user.id, messageId: report.messageId });

    expect(await sendDueEmails(deliverer, firm.tenantId)).toEqual(['sent', 'sent']);
    const mail = mailTo(coach.user.email).find((m) => m.subject === report.subject)!;
    expect(mail.text?.trim()).toBe(report.text.trim());
    expect(mail.html).toContain('<svg');
    expect(mail.html).toContain('Bo &lt;b&gt;Baker&lt;/b&gt; &amp; Co');
    expect(mail.html).toContain('5 of 7 check-ins submitted (71%), 2 missed, current streak 2');
  });
});

describe('the report email in a browser', () => {
  type Shown = { text: string | null; visible: boolean };
  interface PageFacts {
    scrollWidth: number;
    clientWidth: number;
    sections: { name: string; top: number }[];
    rows: { clientId: string; href: string | null; linkVisible: boolean; bars: { visible: boolean }[]; barLabels: Shown[] }[];
    goalScale: Shown;
    barScales: Shown[];
    charts: { visible: boolean; labels: Shown[] }[];
  }
  /** What the page looks like, measured in the page (plain browser JavaScript: the test has no DOM types). */
  const MEASURE = `(() => {
    const width = document.documentElement.clientWidth;
    const visible = (el) => {
      if (!el) return false;
      const r = el.getBoundingClientRect();
      return r.width > 0 && r.height > 0 && r.left >= 0 && r.right <= width + 0.5;
    };
    const shown = (el) => ({ text: el ? el.textContent : null, visible: visible(el) });
    const all = (root, q) => [...root.querySelectorAll(q)];
    return {
      scrollWidth: document.documentElement.scrollWidth,
      clientWidth: width,
      sections: all(document, '[data-section]').map((el) => ({ name: el.getAttribute('data-section'), top: el.getBoundingClientRect().top })),
      rows: all(document, '[data-section="caseload-summary"] tr[data-client-id]').map((row) => {
        const link = row.querySelector('a[href]');
        return {
          clientId: row.getAttribute('data-client-id'),
          href: link ? link.getAttribute('href') : null,
          linkVisible: visible(link),
          bars: all(row, '[data-bar]').map((bar) => ({ visible: visible(bar) })),
          barLabels: all(row, '[data-bar-label]').map(shown),
        };
      }),
      goalScale: shown(document.querySelector('[data-scale="goals"]')),
      barScales: all(document, '[data-scale="bar"]').map(shown),
      charts: all(document, 'svg[data-chart]').map((svg) => ({
        visible: visible(svg),
        labels: ['[data-axis="max"]', '[data-axis="min"]', '[data-last]'].map((q) => shown(svg.querySelector(q))),
      })),
    };
  })()`;

  it('a report made from seeded data reads at 1280 and 390 px: summary first, a link per client, scales on bars and charts, no sideways scroll', async () => {
    const { firm, coach, casey, bo } = await caseloadWithHistory();
    // A long unbroken name with markup and a bidi override: escaped, harmless, and it must not widen the page.
    await api.dataSource.query(`UPDATE users SET display_name = $2 WHERE id = $1`, [bo.user.id, `Bo <b>Baker</b> & \u202E${'W'.repeat(100)}`]);
    await planner.planTenant(firm.tenantId, new Date());
    const [reportId] = await reportIds(firm.tenantId, coach.user.id);
    const report = await reportOf(coach, reportId);
    expect(await sendDueEmails(deliverer, firm.tenantId)).toEqual(['sent']);
    const mail = mailTo(coach.user.email).find((m) => m.subject === report.subject)!;
    const html = mail.html as string;
    expect(html).toBe(report.html);

    await mkdir('artifacts', { recursive: true });
    await writeFile('artifacts/coach-report.html', html);
    await writeFile('artifacts/coach-report.txt', mail.text ?? '');
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    try {
      for (const [device, width] of [['desktop', 1280], ['phone', 390]] as const) {
        const page = await browser.newPage({ viewport: { width, height: 900 } });
        // An email fetches nothing: any request would be an external asset.
        const requests: string[] = [];
        page.on('request', (r) => requests.push(r.url()));
        await page.setContent(html, { waitUntil: 'load' });
        await page.screenshot({ path: `artifacts/coach-report-${device}.png`, fullPage: true });
        const facts = (await page.evaluate(MEASURE)) as PageFacts;
        await page.close();

        expect(requests).toEqual([]);
        expect(facts.scrollWidth).toBeLessThanOrEqual(facts.clientWidth);
        expect(facts.sections.map((x) => x.name)).toEqual(['caseload-summary', 'at-risk', 'clients']);
        expect(facts.sections[0].top).toBeLessThan(facts.sections[1].top);
        // Highest risk first (Casey 14, Bo 4), each row linked to the client in the firm's app.
        expect(facts.rows.map((r) => r.clientId)).toEqual([casey.user.id, bo.user.id]);
        for (const row of facts.rows) {
          expect(row.href).toBe(`https://${firm.slug}.app.example.test/clients/${row.clientId}`);
          expect(row.linkVisible).toBe(true);
          for (const bar of row.bars) expect(bar.visible).toBe(true);
          for (const label of row.barLabels) expect(label.visible).toBe(true);
        }
        expect(facts.rows[0].barLabels.map((l) => l.text)).toEqual(['30%']);
        expect(facts.rows[1].barLabels.map((l) => l.text)).toEqual(['40%']);
        expect(facts.goalScale).toEqual({ text: '(0–100%)', visible: true });
        expect(facts.barScales).toHaveLength(2);
        for (const scale of facts.barScales) expect(scale).toEqual({ text: '0100%', visible: true });
        // Details by name: Bo, then Casey; each an energy chart and a goal chart, with both ends of the scale and the last value.
        expect(facts.charts).toHaveLength(4);
        for (const chart of facts.charts) {
          expect(chart.visible).toBe(true);
          for (const label of chart.labels) expect(label.visible).toBe(true);
        }
        expect(facts.charts.map((c) => c.labels.map((l) => l.text))).toEqual([
          ['10', '1', '9'],
          ['100%', '0%', '40%'],
          ['10', '1', '3'],
          ['100%', '0%', '30%'],
        ]);
      }
    } finally {
      await browser.close();
    }
  });
});

describe('one report per coach and period', () => {
  it('a re-run, a later run in the same cycle and two racing runs make and send nothing more', async () => {
    const { firm, coach, otherCoach } = await coachingFirm(api);
    await createClient(api, otherCoach, { displayName: 'Olly Other' });
    await dueTodayAtMidnight(firm.admin);
    const now = new Date();
    const results = await Promise.all([planner.planTenant(firm.tenantId, now), planner.planTenant(firm.tenantId, now)]);
    expect(results.reduce((n, r) => n + r.created, 0)).toBe(2);
    expect(results.reduce((n, r) => n + r.alreadyReported, 0)).toBe(2);
    expect(await planner.planTenant(firm.tenantId, now)).toMatchObject({ coaches: 2, created: 0, alreadyReported: 2 });
    // Later the same week: still this cycle's report.
    expect(await planner.planTenant(firm.tenantId, london().plus({ hours: 30 }).toJSDate())).toMatchObject({ created: 0 });
    const [counts] = await api.dataSource.query(
      `SELECT (SELECT count(*)::int FROM coach_reports WHERE tenant_id = $1) AS reports,
              (SELECT count(*)::int FROM messages WHERE tenant_id = $1 AND kind = 'REPORT') AS messages,
              (SELECT count(*)::int FROM notifications WHERE tenant_id = $1 AND kind = 'REPORT_READY') AS feed,
              (SELECT count(*)::int FROM domain_events WHERE tenant_id = $1 AND type = 'report.ready') AS events`,
      [firm.tenantId],
    );
    expect(counts).toEqual({ reports: 2, messages: 2, feed: 2, events: 2 });
    expect(await reportIds(firm.tenantId, coach.user.id)).toHaveLength(1);
    // The next cycle is a new report.
    expect(await planner.planTenant(firm.tenantId, london().plus({ days: 7 }).toJSDate())).toMatchObject({ created: 2 });
  });

  it('a firm can turn reports off', async () => {
    const { firm } = await coachingFirm(api);
    await dueTodayAtMidnight(firm.admin);
    expect(await planner.tenantsToReport()).toContain(firm.tenantId);
    await api.ok(UPDATE_POLICY, { input: { enabled: false } }, token(firm.admin));
    expect(await planner.planTenant(firm.tenantId, new Date())).toMatchObject({ coaches: 0, created: 0 });
    expect(await planner.tenantsToReport()).not.toContain(firm.tenantId);
    await api.ok(UPDATE_POLICY, { input: { enabled: true } }, token(firm.admin));
    expect(await planner.planTenant(firm.tenantId, new Date())).toMatchObject({ coaches: 1, created: 1 });
  });
});

describe('a coach with no valid time zone', () => {
  const FAILURES = `query ($recipientId: ID) { messages(recipientId: $recipientId, kind: REPORT, first: 50) { edges { node {
    kind subject textBody deliveries { channel status lastError } } } } }`;
  type Failure = { kind: string; subject: string; textBody: string; deliveries: { channel: string; status: string; lastError: string | null }[] };
  const messagesOf = async (session: Session, recipientId: string) =>
    (await api.ok<{ messages: { edges: { node: Failure }[] } }>(FAILURES, { recipientId }, token(session))).messages.edges.map((e) => e.node);
  const failuresOf = async (session: Session, recipientId: string) =>
    (await messagesOf(session, recipientId)).filter((m) => m.subject === 'Client report not sent');

  it('nor a valid firm default gets a FAILED entry in the delivery log, once a day; the other coaches’ reports still go out', async () => {
    const { firm, coach, otherCoach, client } = await coachingFirm(api);
    await createClient(api, otherCoach, { displayName: 'Olly Other' });
    await dueTodayAtMidnight(firm.admin);
    await api.dataSource.query(`UPDATE tenants SET default_timezone = 'Mars/Olympus_Mons' WHERE id = $1`, [firm.tenantId]);
    await api.dataSource.query(`UPDATE users SET timezone = 'Venus/Maxwell_Montes' WHERE id = $1`, [otherCoach.user.id]);
    await api.dataSource.query(`UPDATE users SET timezone = $2 WHERE id = ANY($1::uuid[])`, [[coach.user.id, client.user.id], ZONE]);

    const now = new Date();
    expect(await planner.planTenant(firm.tenantId, now)).toEqual({ coaches: 2, created: 1, notDue: 0, alreadyReported: 0, failed: 1 });
    // The sweep runs again later the same (UTC) day: nothing more is logged.
    const later = new Date(Math.min(now.getTime() + 3_600_000, Date.parse(`${now.toISOString().slice(0, 10)}T23:59:59Z`)));
    expect(await planner.planTenant(firm.tenantId, later)).toEqual({ coaches: 2, created: 0, notDue: 0, alreadyReported: 1, failed: 1 });

    for (const reader of [firm.admin, otherCoach]) {
      const failures = await messagesOf(reader, otherCoach.user.id);
      expect(failures).toHaveLength(1);
      expect(failures[0]).toMatchObject({ kind: 'REPORT', subject: 'Client report not sent' });
      expect(failures[0].deliveries.map((d) => [d.channel, d.status])).toEqual([
        ['EMAIL', 'FAILED'],
        ['IN_APP', 'FAILED'],
        ['WEBHOOK', 'FAILED'],
      ]);
      for (const delivery of failures[0].deliveries) {
        expect(delivery.lastError).toBe(
          'Invalid time zone "Venus/Maxwell_Montes" and the firm’s default time zone "Mars/Olympus_Mons" is invalid too; fix the coach’s or the firm’s time zone',
        );
      }
    }
    // Nothing went out for it: no report, no feed entry, no event.
    expect(await reportIds(firm.tenantId, otherCoach.user.id)).toEqual([]);
    const [sent] = await api.dataSource.query(
      `SELECT (SELECT count(*)::int FROM notifications WHERE tenant_id = $1 AND recipient_user_id = $2) AS feed,
              (SELECT count(*)::int FROM domain_events WHERE tenant_id = $1 AND payload->>'coachId' = $2::text) AS events`,
      [firm.tenantId, otherCoach.user.id],
    );
    expect(sent).toEqual({ feed: 0, events: 0 });

    // The coach with a zone of their own got their report, on every channel.
    const [reportId] = await reportIds(firm.tenantId, coach.user.id);
    const report = await reportOf(coach, reportId);
    expect(report.clients.map((c) => c.clientId)).toEqual([client.user.id]);
    const mine = await messagesOf(firm.admin, coach.user.id);
    expect(mine.map((m) => m.subject)).toEqual([report.subject]);
    expect(mine[0].deliveries.map((d) => [d.channel, d.status])).toEqual([
      ['EMAIL', 'QUEUED'],
      ['IN_APP', 'SENT'],
      ['WEBHOOK', 'SKIPPED'],
    ]);

    // The next day it is logged again, until someone fixes a zone.
    expect(await planner.planTenant(firm.tenantId, new Date(now.getTime() + 86_400_000))).toMatchObject({ failed: 1 });
    expect(await failuresOf(firm.admin, otherCoach.user.id)).toHaveLength(2);
    await api.dataSource.query(`UPDATE users SET timezone = $2 WHERE id = $1`, [otherCoach.user.id, ZONE]);
    expect(await planner.planTenant(firm.tenantId, new Date(now.getTime() + 2 * 86_400_000))).toMatchObject({ failed: 0 });
    expect(await failuresOf(firm.admin, otherCoach.user.id)).toHaveLength(2);
  });
});

describe('the schedule, in each coach’s own time zone', () => {
  it('before the local weekday and time a coach gets nothing; after it, one report', async () => {
    const { firm, coach } = await coachingFirm(api); // London, the firm's default
    const inAuckland = await addUser(api, firm, 'COACH');
    const inLosAngeles = await addUser(api, firm, 'COACH');
    const brokenZone = await addUser(api, firm, 'COACH');
    const noClients = await addUser(api, firm, 'COACH');
    const deactivated = await addUser(api, firm, 'COACH');
    for (const other of [inAuckland, inLosAngeles, brokenZone, deactivated]) await createClient(api, other);
    await api.dataSource.query(`UPDATE users SET timezone = 'Pacific/Auckland' WHERE id = $1`, [inAuckland.user.id]);
    await api.dataSource.query(`UPDATE users SET timezone = 'America/Los_Angeles' WHERE id = $1`, [inLosAngeles.user.id]);
    await api.dataSource.query(`UPDATE users SET timezone = 'Mars/Olympus_Mons' WHERE id = $1`, [brokenZone.user.id]);
    await api.dataSource.query(`UPDATE users SET status = 'DEACTIVATED' WHERE id = $1`, [deactivated.user.id]);
    void noClients;

    // The default schedule: Mondays at 08:00. Next Monday 06:00 in London is Monday evening in Auckland and
    // still Sunday night in Los Angeles, whose cycle's Monday 08:00 passed six days earlier.
    const monday = london().plus({ weeks: 1 }).startOf('week');
    const early = monday.set({ hour: 6 }).toJSDate();
    expect(await planner.planTenant(firm.tenantId, early)).toMatchObject({ coaches: 4, created: 2, notDue: 2, failed: 0 });
    const periods = async () =>
      Object.fromEntries(
        (
          await api.dataSource.query(`SELECT coach_id, period_start::text, period_end::text, timezone FROM coach_reports WHERE tenant_id = $1`, [
            firm.tenantId,
          ])
        ).map((r: { coach_id: string; period_start: string; period_end: string; timezone: string }) => [
          r.coach_id,
          [r.period_start, r.period_end, r.timezone],
        ]),
      );
    const mondayDate = monday.toISODate() as string;
    expect(await periods()).toEqual({
      [inAuckland.user.id]: [addDays(mondayDate, -7), mondayDate, 'Pacific/Auckland'],
      [inLosAngeles.user.id]: [addDays(mondayDate, -14), addDays(mondayDate, -7), 'America/Los_Angeles'],
    });

    const late = monday.set({ hour: 8, minute: 1 }).toJSDate();
    // Los Angeles is then still in last week's cycle (already reported) or just into Monday, before its 08:00.
    const laMonday = DateTime.fromJSDate(late, { zone: 'America/Los_Angeles' }).weekday === 1;
    expect(await planner.planTenant(firm.tenantId, late)).toEqual({
      coaches: 4,
      created: 2,
      alreadyReported: laMonday ? 1 : 2,
      notDue: laMonday ? 1 : 0,
      failed: 0,
    });
    expect(await periods()).toMatchObject({
      [coach.user.id]: [addDays(mondayDate, -7), mondayDate, ZONE],
      // An invalid zone of their own: the firm's applies.
      [brokenZone.user.id]: [addDays(mondayDate, -7), mondayDate, ZONE],
    });
    const [{ n }] = await api.dataSource.query(`SELECT count(*)::int AS n FROM coach_reports WHERE tenant_id = $1`, [firm.tenantId]);
    expect(n).toBe(4);

    // Moving the day to Tuesday mid-week does not make a second report in this cycle (the period would differ).
    await api.ok(UPDATE_POLICY, { input: { weekday: 2 } }, token(firm.admin));
    const tuesday = monday.plus({ days: 1 }).set({ hour: 9 }).toJSDate();
    expect(await planner.planTenant(firm.tenantId, tuesday)).toMatchObject({ created: 0, alreadyReported: 3, notDue: 1 });
  });

  it('fortnightly on another weekday and time', async () => {
    const { firm, coach } = await coachingFirm(api);
    await api.ok(UPDATE_POLICY, { input: { weekday: 3, localTime: '17:45', periodDays: 14 } }, token(firm.admin));
    // 2024-01-01 starts a fortnight; so does every Monday an even number of weeks after it.
    const base = DateTime.fromISO('2024-01-01', { zone: ZONE });
    const weeks = Math.ceil(london().diff(base, 'weeks').weeks / 2) * 2 + 2;
    const cycle = base.plus({ weeks });
    const wednesday = cycle.plus({ days: 2 });
    expect(await planner.planTenant(firm.tenantId, wednesday.set({ hour: 17, minute: 44 }).toJSDate())).toMatchObject({ created: 0, notDue: 1 });
    expect(await planner.planTenant(firm.tenantId, wednesday.set({ hour: 17, minute: 45 }).toJSDate())).toMatchObject({ created: 1 });
    // The second week of the fortnight is the same cycle.
    expect(await planner.planTenant(firm.tenantId, wednesday.plus({ days: 7 }).toJSDate())).toMatchObject({ created: 0, alreadyReported: 1 });
    const [id] = await reportIds(firm.tenantId, coach.user.id);
    const report = await reportOf(firm.admin, id);
    expect(report).toMatchObject({ periodDays: 14, periodStart: addDays(wednesday.toISODate() as string, -14), periodEnd: wednesday.toISODate() });
    expect(report.subject).toMatch(/^Fortnightly client report/);
  });
});

describe('reading reports through GraphQL', () => {
  it('a coach reads their own, an admin any coach’s; clients are refused; another firm sees nothing', async () => {
    const { firm, coach, otherCoach, client } = await coachingFirm(api);
    await createClient(api, otherCoach, { displayName: 'Olly Other' });
    await dueTodayAtMidnight(firm.admin);
    await planner.planTenant(firm.tenantId, new Date());
    const [mine] = await reportIds(firm.tenantId, coach.user.id);
    const [theirs] = await reportIds(firm.tenantId, otherCoach.user.id);
    const list = async (session: Session | { apiKey: string }, variables: Record<string, unknown> = {}) => {
      const credentials = 'apiKey' in session ? session : token(session);
      return (await api.ok<{ coachReports: { edges: Edge[] } }>(REPORTS, variables, credentials)).coachReports.edges.map((e) => e.node.id);
    };

    expect(await list(coach)).toEqual([mine]);
    expect(await list(coach, { coachId: coach.user.id })).toEqual([mine]);
    expect(errorCode(await api.gql(REPORTS, { coachId: otherCoach.user.id }, token(coach)))).toBe('FORBIDDEN');
    expect((await reportOf(coach, mine)).clients).toHaveLength(1);
    expect(errorCode(await api.gql(REPORT, { id: theirs }, token(coach)))).toBe('NOT_FOUND');

    expect((await list(firm.admin)).sort()).toEqual([mine, theirs].sort());
    expect(await list(firm.admin, { coachId: otherCoach.user.id })).toEqual([theirs]);
    expect((await reportOf(firm.admin, theirs)).clients.map((c) => c.displayName)).toEqual(['Olly Other']);
    expect(errorCode(await api.gql(REPORTS, { coachId: client.user.id }, token(firm.admin)))).toBe('NOT_FOUND');

    const key = await createApiKey(api, firm, ['CHECKINS_READ', 'GOALS_READ']);
    expect((await list({ apiKey: key.secret })).sort()).toEqual([mine, theirs].sort());
    const narrow = await createApiKey(api, firm, ['CHECKINS_READ']);
    expect(errorCode(await api.gql(REPORTS, {}, { apiKey: narrow.secret }))).toBe('FORBIDDEN');

    expect(errorCode(await api.gql(REPORTS, {}, token(client)))).toBe('FORBIDDEN');
    expect(errorCode(await api.gql(REPORT, { id: mine }, token(client)))).toBe('FORBIDDEN');

    const other = await coachingFirm(api);
    expect(errorCode(await api.gql(REPORTS, { coachId: coach.user.id }, token(other.firm.admin)))).toBe('NOT_FOUND');
    expect(await list(other.firm.admin)).toEqual([]);
    expect(await list(other.coach)).toEqual([]);
    expect(errorCode(await api.gql(REPORT, { id: mine }, token(other.firm.admin)))).toBe('NOT_FOUND');
    expect(errorCode(await api.gql(REPORT, { id: mine }, token(other.coach)))).toBe('NOT_FOUND');
  });

  it('pages newest first and refuses bad input', async () => {
    const { firm, coach } = await coachingFirm(api);
    await dueTodayAtMidnight(firm.admin);
    await planner.planTenant(firm.tenantId, weekAgo());
    await planner.planTenant(firm.tenantId, new Date());
    const [older, newer] = await reportIds(firm.tenantId, coach.user.id);
    const page = await api.ok<{ coachReports: { edges: Edge[]; pageInfo: { hasNextPage: boolean; endCursor: string } } }>(REPORTS, { first: 1 }, token(coach));
    expect(page.coachReports.edges.map((e) => e.node.id)).toEqual([newer]);
    expect(page.coachReports.pageInfo.hasNextPage).toBe(true);
    const next = await api.ok<{ coachReports: { edges: Edge[]; pageInfo: { hasNextPage: boolean } } }>(
      REPORTS,
      { first: 1, after: page.coachReports.pageInfo.endCursor },
      token(coach),
    );
    expect(next.coachReports.edges.map((e) => e.node.id)).toEqual([older]);
    expect(next.coachReports.pageInfo.hasNextPage).toBe(false);

    expect(errorCode(await api.gql(REPORT, { id: 'not-an-id' }, token(coach)))).toBe('BAD_USER_INPUT');
    expect(errorCode(await api.gql(REPORTS, { coachId: 'nope' }, token(firm.admin)))).toBe('BAD_USER_INPUT');
    expect(errorCode(await api.gql(REPORTS, { first: 0 }, token(coach)))).toBe('BAD_USER_INPUT');
    expect(errorCode(await api.gql(REPORTS, { after: 'garbage' }, token(coach)))).toBe('BAD_USER_INPUT');
    expect(errorCode(await api.gql(REPORT, { id: '00000000-0000-4000-8000-000000000000' }, token(coach)))).toBe('NOT_FOUND');
  });
});

describe('the report policy through GraphQL', () => {
  it('anyone in the firm reads it; only an admin changes it; bad values are refused; other firms keep theirs', async () => {
    const { firm, coach, client } = await coachingFirm(api);
    expect((await api.ok<{ reportPolicy: unknown }>(POLICY, {}, token(client))).reportPolicy).toEqual({
      enabled: true,
      weekday: 1,
      localTime: '08:00',
      periodDays: 7,
      isDefault: true,
    });
    expect(errorCode(await api.gql(UPDATE_POLICY, { input: { weekday: 2 } }, token(coach)))).toBe('FORBIDDEN');
    expect(errorCode(await api.gql(UPDATE_POLICY, { input: { weekday: 2 } }, token(client)))).toBe('FORBIDDEN');
    const key = await createApiKey(api, firm, ['CHECKINS_READ', 'CHECKINS_WRITE', 'GOALS_READ']);
    expect(errorCode(await api.gql(UPDATE_POLICY, { input: { weekday: 2 } }, { apiKey: key.secret }))).toBe('FORBIDDEN');
    for (const input of [{ weekday: 0 }, { weekday: 8 }, { localTime: '24:00' }, { localTime: '8:00' }, { periodDays: 10 }, { periodDays: 0 }]) {
      expect(errorCode(await api.gql(UPDATE_POLICY, { input }, token(firm.admin)))).toBe('BAD_USER_INPUT');
    }
    expect((await api.ok<{ reportPolicy: { isDefault: boolean } }>(POLICY, {}, token(coach))).reportPolicy.isDefault).toBe(true);
    const updated = await api.ok<{ updateReportPolicy: unknown }>(UPDATE_POLICY, { input: { weekday: 5, localTime: '16:30' } }, token(firm.admin));
    expect(updated.updateReportPolicy).toEqual({ enabled: true, weekday: 5, localTime: '16:30', periodDays: 7, isDefault: false });
    const again = await api.ok<{ updateReportPolicy: unknown }>(UPDATE_POLICY, { input: { periodDays: 14 } }, token(firm.admin));
    expect(again.updateReportPolicy).toEqual({ enabled: true, weekday: 5, localTime: '16:30', periodDays: 14, isDefault: false });
    const other = await coachingFirm(api);
    expect((await api.ok<{ reportPolicy: { isDefault: boolean; weekday: number } }>(POLICY, {}, token(other.coach))).reportPolicy).toMatchObject({
      isDefault: true,
      weekday: 1,
    });
  });
});

describe('the firm’s own client links', () => {
  const SET = `mutation ($input: UpdateReportPolicyInput!) { updateReportPolicy(input: $input) { clientUrlPattern } }`;
  const fieldsOf = (result: { errors?: { extensions?: Record<string, unknown> }[] }) =>
    ((result.errors?.[0]?.extensions?.fields as { field: string }[] | undefined) ?? []).map((f) => f.field);

  it('an admin sets the pattern reports link clients with; bad ones are BAD_USER_INPUT naming it; coaches cannot; other firms keep the deployment’s', async () => {
    const { firm, coach, client } = await coachingFirm(api);
    const other = await coachingFirm(api);
    for (const bad of [
      'ftp://app.example.test/{clientId}',
      'https://app.example.test/clients',
      'https://app.example.test/{clientId}/{userId}',
      'javascript:alert({clientId})',
      '/clients/{clientId}',
      `https://app.example.test/${'x'.repeat(500)}/{clientId}`,
    ]) {
      const result = await api.gql(SET, { input: { clientUrlPattern: bad } }, token(firm.admin));
      expect(errorCode(result)).toBe('BAD_USER_INPUT');
      expect(fieldsOf(result)).toEqual(['clientUrlPattern']);
    }
    expect(errorCode(await api.gql(SET, { input: { clientUrlPattern: 'https://x.example.test/{clientId}' } }, token(coach)))).toBe('FORBIDDEN');
    const key = await createApiKey(api, firm, ['CHECKINS_READ', 'CHECKINS_WRITE', 'GOALS_READ']);
    expect(errorCode(await api.gql(SET, { input: { clientUrlPattern: 'https://x.example.test/{clientId}' } }, { apiKey: key.secret }))).toBe('FORBIDDEN');
    const POLICY_LINK = `{ reportPolicy { clientUrlPattern } }`;
    expect((await api.ok<{ reportPolicy: { clientUrlPattern: string | null } }>(POLICY_LINK, {}, token(coach))).reportPolicy.clientUrlPattern).toBeNull();

    const own = 'https://coach.example.test/{firmSlug}/people/{clientId}?tab=progress';
    const set = await api.ok<{ updateReportPolicy: { clientUrlPattern: string } }>(SET, { input: { clientUrlPattern: own } }, token(firm.admin));
    expect(set.updateReportPolicy.clientUrlPattern).toBe(own);
    expect((await api.ok<{ reportPolicy: { clientUrlPattern: string | null } }>(POLICY_LINK, {}, token(other.coach))).reportPolicy.clientUrlPattern).toBeNull();

    // The next reports: this firm's links go to its own app, the other firm's to the deployment's pattern.
    await dueTodayAtMidnight(firm.admin);
    await dueTodayAtMidnight(other.firm.admin);
    await planner.planTenant(firm.tenantId, new Date());
    await planner.planTenant(other.firm.tenantId, new Date());
    const mine = await reportOf(coach, (await reportIds(firm.tenantId, coach.user.id))[0]);
    const link = `https://coach.example.test/${firm.slug}/people/${client.user.id}?tab=progress`;
    expect(mine.html).toContain(`href="${link}"`);
    expect(mine.text).toContain(link);
    const theirs = await reportOf(other.coach, (await reportIds(other.firm.tenantId, other.coach.user.id))[0]);
    expect(theirs.html).toContain(`href="https://${other.firm.slug}.app.example.test/clients/${other.client.user.id}"`);

    // An empty pattern goes back to the deployment's.
    const cleared = await api.ok<{ updateReportPolicy: { clientUrlPattern: string | null } }>(SET, { input: { clientUrlPattern: '' } }, token(firm.admin));
    expect(cleared.updateReportPolicy.clientUrlPattern).toBeNull();
  });
});

describe('through the worker', () => {
  let worker: INestApplicationContext | undefined;
  let queues: Queue[] = [];
  afterAll(async () => {
    await worker?.close();
    for (const queue of queues) {
      await queue.obliterate({ force: true });
      await queue.close();
    }
  });

  it('a plan job for the tenant makes the report and the email job delivers it, once', async () => {
    queues = [QueueName.REPORTS, QueueName.MESSAGES].map((name) => appQueue(name, REDIS_URL));
    for (const queue of queues) await queue.obliterate({ force: true });
    const { firm, coach } = await coachingFirm(api);
    await dueTodayAtMidnight(firm.admin);
    expect(await planner.tenantsToReport()).toContain(firm.tenantId);

    // The scheduled sweep runs at boot and would report on every coach of this suite's firms: here it only
    // sees this tenant. The plan job below is the real one.
    const tenantId = firm.tenantId;
    class ThisTenantOnly extends ReportPlanner {
      override async tenantsToReport(): Promise<string[]> {
        return (await super.tenantsToReport()).filter((id) => id === tenantId);
      }
    }
    const moduleRef = await Test.createTestingModule({
      imports: [WorkerModule.forRoot(testConfig({ DATABASE_URL, REDIS_URL, SMTP_URL: sink.url, REPORTS_PAUSED: 'false' }))],
    })
      .overrideProvider(ReportPlanner)
      .useClass(ThisTenantOnly)
      .compile();
    moduleRef.useLogger(false);
    worker = await moduleRef.init();
    await queues[0].add('reports.plan-tenant', { tenantId, period: 'worker-test' }, { jobId: `worker-test-${tenantId}` });

    const [mail] = await waitFor('the report email', () => mailTo(coach.user.email).length > 0 && mailTo(coach.user.email));
    expect(mail.subject).toMatch(/^Weekly client report, .+: 1 client, 0 at risk$/);
    expect(mail.text).toContain('No client is at risk this week.');
    expect(mail.html).toContain('No client is at risk this week.');
    await waitFor('the delivery to be recorded', async () => {
      const [row] = await api.dataSource.query(
        `SELECT d.status FROM coach_reports r JOIN message_deliveries d ON d.tenant_id = r.tenant_id AND d.message_id = r.message_id
          WHERE r.tenant_id = $1 AND d.channel = 'EMAIL'`,
        [tenantId],
      );
      return row?.status === 'SENT';
    });
    expect(await reportIds(tenantId, coach.user.id)).toHaveLength(1);
    expect(mailTo(coach.user.email)).toHaveLength(1);
  });
});
