import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DateTime } from 'luxon';
import { ApiModule } from '#cairn-app/api';
import { activeGoalActivity, GoalProgressService } from '#cairn/goals';
import { TenantDatabase, type TenantTransaction } from '#cairn/shared/database';
import { RequestContext } from '#cairn/shared/tenancy';
import { coachingFirm, createApiKey, errorCode, type Session, testConfig } from '#cairn/shared/testing';
import { TestApi } from './support/index.js';

const ZONE = 'Europe/London';
const localAt = (days: number, time: string) => `${DateTime.now().setZone(ZONE).plus({ days }).toISODate()}T${time}`;

const SUBMIT = `mutation ($input: SubmitCheckInInput!) { submitCheckIn(input: $input) {
  id checkInId late amendsSubmissionId amendReason progressUpdateIds progressIssues
  answers { key scale yesNo text number choices } } }`;
const AMEND = `mutation ($input: AmendCheckInInput!) { amendCheckIn(input: $input) { id amendsSubmissionId amendReason answers { key scale } } }`;
const CHECK_IN = `query ($id: ID!) { checkIn(id: $id) { id status late submittedAt submissions { id answers { key scale } } } }`;
const OPEN = `{ checkIns(openNow: true) { edges { node { id } } } }`;

type Submission = { id: string; late: boolean; amendsSubmissionId: string | null; progressUpdateIds: string[]; progressIssues: string[] };

let api: TestApi;
beforeAll(async () => {
  api = await TestApi.start(ApiModule.forRoot(testConfig()));
});
afterAll(() => api.close());

/** A client with a daily check-in whose today's occurrence is open now (00:00 to 24:00 local). */
async function openCheckIn(extraPrompts: Record<string, unknown>[] = [], bindings: (goalIds: string[]) => unknown[] = () => []) {
  const cast = await coachingFirm(api);
  const { coach, client } = cast;
  const template = await api.ok<{ createCheckInTemplate: { id: string } }>(
    `mutation ($input: CreateCheckInTemplateInput!) { createCheckInTemplate(input: $input) { id } }`,
    {
      input: {
        name: 'Daily pulse',
        prompts: [
          { key: 'energy', label: 'Energy?', type: 'SCALE' },
          { key: 'note', label: 'Anything else?', type: 'TEXT', required: false },
          ...extraPrompts,
        ],
      },
    },
    { token: coach.accessToken },
  );
  const assignment = await api.ok<{ assignCheckIn: { id: string } }>(
    `mutation ($input: AssignCheckInInput!) { assignCheckIn(input: $input) { id } }`,
    {
      input: {
        clientId: client.user.id,
        templateId: template.createCheckInTemplate.id,
        recurrence: 'FREQ=DAILY',
        startsAt: localAt(-1, '00:00'),
        windowMinutes: 1440,
        measureBindings: bindings([]),
      },
    },
    { token: coach.accessToken },
  );
  const open = await api.ok<{ checkIns: { edges: { node: { id: string } }[] } }>(OPEN, {}, { token: client.accessToken });
  expect(open.checkIns.edges).toHaveLength(1);
  return { ...cast, checkInId: open.checkIns.edges[0].node.id, assignmentId: assignment.assignCheckIn.id };
}

const submit = (session: Session, checkInId: string, answers: unknown[], idempotencyKey = `key-${Math.random().toString(36).slice(2)}`) =>
  api.gql<{ submitCheckIn: Submission }>(SUBMIT, { input: { checkInId, answers, idempotencyKey } }, { token: session.accessToken });

const countSubmissions = async (tenantId: string) =>
  (await api.dataSource.query(`SELECT count(*)::int AS n FROM checkin_submissions WHERE tenant_id = $1`, [tenantId]))[0].n;

describe('submitting check-ins', () => {
  it('records the answers and marks the check-in SUBMITTED; a retry with the same key returns the same submission', async () => {
    const { firm, client, checkInId } = await openCheckIn();
    const answers = [{ key: 'energy', scale: 8 }, { key: 'note', text: ' Good week ' }];
    const first = await submit(client, checkInId, answers, 'retry-key-0001');
    expect(first.errors).toBeUndefined();
    expect(first.data?.submitCheckIn).toMatchObject({
      late: false,
      amendsSubmissionId: null,
      answers: [
        { key: 'energy', scale: 8, yesNo: null, text: null, number: null, choices: null },
        { key: 'note', scale: null, text: 'Good week' },
      ],
    });
    const again = await submit(client, checkInId, answers, 'retry-key-0001');
    expect(again.data?.submitCheckIn.id).toBe(first.data?.submitCheckIn.id);
    expect(await countSubmissions(firm.tenantId)).toBe(1);
    const state = await api.ok<{ checkIn: { status: string; submittedAt: string; submissions: unknown[] } }>(CHECK_IN, { id: checkInId }, { token: client.accessToken });
    expect(state.checkIn).toMatchObject({ status: 'SUBMITTED', submittedAt: expect.any(String), submissions: [expect.anything()] });
  });

  it('never overwrites: a second submission is CONFLICT, an amendment keeps the original', async () => {
    const { client, checkInId, coach } = await openCheckIn();
    const original = await submit(client, checkInId, [{ key: 'energy', scale: 3 }]);
    expect(errorCode(await submit(client, checkInId, [{ key: 'energy', scale: 9 }]))).toBe('CONFLICT');
    const amended = await api.ok<{ amendCheckIn: { amendsSubmissionId: string; amendReason: string } }>(
      AMEND,
      { input: { checkInId, answers: [{ key: 'energy', scale: 9 }], idempotencyKey: 'amend-key-0001', reason: 'Typo' } },
      { token: client.accessToken },
    );
    expect(amended.amendCheckIn).toMatchObject({ amendsSubmissionId: original.data?.submitCheckIn.id, amendReason: 'Typo' });
    const history = await api.ok<{ checkIn: { submissions: { answers: { scale: number }[] }[] } }>(CHECK_IN, { id: checkInId }, { token: coach.accessToken });
    expect(history.checkIn.submissions.map((s) => s.answers[0].scale)).toEqual([3, 9]);
  });

  it('rejects wrong answers with the prompt named, writing nothing', async () => {
    const { firm, client, checkInId } = await openCheckIn();
    const cases: Array<[unknown[], string]> = [
      [[{ key: 'energy', scale: 11 }], 'answers[0].scale'],
      [[{ key: 'energy', text: 'eight' }], 'answers[0].text'],
      [[{ key: 'note', text: 'only a note' }], 'answers.energy'],
      [[{ key: 'energy', scale: 5 }, { key: 'mood', yesNo: true }], 'answers[1].key'],
    ];
    for (const [answers, field] of cases) {
      const result = await submit(client, checkInId, answers);
      expect({ field, code: errorCode(result) }).toEqual({ field, code: 'BAD_USER_INPUT' });
      expect(JSON.stringify(result.errors?.[0].extensions?.fields)).toContain(field);
    }
    const badKey = await api.gql(SUBMIT, { input: { checkInId, answers: [{ key: 'energy', scale: 5 }], idempotencyKey: 'short' } }, { token: client.accessToken });
    expect(errorCode(badKey)).toBe('BAD_USER_INPUT');
    expect(await countSubmissions(firm.tenantId)).toBe(0);
    const state = await api.ok<{ checkIn: { status: string } }>(CHECK_IN, { id: checkInId }, { token: client.accessToken });
    expect(state.checkIn.status).toBe('PENDING');
  });

  it('only the client answers, themself or through a partner acting as them', async () => {
    const { firm, coach, client, checkInId } = await openCheckIn();
    const other = await openCheckIn();
    expect(errorCode(await submit(other.client, checkInId, [{ key: 'energy', scale: 5 }]))).toBe('NOT_FOUND');
    expect(errorCode(await submit(coach, checkInId, [{ key: 'energy', scale: 5 }]))).toBe('FORBIDDEN');
    const key = await createApiKey(api, firm, ['CLIENTS_ACT', 'CHECKINS_READ', 'CHECKINS_WRITE']);
    const acting = await api.ok<{ actAsClient: { accessToken: string } }>(
      `mutation ($clientId: ID!) { actAsClient(clientId: $clientId) { accessToken } }`,
      { clientId: client.user.id },
      { apiKey: key.secret },
    );
    const viaPartner = await submit({ accessToken: acting.actAsClient.accessToken } as Session, checkInId, [{ key: 'energy', scale: 6 }]);
    expect(viaPartner.errors).toBeUndefined();
  });

  it('reuses of an idempotency key for another check-in are CONFLICT', async () => {
    const { client, checkInId, firm } = await openCheckIn();
    await submit(client, checkInId, [{ key: 'energy', scale: 5 }], 'shared-key-0001');
    const [{ id: otherCheckIn }] = await api.dataSource.query(
      `INSERT INTO check_ins (tenant_id, assignment_id, client_id, template_version_id, opens_at, closes_at, slot)
       SELECT tenant_id, assignment_id, client_id, template_version_id, opens_at - interval '7 days', closes_at - interval '7 days',
              slot || ' a week earlier'
         FROM check_ins WHERE id = $1 RETURNING id`,
      [checkInId],
    );
    expect(errorCode(await submit(client, otherCheckIn, [{ key: 'energy', scale: 5 }], 'shared-key-0001'))).toBe('CONFLICT');
    expect(await countSubmissions(firm.tenantId)).toBe(1);
  });

  it('accepts late answers after the window and flags them; refuses check-ins not open yet', async () => {
    const { client, checkInId } = await openCheckIn();
    await api.dataSource.query(
      `UPDATE check_ins SET opens_at = now() - interval '3 days', closes_at = now() - interval '2 days', status = 'MISSED' WHERE id = $1`,
      [checkInId],
    );
    const late = await submit(client, checkInId, [{ key: 'energy', scale: 4 }]);
    expect(late.data?.submitCheckIn.late).toBe(true);
    const state = await api.ok<{ checkIn: { status: string; late: boolean } }>(CHECK_IN, { id: checkInId }, { token: client.accessToken });
    expect(state.checkIn).toMatchObject({ status: 'SUBMITTED', late: true });

    const upcoming = await api.dataSource.query(
      `SELECT id FROM check_ins WHERE client_id = $1 AND opens_at > now() ORDER BY opens_at LIMIT 1`,
      [client.user.id],
    );
    expect(errorCode(await submit(client, upcoming[0].id, [{ key: 'energy', scale: 4 }]))).toBe('CONFLICT');
  });

  it('submissions are ordered by when they were written, not by when their transaction began', async () => {
    // An amendment whose transaction began first but waited on the check-in's lock is written after the one it
    // amends; with the transaction's start as its stamp it would sort before it and pass for the older one.
    const { firm, client, coach, checkInId } = await openCheckIn();
    const { data } = await submit(client, checkInId, [{ key: 'energy', scale: 1 }]);
    const insert = `INSERT INTO checkin_submissions (tenant_id, check_in_id, client_id, answers, idempotency_key, late, amends_submission_id)
      VALUES ($1, $2, $3, $4::jsonb, $5, false, $6) RETURNING id`;
    const answers = (scale: number) => JSON.stringify([{ key: 'energy', scale }]);
    const early = api.dataSource.createQueryRunner();
    await early.startTransaction();
    try {
      await early.query(`SELECT now()`); // the transaction's start is fixed from here on
      const [second] = await api.dataSource.query(insert, [firm.tenantId, checkInId, client.user.id, answers(2), 'order-key-0002', data?.submitCheckIn.id]);
      await early.query(insert, [firm.tenantId, checkInId, client.user.id, answers(3), 'order-key-0003', second.id]);
      await early.commitTransaction();
    } finally {
      if (early.isTransactionActive) await early.rollbackTransaction();
      await early.release();
    }
    const history = await api.ok<{ checkIn: { submissions: { answers: { scale: number }[] }[] } }>(CHECK_IN, { id: checkInId }, { token: coach.accessToken });
    expect(history.checkIn.submissions.map((s) => s.answers[0].scale)).toEqual([1, 2, 3]);
  });

  it('the database refuses to rewrite a submission', async () => {
    const { firm, client, checkInId } = await openCheckIn();
    const { data } = await submit(client, checkInId, [{ key: 'energy', scale: 5 }]);
    const runner = api.dataSource.createQueryRunner();
    await runner.startTransaction();
    try {
      await runner.query(`SELECT set_config('role', 'cairn_app', true), set_config('app.tenant_id', $1, true)`, [firm.tenantId]);
      await expect(runner.query(`UPDATE checkin_submissions SET late = true WHERE id = $1`, [data?.submitCheckIn.id])).rejects.toThrow(/permission denied/);
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  });
});

describe('answers bound to goal measures; amendments never set a measure back by accident', () => {
  const PROGRESS = `query ($id: ID!) { goal(id: $id) { progress measures { id currentValue progress
    updates(last: 20) { id value occurredAt createdAt supersedesId supersededById } } } }`;
  type Update = { id: string; value: number; occurredAt: string; createdAt: string; supersedesId: string | null; supersededById: string | null };
  type MeasureView = { id: string; currentValue: number; progress: number; updates: Update[] };

  /**
   * A client whose open check-in asks for reports written (bound to a NUMERIC measure 0 → 4, the only
   * measure of its goal) and sales calls made (bound to a COUNT of 10 in 12 months, on another goal).
   */
  async function boundCheckIn() {
    const cast = await coachingFirm(api);
    const { coach, client } = cast;
    const measureOn = async (title: string, measure: Record<string, unknown>) => {
      const goal = await api.ok<{ createGoal: { id: string } }>(
        `mutation ($input: CreateGoalInput!) { createGoal(input: $input) { id } }`,
        { input: { clientId: client.user.id, horizon: 'IMMEDIATE', category: 'SKILL', title } },
        { token: coach.accessToken },
      );
      const added = await api.ok<{ addGoalMeasure: { measure: { id: string } } }>(
        `mutation ($input: AddGoalMeasureInput!) { addGoalMeasure(input: $input) { measure { id } } }`,
        { input: { goalId: goal.createGoal.id, expectedVersion: 1, ...measure } },
        { token: coach.accessToken },
      );
      return { goalId: goal.createGoal.id, measureId: added.addGoalMeasure.measure.id };
    };
    const reports = await measureOn('Write four quarterly sales reports with a qualitative section', {
      kind: 'NUMERIC', title: 'Reports', baseline: 0, target: 4,
    });
    const calls = await measureOn('Make ten prospecting sales calls this year', { kind: 'COUNT', title: 'Calls', target: 10, periodMonths: 12 });
    const template = await api.ok<{ createCheckInTemplate: { id: string } }>(
      `mutation ($input: CreateCheckInTemplateInput!) { createCheckInTemplate(input: $input) { id } }`,
      {
        input: {
          name: 'Weekly numbers',
          prompts: [
            { key: 'energy', label: 'Energy?', type: 'SCALE' },
            { key: 'reports', label: 'Reports written so far', type: 'NUMBER', recordsProgress: true },
            { key: 'calls', label: 'Sales calls this week', type: 'NUMBER', recordsProgress: true, numberMin: 0 },
          ],
        },
      },
      { token: coach.accessToken },
    );
    await api.ok(
      `mutation ($input: AssignCheckInInput!) { assignCheckIn(input: $input) { id } }`,
      {
        input: {
          clientId: client.user.id,
          templateId: template.createCheckInTemplate.id,
          recurrence: 'FREQ=DAILY',
          startsAt: localAt(-1, '00:00'),
          windowMinutes: 1440,
          measureBindings: [
            { promptKey: 'reports', measureId: reports.measureId },
            { promptKey: 'calls', measureId: calls.measureId },
          ],
        },
      },
      { token: coach.accessToken },
    );
    const open = await api.ok<{ checkIns: { edges: { node: { id: string } }[] } }>(OPEN, {}, { token: client.accessToken });
    expect(open.checkIns.edges).toHaveLength(1);
    const checkInId = open.checkIns.edges[0].node.id;
    const measure = async (of: { goalId: string }) => {
      const data = await api.ok<{ goal: { progress: number; measures: MeasureView[] } }>(PROGRESS, { id: of.goalId }, { token: coach.accessToken });
      return { goalProgress: data.goal.progress, ...data.goal.measures[0] };
    };
    const answers = (energy: number, reportsWritten: number, callsMade: number) => [
      { key: 'energy', scale: energy },
      { key: 'reports', number: reportsWritten },
      { key: 'calls', number: callsMade },
    ];
    const amend = (list: unknown[], idempotencyKey = `amend-${Math.random().toString(36).slice(2)}`) =>
      api.ok<{ amendCheckIn: Submission }>(
        `mutation ($input: AmendCheckInInput!) { amendCheckIn(input: $input) { id amendsSubmissionId progressUpdateIds progressIssues } }`,
        { input: { checkInId, answers: list, idempotencyKey } },
        { token: client.accessToken },
      );
    const recordDirectly = (measureId: string, value: number) =>
      api.ok(`mutation ($input: RecordProgressInput!) { recordProgress(input: $input) { progressUpdate { id } } }`, { input: { measureId, value } }, { token: client.accessToken });
    const submitted = async () =>
      (await api.ok<{ checkIn: { submittedAt: string } }>(CHECK_IN, { id: checkInId }, { token: client.accessToken })).checkIn.submittedAt;
    return { ...cast, checkInId, reports, calls, measure, answers, amend, recordDirectly, submitted };
  }

  it('a NUMBER answer records progress on the bound measure; a refused value keeps the answers and says why', async () => {
    const { client, checkInId, reports, calls, measure, answers } = await boundCheckIn();
    const result = await submit(client, checkInId, answers(5, 6, 0));
    expect(result.errors).toBeUndefined();
    expect(result.data?.submitCheckIn.progressUpdateIds).toHaveLength(1);
    expect(result.data?.submitCheckIn.progressIssues).toEqual([expect.stringMatching(/^calls: /)]);
    expect(await measure(reports)).toMatchObject({ currentValue: 6 });
    expect(await measure(calls)).toMatchObject({ currentValue: 0 });
  });

  it('the issue: an answer records 1, a direct update 2; amendments changing another answer record nothing and keep 2 (50%)', async () => {
    const { client, checkInId, reports, measure, answers, amend, recordDirectly } = await boundCheckIn();
    const original = await submit(client, checkInId, answers(5, 1, 3));
    expect(original.data?.submitCheckIn).toMatchObject({ progressUpdateIds: [expect.any(String), expect.any(String)], progressIssues: [] });
    expect(await measure(reports)).toMatchObject({ currentValue: 1, progress: 25, goalProgress: 25 });
    await recordDirectly(reports.measureId, 2);
    expect(await measure(reports)).toMatchObject({ currentValue: 2, progress: 50, goalProgress: 50 });

    for (const energy of [6, 7]) {
      const amendment = await amend(answers(energy, 1, 3));
      expect(amendment.amendCheckIn).toMatchObject({ progressUpdateIds: [], progressIssues: [] });
    }
    const after = await measure(reports);
    expect(after).toMatchObject({ currentValue: 2, progress: 50, goalProgress: 50 });
    expect(after.updates.map((u) => u.value)).toEqual([2, 1]);
  });

  it('an amendment that changes the bound value records one update happening at the original submission; a newer direct update stays current', async () => {
    const { client, checkInId, reports, measure, answers, amend, recordDirectly, submitted } = await boundCheckIn();
    await submit(client, checkInId, answers(5, 1, 3));
    const answeredAt = await submitted();
    await recordDirectly(reports.measureId, 2);

    const amendment = await amend(answers(5, 3, 3));
    expect(amendment.amendCheckIn.progressUpdateIds).toHaveLength(1);
    const after = await measure(reports);
    expect(after).toMatchObject({ currentValue: 2, progress: 50, goalProgress: 50 });
    const [direct, correction, original] = after.updates;
    expect({ direct: direct.value, correction: correction.value, original: original.value }).toEqual({ direct: 2, correction: 3, original: 1 });
    expect(correction).toMatchObject({ id: amendment.amendCheckIn.progressUpdateIds[0], occurredAt: answeredAt, supersedesId: original.id, supersededById: null });
    expect(original).toMatchObject({ occurredAt: answeredAt, supersededById: correction.id });
    expect(Date.parse(correction.createdAt)).toBeGreaterThan(Date.parse(direct.occurredAt));

    // Without a newer update, the corrected value is current.
    const fresh = await boundCheckIn();
    await submit(fresh.client, fresh.checkInId, fresh.answers(5, 1, 3));
    await fresh.amend(fresh.answers(5, 3, 3));
    expect(await fresh.measure(fresh.reports)).toMatchObject({ currentValue: 3, progress: 75, goalProgress: 75 });
  });

  it('the same amendment sent twice, and an amendment repeating the value, record nothing more', async () => {
    const { client, checkInId, reports, measure, answers, amend } = await boundCheckIn();
    await submit(client, checkInId, answers(5, 1, 3));
    const first = await amend(answers(5, 2, 3), 'amend-same-key-1');
    const replay = await amend(answers(5, 2, 3), 'amend-same-key-1');
    expect(replay.amendCheckIn).toEqual(first.amendCheckIn);
    const repeated = await amend(answers(8, 2, 3));
    expect(repeated.amendCheckIn.progressUpdateIds).toEqual([]);
    const after = await measure(reports);
    expect(after).toMatchObject({ currentValue: 2, progress: 50 });
    expect(after.updates.map((u) => [u.value, u.supersededById === null])).toEqual([[2, true], [1, false]]);
  });

  it('an amended COUNT replaces what that check-in contributed, down to 0, instead of adding to it', async () => {
    const { client, checkInId, calls, measure, answers, amend, recordDirectly } = await boundCheckIn();
    await submit(client, checkInId, answers(5, 1, 3));
    await recordDirectly(calls.measureId, 2);
    expect(await measure(calls)).toMatchObject({ currentValue: 5, progress: 50 });
    await amend(answers(5, 1, 4));
    expect(await measure(calls)).toMatchObject({ currentValue: 6, progress: 60 });
    const none = await amend(answers(5, 1, 0));
    expect(none.amendCheckIn).toMatchObject({ progressUpdateIds: [expect.any(String)], progressIssues: [] });
    expect(await measure(calls)).toMatchObject({ currentValue: 2, progress: 20 });
    await amend(answers(5, 1, 1));
    const after = await measure(calls);
    expect(after).toMatchObject({ currentValue: 3, progress: 30 });
    // The history keeps every contribution; only the latest of the check-in's counts.
    expect(after.updates.filter((u) => u.supersededById === null).map((u) => u.value).sort()).toEqual([1, 2]);
    expect(after.updates).toHaveLength(5);
  });

  it('readers see an amendment of an old check-in as of the answer: progress follows it, the stall clock does not restart', async () => {
    const { firm, coach, client, checkInId, reports, measure, answers, amend } = await boundCheckIn();
    await api.ok(`mutation { updateGoalPolicy(requiredCriteria: []) { isDefault } }`, {}, { token: firm.admin.accessToken });
    await api.ok(
      `mutation ($input: ChangeGoalStatusInput!) { changeGoalStatus(input: $input) { id } }`,
      { input: { id: reports.goalId, expectedVersion: 2, status: 'ACTIVE' } },
      { token: coach.accessToken },
    );
    await submit(client, checkInId, answers(5, 1, 3));
    // As if all of it had happened 20 days ago.
    for (const table of ['goals', 'goal_measures', 'goal_revisions', 'progress_updates']) {
      const happened = table === 'progress_updates' ? `, occurred_at = occurred_at - interval '20 days', occurred_on = occurred_on - 20` : '';
      await api.dataSource.query(`UPDATE ${table} SET created_at = created_at - interval '20 days'${happened} WHERE tenant_id = $1`, [firm.tenantId]);
    }
    await api.dataSource.query(`UPDATE check_ins SET submitted_at = submitted_at - interval '20 days' WHERE id = $1`, [checkInId]);
    const answeredAt = new Date(
      (await api.ok<{ checkIn: { submittedAt: string } }>(CHECK_IN, { id: checkInId }, { token: client.accessToken })).checkIn.submittedAt,
    );
    const beforeAmending = new Date();

    await amend(answers(5, 3, 3));
    expect(await measure(reports)).toMatchObject({ currentValue: 3, progress: 75, goalProgress: 75 });
    const inFirm = <T>(work: (tx: TenantTransaction) => Promise<T>) =>
      RequestContext.runAs({ tenantId: firm.tenantId, userId: coach.user.id }, () => api.app.get(TenantDatabase).transaction(work));
    const progress = api.app.get(GoalProgressService);
    // Reports read progress as of their period's end: before the amendment, the answer as first given.
    expect((await inFirm((tx) => progress.progressOf(tx, [reports.goalId], { asOf: beforeAmending }))).get(reports.goalId)).toBe(25);
    expect((await inFirm((tx) => progress.progressOf(tx, [reports.goalId]))).get(reports.goalId)).toBe(75);
    // Stalled-goal nudges and reports: the goal's last progress happened when the check-in was answered.
    const [activity] = (await inFirm((tx) => activeGoalActivity(tx, [client.user.id]))).filter((g) => g.id === reports.goalId);
    expect(new Date(activity.last_activity)).toEqual(answeredAt);
  });

  it('two amendments racing: serialized, each change recorded once, the latest amendment current', async () => {
    const { client, checkInId, reports, calls, measure, answers, amend } = await boundCheckIn();
    await submit(client, checkInId, answers(5, 1, 3));

    // Both the same change: the second finds it recorded.
    const same = await Promise.all([amend(answers(6, 2, 3)), amend(answers(7, 2, 3))]);
    expect(same.map((s) => s.amendCheckIn.progressUpdateIds.length).sort()).toEqual([0, 1]);
    expect((await measure(reports)).updates).toHaveLength(2);

    // Different changes: both recorded, the later of the two (the one no amendment amends) is current.
    const both = await Promise.all([amend(answers(6, 3, 4)), amend(answers(6, 4, 6))]);
    expect(both.map((s) => s.amendCheckIn.progressUpdateIds.length)).toEqual([2, 2]);
    const [last] = both.filter((s) => !both.some((other) => other.amendCheckIn.amendsSubmissionId === s.amendCheckIn.id));
    const lastAnswers = last === both[0] ? { reports: 3, calls: 4 } : { reports: 4, calls: 6 };
    const [reportsAfter, callsAfter] = [await measure(reports), await measure(calls)];
    expect({ reports: reportsAfter.currentValue, calls: callsAfter.currentValue }).toEqual(lastAnswers);
    expect(reportsAfter.updates).toHaveLength(4);
    expect(reportsAfter.updates.filter((u) => u.supersededById === null)).toHaveLength(1);
    expect(callsAfter.updates.filter((u) => u.supersededById === null)).toHaveLength(1);
  });
});
