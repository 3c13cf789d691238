import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DateTime } from 'luxon';
import { ApiModule } from '#cairn-app/api';
import { coachingFirm, createApiKey, errorCode, type Session, testConfig, TestApi } from '#cairn/shared/testing';

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

describe('answers bound to goal measures', () => {
  it('a NUMBER answer records progress on the bound measure; a refused value keeps the answers and says why', async () => {
    const cast = await coachingFirm(api);
    const { coach, client } = cast;
    const goal = await api.ok<{ createGoal: { id: string; version: number } }>(
      `mutation ($input: CreateGoalInput!) { createGoal(input: $input) { id version } }`,
      { input: { clientId: client.user.id, horizon: 'IMMEDIATE', category: 'SKILL', title: 'Survey ten clients per quarterly report' } },
      { token: coach.accessToken },
    );
    const numeric = await api.ok<{ addGoalMeasure: { goal: { version: number }; measure: { id: string } } }>(
      `mutation ($input: AddGoalMeasureInput!) { addGoalMeasure(input: $input) { goal { version } measure { id } } }`,
      { input: { goalId: goal.createGoal.id, expectedVersion: 1, kind: 'NUMERIC', title: 'Clients surveyed', baseline: 0, target: 10 } },
      { token: coach.accessToken },
    );
    const count = await api.ok<{ addGoalMeasure: { measure: { id: string } } }>(
      `mutation ($input: AddGoalMeasureInput!) { addGoalMeasure(input: $input) { measure { id } } }`,
      { input: { goalId: goal.createGoal.id, expectedVersion: numeric.addGoalMeasure.goal.version, kind: 'COUNT', title: 'Conferences', target: 3, periodMonths: 12 } },
      { token: coach.accessToken },
    );
    const template = await api.ok<{ createCheckInTemplate: { id: string } }>(
      `mutation ($input: CreateCheckInTemplateInput!) { createCheckInTemplate(input: $input) { id } }`,
      {
        input: {
          name: 'Weekly numbers',
          prompts: [
            { key: 'surveyed', label: 'Clients surveyed so far', type: 'NUMBER', recordsProgress: true },
            { key: 'conferences', label: 'Conferences attended this week', type: 'NUMBER', recordsProgress: true, numberMin: 0 },
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
          measureBindings: [
            { promptKey: 'surveyed', measureId: numeric.addGoalMeasure.measure.id },
            { promptKey: 'conferences', measureId: count.addGoalMeasure.measure.id },
          ],
        },
      },
      { token: coach.accessToken },
    );
    const open = await api.ok<{ checkIns: { edges: { node: { id: string } }[] } }>(OPEN, {}, { token: client.accessToken });
    const result = await submit(client, open.checkIns.edges[0].node.id, [
      { key: 'surveyed', number: 6 },
      { key: 'conferences', number: 0 },
    ]);
    expect(result.errors).toBeUndefined();
    expect(result.data?.submitCheckIn.progressUpdateIds).toHaveLength(1);
    expect(result.data?.submitCheckIn.progressIssues).toEqual([expect.stringMatching(/^conferences: /)]);
    const progress = await api.ok<{ goal: { measures: { title: string; currentValue: number }[] } }>(
      `query ($id: ID!) { goal(id: $id) { measures { title currentValue } } }`,
      { id: goal.createGoal.id },
      { token: coach.accessToken },
    );
    expect(progress.goal.measures).toEqual(
      expect.arrayContaining([{ title: 'Clients surveyed', currentValue: 6 }, { title: 'Conferences', currentValue: 0 }]),
    );
  });
});
