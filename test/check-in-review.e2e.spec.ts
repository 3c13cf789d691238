import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DateTime } from 'luxon';
import { ApiModule } from '#cairn-app/api';
import { coachingFirm, errorCode, signUpFirm, testConfig } from '#cairn/shared/testing';
import { TestApi } from './support/index.js';

const localAt = (days: number, time: string) => `${DateTime.now().setZone('Europe/London').plus({ days }).toISODate()}T${time}`;
const FEEDBACK = `mutation ($input: AddCheckInFeedbackInput!) { addCheckInFeedback(input: $input) { id body authorUserId } }`;
const FOLLOW_UP = `mutation ($input: SetCheckInFollowUpInput!) { setCheckInFollowUp(input: $input) { id needsFollowUp } }`;
const CHECK_IN = `query ($id: ID!) { checkIn(id: $id) { needsFollowUp feedback { body } } }`;
const STATS = `query ($clientId: ID!) { checkInStats(clientId: $clientId) {
  due submitted missed completionRate currentStreak scores { key label average points { value } } } }`;

let api: TestApi;
beforeAll(async () => {
  api = await TestApi.start(ApiModule.forRoot(testConfig()));
});
afterAll(() => api.close());

/** A client with a daily check-in; the last `history` days are made past occurrences, then today's is open. */
async function clientWithHistory(history: number) {
  const cast = await coachingFirm(api);
  const template = await api.ok<{ createCheckInTemplate: { id: string } }>(
    `mutation ($input: CreateCheckInTemplateInput!) { createCheckInTemplate(input: $input) { id } }`,
    { input: { name: 'Daily', prompts: [{ key: 'energy', label: 'Energy?', type: 'SCALE' }] } },
    { token: cast.coach.accessToken },
  );
  await api.ok(
    `mutation ($input: AssignCheckInInput!) { assignCheckIn(input: $input) { id } }`,
    {
      input: {
        clientId: cast.client.user.id,
        templateId: template.createCheckInTemplate.id,
        recurrence: 'FREQ=DAILY',
        startsAt: localAt(-1, '00:00'),
        windowMinutes: 1440,
      },
    },
    { token: cast.coach.accessToken },
  );
  const [today] = await api.dataSource.query(
    `SELECT * FROM check_ins WHERE client_id = $1 AND opens_at <= now() AND closes_at > now()`,
    [cast.client.user.id],
  );
  // Past occurrences, as the worker would have materialized them on earlier days.
  for (let d = 1; d <= history; d++) {
    await api.dataSource.query(
      `INSERT INTO check_ins (tenant_id, assignment_id, client_id, template_version_id, opens_at, closes_at, slot)
       VALUES ($1, $2, $3, $4, $5::timestamptz - make_interval(days => $6), $7::timestamptz - make_interval(days => $6),
               ($5::timestamptz - make_interval(days => $6))::text)`,
      [today.tenant_id, today.assignment_id, today.client_id, today.template_version_id, today.opens_at, d, today.closes_at],
    );
  }
  const rows: { id: string }[] = await api.dataSource.query(
    `SELECT id FROM check_ins WHERE client_id = $1 ORDER BY opens_at`,
    [cast.client.user.id],
  );
  return { ...cast, checkInIds: rows.map((r) => r.id) };
}

const answer = (token: string, checkInId: string, energy: number) =>
  api.ok(
    `mutation ($input: SubmitCheckInInput!) { submitCheckIn(input: $input) { id } }`,
    { input: { checkInId, answers: [{ key: 'energy', scale: energy }], idempotencyKey: `k-${checkInId}` } },
    { token },
  );

describe('coach review', () => {
  it('the coach leaves feedback the client can read, and marks follow-ups', async () => {
    const { coach, otherCoach, client, checkInIds } = await clientWithHistory(0);
    const [checkInId] = checkInIds;
    await answer(client.accessToken, checkInId, 7);
    await api.ok(FEEDBACK, { input: { checkInId, body: 'You surveyed six clients — twice last quarter. Keep going.' } }, { token: coach.accessToken });
    await api.ok(FOLLOW_UP, { input: { checkInId, needsFollowUp: true } }, { token: coach.accessToken });
    const seen = await api.ok<{ checkIn: { needsFollowUp: boolean; feedback: { body: string }[] } }>(CHECK_IN, { id: checkInId }, { token: client.accessToken });
    expect(seen.checkIn).toEqual({ needsFollowUp: true, feedback: [{ body: 'You surveyed six clients — twice last quarter. Keep going.' }] });

    expect(errorCode(await api.gql(FEEDBACK, { input: { checkInId, body: 'Hi' } }, { token: client.accessToken }))).toBe('FORBIDDEN');
    expect(errorCode(await api.gql(FEEDBACK, { input: { checkInId, body: 'Hi' } }, { token: otherCoach.accessToken }))).toBe('NOT_FOUND');
    const other = await signUpFirm(api);
    expect(errorCode(await api.gql(FOLLOW_UP, { input: { checkInId, needsFollowUp: false } }, { token: other.admin.accessToken }))).toBe('NOT_FOUND');
    expect(errorCode(await api.gql(FEEDBACK, { input: { checkInId, body: '   ' } }, { token: coach.accessToken }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await api.gql(FEEDBACK, { input: { checkInId, body: 'x'.repeat(4001) } }, { token: coach.accessToken }))).toBe('BAD_USER_INPUT');
  });

  it('reports completion, missed count, current streak and scores over time', async () => {
    const { coach, otherCoach, client, checkInIds } = await clientWithHistory(4);
    // Five check-ins, oldest first: answered, missed, answered (late), answered, and today's (open, answered).
    const [d4, , d2, d1, today] = checkInIds;
    await answer(client.accessToken, d4, 4);
    await answer(client.accessToken, d2, 6);
    await answer(client.accessToken, d1, 8);
    const before = await api.ok<{ checkInStats: Record<string, unknown> }>(STATS, { clientId: client.user.id }, { token: coach.accessToken });
    // Today's is still open and unanswered: not due yet.
    expect(before.checkInStats).toMatchObject({ due: 4, submitted: 3, missed: 1, completionRate: 0.75, currentStreak: 2 });
    await answer(client.accessToken, today, 10);
    const after = await api.ok<{ checkInStats: { currentStreak: number; scores: unknown[] } }>(STATS, { clientId: client.user.id }, { token: coach.accessToken });
    expect(after.checkInStats).toMatchObject({
      currentStreak: 3,
      scores: [{ key: 'energy', label: 'Energy?', average: 7, points: [{ value: 4 }, { value: 6 }, { value: 8 }, { value: 10 }] }],
    });
    expect(errorCode(await api.gql(STATS, { clientId: client.user.id }, { token: otherCoach.accessToken }))).toBe('NOT_FOUND');
    await api.ok(STATS, { clientId: client.user.id }, { token: client.accessToken });
  });
});
