import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Queue } from 'bullmq';
import { DateTime } from 'luxon';
import { ApiModule } from '#cairn-app/api';
import { WorkerModule } from '#cairn-app/worker';
import { OverdueAnnouncer } from '#cairn/action-plans';
import { CheckInLifecycleService } from '#cairn/check-ins';
import { QueueName } from '#cairn/shared/queue';
import {
  appQueue,
  coachingFirm,
  errorCode,
  isolatedRedisUrl,
  type Session,
  finishedJob,
  testConfig,
  waitFor,
  ownTestDatabaseUrl,
} from '#cairn/shared/testing';
import { createTask, daysFromToday, insertGoal, shiftTaskDates } from './action-plan-fixtures.js';
import { TestApi, freshOwnDatabase } from './support/index.js';

const ZONE = 'Europe/London';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const CREATE_TEMPLATE = `mutation ($input: CreateCheckInTemplateInput!) { createCheckInTemplate(input: $input) { id } }`;
const ASSIGN = `mutation ($input: AssignCheckInInput!) { assignCheckIn(input: $input) { id } }`;
const SUBMIT = `mutation ($input: SubmitCheckInInput!) { submitCheckIn(input: $input) { id } }`;
const AMEND = `mutation ($input: AmendCheckInInput!) { amendCheckIn(input: $input) { id amendsSubmissionId } }`;
const FEEDBACK = `mutation ($input: AddCheckInFeedbackInput!) { addCheckInFeedback(input: $input) { id } }`;
const EXCUSE = `mutation ($input: ExcuseCheckInInput!) { excuseCheckIn(input: $input) {
  id status excusedAt excusedByUserId excuseReason } }`;
const FEED = `{ notifications(first: 50) { edges { node { kind title body clientId checkInId } } } }`;

type Feed = { kind: string; title: string; body: string | null; clientId: string | null; checkInId: string | null };

// A Redis database of our own, so no other suite's worker takes our jobs.
const REDIS_URL = isolatedRedisUrl('check-in-lifecycle');
// The worker's sweeps cover every tenant in a database: in the shared one they would work on other suites' rows.
const DATABASE_URL = ownTestDatabaseUrl('check_in_lifecycle');
beforeAll(() => freshOwnDatabase(DATABASE_URL));

let api: TestApi;
let lifecycle: CheckInLifecycleService;
beforeAll(async () => {
  api = await TestApi.start(ApiModule.forRoot(testConfig({ DATABASE_URL, REDIS_URL })));
  lifecycle = api.app.get(CheckInLifecycleService, { strict: false });
});
afterAll(() => api.close());

/**
 * A client with a daily check-in that opens `hoursFromNow` hours from now (to the minute) and stays open
 * `windowMinutes`. Other suites' workers sweep this database with the real clock while we sweep with a
 * simulated one, so the opening is chosen hours away from now: their sweeps find nothing of ours to do.
 */
async function dailyCheckIn(hoursFromNow = 4, windowMinutes = 60) {
  const cast = await coachingFirm(api);
  const template = await api.ok<{ createCheckInTemplate: { id: string } }>(
    CREATE_TEMPLATE,
    { input: { name: 'Evening pulse', prompts: [{ key: 'energy', label: 'Energy?', type: 'SCALE' }] } },
    { token: cast.coach.accessToken },
  );
  const firstOpening = DateTime.now().setZone(ZONE).plus({ hours: hoursFromNow }).startOf('minute');
  const assignment = await api.ok<{ assignCheckIn: { id: string } }>(
    ASSIGN,
    {
      input: {
        clientId: cast.client.user.id,
        templateId: template.createCheckInTemplate.id,
        recurrence: 'FREQ=DAILY',
        startsAt: firstOpening.toFormat("yyyy-MM-dd'T'HH:mm"),
        windowMinutes,
      },
    },
    { token: cast.coach.accessToken },
  );
  return { ...cast, assignmentId: assignment.assignCheckIn.id, firstOpening: firstOpening.toJSDate() };
}

/** A client whose daily check-in (00:00 to 24:00 local) is open right now, for answering through the API. */
async function openCheckIn() {
  const cast = await coachingFirm(api);
  const template = await api.ok<{ createCheckInTemplate: { id: string } }>(
    CREATE_TEMPLATE,
    { input: { name: 'Daily pulse', prompts: [{ key: 'energy', label: 'Energy?', type: 'SCALE' }] } },
    { token: cast.coach.accessToken },
  );
  await api.ok(
    ASSIGN,
    {
      input: {
        clientId: cast.client.user.id,
        templateId: template.createCheckInTemplate.id,
        recurrence: 'FREQ=DAILY',
        startsAt: `${DateTime.now().setZone(ZONE).minus({ days: 1 }).toISODate()}T00:00`,
        windowMinutes: 1440,
      },
    },
    { token: cast.coach.accessToken },
  );
  const [open] = await api.dataSource.query(
    `SELECT id FROM check_ins WHERE client_id = $1 AND opens_at <= now() AND closes_at > now()`,
    [cast.client.user.id],
  );
  return { ...cast, checkInId: open.id as string };
}

const checkInsOf = (clientId: string): Promise<Array<{ id: string; status: string; opens_at: Date; closes_at: Date; announced_at: Date | null }>> =>
  api.dataSource.query(`SELECT * FROM check_ins WHERE client_id = $1 ORDER BY opens_at`, [clientId]);

const eventsOf = async (tenantId: string, type: string) =>
  (
    await api.dataSource.query(`SELECT payload FROM domain_events WHERE tenant_id = $1 AND type = $2 ORDER BY occurred_at, id`, [
      tenantId,
      type,
    ])
  ).map((r: { payload: Record<string, unknown> }) => r.payload);

const feedOf = async (session: Session): Promise<Feed[]> =>
  (await api.ok<{ notifications: { edges: { node: Feed }[] } }>(FEED, {}, { token: session.accessToken })).notifications.edges.map(
    (e) => e.node,
  );

const submit = (session: Session, checkInId: string, idempotencyKey = `key-${Math.random().toString(36).slice(2)}`) =>
  api.gql<{ submitCheckIn: { id: string } }>(
    SUBMIT,
    { input: { checkInId, answers: [{ key: 'energy', scale: 7 }], idempotencyKey } },
    { token: session.accessToken },
  );

describe('the check-in sweep', () => {
  it('materializes further ahead as time passes, and a re-run adds nothing', async () => {
    const { firm, client } = await dailyCheckIn();
    const before = await checkInsOf(client.user.id);
    expect(before.length).toBeGreaterThanOrEqual(14);
    const later = new Date(Date.now() + 3 * DAY);

    const first = await lifecycle.sweepTenant(firm.tenantId, later);
    expect(first.materialized).toBe(3);
    const after = await checkInsOf(client.user.id);
    expect(after).toHaveLength(before.length + 3);
    expect(after.at(-1)!.opens_at.getTime()).toBeGreaterThan(later.getTime() + 13 * DAY);
    const [{ materialized_through }] = await api.dataSource.query(
      `SELECT materialized_through FROM checkin_assignments WHERE client_id = $1`,
      [client.user.id],
    );
    expect(materialized_through.getTime()).toBe(later.getTime() + 14 * DAY);

    expect((await lifecycle.sweepTenant(firm.tenantId, later)).materialized).toBe(0);
    expect(await checkInsOf(client.user.id)).toHaveLength(after.length);
  });

  it('marks unanswered check-ins MISSED after their window: one checkin.missed each, and the coach hears once', async () => {
    const { firm, coach, otherCoach, client } = await dailyCheckIn();
    const [first, second] = await checkInsOf(client.user.id);
    const afterSecondClosed = new Date(second.closes_at.getTime() + 60_000);

    const swept = await lifecycle.sweepTenant(firm.tenantId, afterSecondClosed);
    expect(swept.missed).toBe(2);
    // Both had opened and closed before this sweep: MISSED, and never announced as due.
    expect(swept.announced).toBe(0);
    const rows = await checkInsOf(client.user.id);
    expect(rows.filter((r) => r.status === 'MISSED').map((r) => r.id)).toEqual([first.id, second.id]);
    expect(rows.filter((r) => r.announced_at !== null)).toHaveLength(0);

    const again = await lifecycle.sweepTenant(firm.tenantId, afterSecondClosed);
    expect(again).toEqual({ materialized: 0, missed: 0, announced: 0 });

    // One sweep, one occurredAt: order by the check-ins' opening.
    const events = (await eventsOf(firm.tenantId, 'checkin.missed')).sort((a: { opensAt: string }, b: { opensAt: string }) =>
      a.opensAt.localeCompare(b.opensAt),
    );
    expect(events.map((e: Record<string, unknown>) => e.checkInId)).toEqual([first.id, second.id]);
    expect(events[0]).toMatchObject({ clientId: client.user.id, closesAt: first.closes_at.toISOString() });

    const coachFeed = (await feedOf(coach)).filter((n) => n.kind === 'CHECKIN_MISSED');
    expect(coachFeed.map((n) => n.checkInId).sort()).toEqual([first.id, second.id].sort());
    expect(coachFeed[0].title).toContain('missed');
    expect((await feedOf(otherCoach)).length).toBe(0);
    expect((await feedOf(client)).filter((n) => n.kind === 'CHECKIN_MISSED')).toHaveLength(0);

  });

  it('announces a check-in once it opens: one checkin.due, and the client hears once', async () => {
    const { firm, coach, client } = await dailyCheckIn();
    const [first] = await checkInsOf(client.user.id);
    const justOpened = new Date(first.opens_at.getTime() + 60_000);

    const swept = await lifecycle.sweepTenant(firm.tenantId, justOpened);
    expect(swept).toMatchObject({ missed: 0, announced: 1 });
    expect((await lifecycle.sweepTenant(firm.tenantId, new Date(justOpened.getTime() + 60_000))).announced).toBe(0);

    const events = await eventsOf(firm.tenantId, 'checkin.due');
    expect(events).toEqual([
      {
        checkInId: first.id,
        clientId: client.user.id,
        assignmentId: expect.any(String),
        opensAt: first.opens_at.toISOString(),
        closesAt: first.closes_at.toISOString(),
      },
    ]);
    const clientFeed = await feedOf(client);
    expect(clientFeed).toEqual([expect.objectContaining({ kind: 'CHECKIN_DUE', checkInId: first.id, clientId: client.user.id })]);
    expect(clientFeed[0].title).toContain('Evening pulse');
    expect(clientFeed[0].body).toMatch(/Please answer by \w{3} \d{1,2} \w{3}, \d{2}:\d{2}/);
    expect(await feedOf(coach)).toHaveLength(0);

    // Once its window has passed it becomes MISSED, and is not announced again.
    const later = await lifecycle.sweepTenant(firm.tenantId, new Date(first.closes_at.getTime() + 1));
    expect(later).toMatchObject({ missed: 1, announced: 0 });
    expect(await eventsOf(firm.tenantId, 'checkin.due')).toHaveLength(1);
  });

  it('two sweeps of one tenant at once (a retry racing a replica) do the work once between them', async () => {
    const { firm, coach, client } = await dailyCheckIn();
    const [first, second] = await checkInsOf(client.user.id);
    const at = new Date(second.opens_at.getTime() + 60_000); // first closed, second open
    const results = await Promise.all([lifecycle.sweepTenant(firm.tenantId, at), lifecycle.sweepTenant(firm.tenantId, at)]);
    expect(results.reduce((n, r) => n + r.missed, 0)).toBe(1);
    expect(results.reduce((n, r) => n + r.announced, 0)).toBe(1);
    expect((await eventsOf(firm.tenantId, 'checkin.missed')).map((e: { checkInId: string }) => e.checkInId)).toEqual([first.id]);
    expect((await eventsOf(firm.tenantId, 'checkin.due')).map((e: { checkInId: string }) => e.checkInId)).toEqual([second.id]);
    expect((await feedOf(coach)).filter((n) => n.kind === 'CHECKIN_MISSED')).toHaveLength(1);
    expect((await feedOf(client)).filter((n) => n.kind === 'CHECKIN_DUE')).toHaveLength(1);
  });

  it('lists tenants with work due, and only those', async () => {
    const { firm, client } = await dailyCheckIn();
    const [first] = await checkInsOf(client.user.id);
    const quiet = await lifecycle.tenantsWithWork(new Date());
    expect(quiet).not.toContain(firm.tenantId);
    expect(await lifecycle.tenantsWithWork(new Date(first.opens_at.getTime() + 1))).toContain(firm.tenantId);
    expect(await lifecycle.tenantsWithWork(new Date(Date.now() + 2 * DAY))).toContain(firm.tenantId);
  });

  it('an excused check-in is never marked MISSED', async () => {
    const { firm, coach, client } = await dailyCheckIn();
    const [first] = await checkInsOf(client.user.id);
    await api.ok(EXCUSE, { input: { checkInId: first.id, reason: 'On holiday' } }, { token: coach.accessToken });
    const swept = await lifecycle.sweepTenant(firm.tenantId, new Date(first.closes_at.getTime() + 1));
    expect(swept.missed).toBe(0);
    expect((await checkInsOf(client.user.id))[0].status).toBe('EXCUSED');
  });
});

describe('check-in events and the feed', () => {
  it('a submission emits checkin.submitted and tells the coach; an amendment does too, naming the original', async () => {
    const { firm, coach, otherCoach, client, checkInId } = await openCheckIn();
    const first = await submit(client, checkInId);
    expect(first.errors).toBeUndefined();
    const amendment = await api.ok<{ amendCheckIn: { id: string; amendsSubmissionId: string } }>(
      AMEND,
      { input: { checkInId, answers: [{ key: 'energy', scale: 8 }], idempotencyKey: 'amend-key-0001', reason: 'Typo' } },
      { token: client.accessToken },
    );

    const events = await eventsOf(firm.tenantId, 'checkin.submitted');
    expect(events).toEqual([
      { checkInId, clientId: client.user.id, submissionId: first.data!.submitCheckIn.id, amendsSubmissionId: null, late: false },
      {
        checkInId,
        clientId: client.user.id,
        submissionId: amendment.amendCheckIn.id,
        amendsSubmissionId: first.data!.submitCheckIn.id,
        late: false,
      },
    ]);
    const feed = await feedOf(coach);
    expect(feed.map((n) => [n.kind, n.checkInId, n.title.includes('amended')])).toEqual([
      ['CHECKIN_SUBMITTED', checkInId, true],
      ['CHECKIN_SUBMITTED', checkInId, false],
    ]);
    expect(await feedOf(otherCoach)).toHaveLength(0);

    // A retried request (same key) returns the first submission and announces nothing more.
    const retryKey = 'retry-key-0001';
    const other = await openCheckIn();
    await submit(other.client, other.checkInId, retryKey);
    await submit(other.client, other.checkInId, retryKey);
    expect(await eventsOf(other.firm.tenantId, 'checkin.submitted')).toHaveLength(1);
    expect(await feedOf(other.coach)).toHaveLength(1);
  });

  it('refused answers emit nothing', async () => {
    const { firm, coach, client, checkInId } = await openCheckIn();
    const refused = await api.gql(
      SUBMIT,
      { input: { checkInId, answers: [{ key: 'energy', scale: 11 }], idempotencyKey: 'bad-answer-01' } },
      { token: client.accessToken },
    );
    expect(errorCode(refused)).toBe('BAD_USER_INPUT');
    expect(await eventsOf(firm.tenantId, 'checkin.submitted')).toHaveLength(0);
    expect(await feedOf(coach)).toHaveLength(0);
  });

  it('feedback emits checkin.feedback_added and reaches the client’s feed', async () => {
    const { firm, coach, client, checkInId } = await openCheckIn();
    await submit(client, checkInId);
    const body = `Objective feedback: ${'good progress on the report structure. '.repeat(8)}`;
    const feedback = await api.ok<{ addCheckInFeedback: { id: string } }>(
      FEEDBACK,
      { input: { checkInId, body } },
      { token: coach.accessToken },
    );
    expect(await eventsOf(firm.tenantId, 'checkin.feedback_added')).toEqual([
      { checkInId, clientId: client.user.id, feedbackId: feedback.addCheckInFeedback.id, authorUserId: coach.user.id },
    ]);
    const [notice] = (await feedOf(client)).filter((n) => n.kind === 'CHECKIN_FEEDBACK_ADDED');
    expect(notice).toMatchObject({ checkInId, clientId: client.user.id });
    expect(notice.body).toHaveLength(200);
    expect(notice.body!.endsWith('…')).toBe(true);
  });
});

describe('excusing a check-in', () => {
  it('the coach excuses a pending check-in: EXCUSED with who and why, and it leaves the statistics', async () => {
    const { coach, client, checkInId } = await openCheckIn();
    const excused = await api.ok<{ excuseCheckIn: Record<string, unknown> }>(
      EXCUSE,
      { input: { checkInId, reason: '  Ill this week  ' } },
      { token: coach.accessToken },
    );
    expect(excused.excuseCheckIn).toMatchObject({
      id: checkInId,
      status: 'EXCUSED',
      excusedByUserId: coach.user.id,
      excuseReason: 'Ill this week',
      excusedAt: expect.any(String),
    });
    expect(errorCode(await submit(client, checkInId))).toBe('CONFLICT');
    const again = await api.gql(EXCUSE, { input: { checkInId } }, { token: coach.accessToken });
    expect(errorCode(again)).toBe('CONFLICT');
  });

  it('a MISSED check-in can be excused; a submitted one cannot', async () => {
    const { coach, client, checkInId } = await openCheckIn();
    await submit(client, checkInId);
    expect(errorCode(await api.gql(EXCUSE, { input: { checkInId } }, { token: coach.accessToken }))).toBe('CONFLICT');

    const missed = await openCheckIn();
    await api.dataSource.query(`UPDATE check_ins SET status = 'MISSED', missed_at = now() WHERE id = $1`, [missed.checkInId]);
    const excused = await api.ok<{ excuseCheckIn: { status: string } }>(
      EXCUSE,
      { input: { checkInId: missed.checkInId } },
      { token: missed.coach.accessToken },
    );
    expect(excused.excuseCheckIn.status).toBe('EXCUSED');
  });

  it('only the client’s coaches and admins: the client is FORBIDDEN, another coach or firm gets NOT_FOUND; bad input is refused', async () => {
    const { firm, otherCoach, client, checkInId } = await openCheckIn();
    const stranger = await openCheckIn();
    expect(errorCode(await api.gql(EXCUSE, { input: { checkInId } }, { token: client.accessToken }))).toBe('FORBIDDEN');
    expect(errorCode(await api.gql(EXCUSE, { input: { checkInId } }, { token: otherCoach.accessToken }))).toBe('NOT_FOUND');
    expect(errorCode(await api.gql(EXCUSE, { input: { checkInId } }, { token: stranger.coach.accessToken }))).toBe('NOT_FOUND');
    expect(errorCode(await api.gql(EXCUSE, { input: { checkInId } }, { token: stranger.firm.admin.accessToken }))).toBe('NOT_FOUND');
    const tooLong = await api.gql(EXCUSE, { input: { checkInId, reason: 'x'.repeat(501) } }, { token: firm.admin.accessToken });
    expect(errorCode(tooLong)).toBe('BAD_USER_INPUT');
    expect(errorCode(await api.gql(EXCUSE, { input: { checkInId: 'not-a-uuid' } }, { token: firm.admin.accessToken }))).toBe(
      'BAD_USER_INPUT',
    );
    const [row] = await api.dataSource.query(`SELECT status FROM check_ins WHERE id = $1`, [checkInId]);
    expect(row.status).toBe('PENDING');
    const byAdmin = await api.ok<{ excuseCheckIn: { status: string } }>(EXCUSE, { input: { checkInId } }, { token: firm.admin.accessToken });
    expect(byAdmin.excuseCheckIn.status).toBe('EXCUSED');
  });
});

describe('task.overdue', () => {
  it('announces each overdue task once; tasks not yet due are left alone', async () => {
    const cast = await coachingFirm(api);
    const goalId = await insertGoal(api, cast.firm.tenantId, cast.client.user.id);
    const overdue = await createTask(api, cast.coach, { goalId, title: 'Send the Q1 report', dueDate: daysFromToday(2) });
    await shiftTaskDates(api, overdue.id, -3);
    await createTask(api, cast.coach, { goalId, title: 'Plan Q2', dueDate: daysFromToday(5) });
    const announcer = api.app.get(OverdueAnnouncer, { strict: false });

    expect(await announcer.tenantsWithOpenTasks()).toContain(cast.firm.tenantId);
    expect(await announcer.announce(cast.firm.tenantId)).toEqual({ announced: 1 });
    expect(await announcer.announce(cast.firm.tenantId)).toEqual({ announced: 0 });
    expect(await eventsOf(cast.firm.tenantId, 'task.overdue')).toEqual([
      {
        taskId: overdue.id,
        goalId,
        clientId: cast.client.user.id,
        overdueSince: daysFromToday(-1),
        daysOverdue: 1,
        recurring: false,
      },
    ]);
  });
});

describe('through the worker', () => {
  let worker: INestApplicationContext | undefined;
  let queue: Queue;
  afterAll(async () => {
    await worker?.close();
    await queue?.obliterate({ force: true });
    await queue?.close();
  });

  it('the sweep job fans out per tenant and the tenant job announces what opened', async () => {
    queue = appQueue(QueueName.CHECK_INS, REDIS_URL);
    await queue.obliterate({ force: true });
    const { client, checkInId } = await openCheckIn();
    worker = await NestFactory.createApplicationContext(WorkerModule.forRoot(testConfig({ DATABASE_URL, REDIS_URL })), { logger: false });
    const job = await queue.add('check-ins.sweep', {}, { jobId: `manual-sweep-${Date.now()}` });
    const done = await finishedJob(queue, job.id!);
    expect(done.returnvalue.tenants).toBeGreaterThanOrEqual(1);
    await waitFor(
      'the tenant job to announce the open check-in',
      async () => (await api.dataSource.query(`SELECT announced_at FROM check_ins WHERE id = $1`, [checkInId]))[0].announced_at,
    );
    expect((await feedOf(client)).filter((n) => n.kind === 'CHECKIN_DUE' && n.checkInId === checkInId)).toHaveLength(1);
  });
});
