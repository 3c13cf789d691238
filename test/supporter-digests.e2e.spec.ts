import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ApiModule } from '#cairn-app/api';
import { addUser, coachingFirm, engage, errorCode, type Session, testConfig } from '#cairn/shared/testing';
import { SupporterDigestPlanner } from '#cairn/supporters';
import { TestApi } from './support/index.js';

const INVITE = `mutation ($input: InviteSupporterInput!) { inviteSupporter(input: $input) { supporter { id } } }`;
const SHARE = `mutation ($input: GoalShareInput!) { shareGoalWithSupporter(input: $input) { id } }`;
const CADENCE = `mutation ($input: UpdateSupporterDigestInput!) { updateSupporterDigestSettings(input: $input) { cadence } }`;

// Monday 14 December 2026; Tokyo is UTC+9 all year, so these instants are Tokyo's 10:00, 08:00 and 22:00.
const MONDAY_10_TOKYO = new Date('2026-12-14T01:00:00Z');
const MONDAY_08_TOKYO = new Date('2026-12-13T23:00:00Z');
const TUESDAY_22_TOKYO = new Date('2026-12-15T13:00:00Z');
const WEDNESDAY_10_TOKYO = new Date('2026-12-16T01:00:00Z');

interface DigestRow {
  subject: string;
  text_body: string;
  dedupe_key: string;
  recipient_email: string;
}

describe('supporter digests', () => {
  let api: TestApi;
  let planner: SupporterDigestPlanner;
  beforeAll(async () => {
    api = await TestApi.start(ApiModule.forRoot(testConfig({ PUBLIC_BASE_URL: 'https://cairn.example' })));
    planner = api.app.get(SupporterDigestPlanner);
  });
  afterAll(() => api.close());

  const digestsTo = (email: string): Promise<DigestRow[]> =>
    api.dataSource.query(
      `SELECT subject, text_body, dedupe_key, recipient_email FROM messages WHERE kind = 'SUPPORTER_DIGEST' AND recipient_email = $1 ORDER BY created_at`,
      [email],
    );

  /** A client sharing one goal with a supporter in Tokyo (the client is in London). */
  async function sharing(client: Session, email = `tokyo-${Math.random().toString(36).slice(2, 8)}@example.test`) {
    const goal = await api.ok<{ createGoal: { id: string } }>(
      `mutation ($input: CreateGoalInput!) { createGoal(input: $input) { id } }`,
      { input: { clientId: client.user.id, horizon: 'IMMEDIATE', category: 'SKILL', title: 'Run the weekly sales huddle myself' } },
      { token: client.accessToken },
    );
    const invited = await api.ok<{ inviteSupporter: { supporter: { id: string } } }>(
      INVITE,
      { input: { clientId: client.user.id, email, displayName: 'Kenji', relationship: 'MENTOR', timezone: 'Asia/Tokyo' } },
      { token: client.accessToken },
    );
    const supporterId = invited.inviteSupporter.supporter.id;
    await api.ok(SHARE, { input: { supporterId, goalId: goal.createGoal.id } }, { token: client.accessToken });
    return { email, supporterId };
  }

  it('weekly by default: due from Monday 09:00 in the supporter’s own zone, once per week however often the run repeats', async () => {
    const c = await coachingFirm(api);
    const { email } = await sharing(c.client);
    expect(await planner.planTenant(c.firm.tenantId, MONDAY_08_TOKYO)).toMatchObject({ sent: 0, notDue: 1 });
    expect(await planner.planTenant(c.firm.tenantId, MONDAY_10_TOKYO)).toMatchObject({ sent: 1 });
    const again = await Promise.all([
      planner.planTenant(c.firm.tenantId, MONDAY_10_TOKYO),
      planner.planTenant(c.firm.tenantId, WEDNESDAY_10_TOKYO),
    ]);
    expect(again.map((r) => r.sent)).toEqual([0, 0]);
    const digests = await digestsTo(email);
    expect(digests).toHaveLength(1);
    expect(digests[0].dedupe_key).toMatch(/^supporter-digest\/.+\/2026-W51$/);
    expect(digests[0].subject).toBe('How CLIENT person is doing this week');
    expect(digests[0].text_body).toContain('Run the weekly sales huddle myself: not measured yet');
    expect(digests[0].text_body).toMatch(/Stop these emails: https:\/\/cairn\.example\/email\/unsubscribe\/\S+/);
  });

  it('honours the firm’s quiet hours in the supporter’s zone, and the client’s cadence (DAILY, OFF)', async () => {
    const c = await coachingFirm(api);
    const { email } = await sharing(c.client);
    await api.ok(CADENCE, { input: { clientId: c.client.user.id, cadence: 'DAILY' } }, { token: c.client.accessToken });
    expect(await planner.planTenant(c.firm.tenantId, TUESDAY_22_TOKYO)).toMatchObject({ sent: 0, quiet: 1 });
    expect(await planner.planTenant(c.firm.tenantId, WEDNESDAY_10_TOKYO)).toMatchObject({ sent: 1 });
    expect((await digestsTo(email))[0].dedupe_key).toMatch(/\/2026-12-16$/);
    await api.ok(CADENCE, { input: { clientId: c.client.user.id, cadence: 'OFF' } }, { token: c.client.accessToken });
    expect(await planner.planTenant(c.firm.tenantId, new Date('2026-12-17T01:00:00Z'))).toMatchObject({ supporters: 0, sent: 0 });
  });

  it('caps digests to one address at 3 a day, whoever it supports', async () => {
    const c = await coachingFirm(api);
    const email = `busy-${Math.random().toString(36).slice(2, 8)}@example.test`;
    // Four clients of the one firm, each with the same mentor.
    const clients: Session[] = [c.client];
    for (let i = 0; i < 3; i += 1) {
      const client = await addUser(api, c.firm, 'CLIENT');
      await engage(api, c.firm, client.user.id, c.coach.user.id);
      clients.push(client);
    }
    for (const client of clients) await sharing(client, email);
    expect(await planner.planTenant(c.firm.tenantId, MONDAY_10_TOKYO)).toMatchObject({ sent: 3, capped: 1 });
    expect(await digestsTo(email)).toHaveLength(3);
  });

  it('an archived client’s supporters get no digest', async () => {
    const c = await coachingFirm(api);
    await sharing(c.client);
    await api.ok(
      `mutation ($input: ArchiveClientInput!) { archiveClient(input: $input) { id } }`,
      { input: { id: c.client.user.id, reason: 'Engagement finished' } },
      { token: c.coach.accessToken },
    );
    expect(await planner.planTenant(c.firm.tenantId, MONDAY_10_TOKYO)).toMatchObject({ supporters: 0, sent: 0 });
  });

  it('one-click unsubscribe stops the supporter’s digests, and only theirs', async () => {
    const c = await coachingFirm(api);
    const first = await sharing(c.client);
    const second = await sharing(c.client);
    expect(await planner.planTenant(c.firm.tenantId, MONDAY_10_TOKYO)).toMatchObject({ sent: 2 });
    const [digest] = await digestsTo(first.email);
    const path = /https:\/\/cairn\.example(\/email\/unsubscribe\/\S+)/.exec(digest.text_body)![1];
    const res = await api.http.post(path).type('form').set('Accept', 'application/json').send('List-Unsubscribe=One-Click');
    expect(res.status).toBe(200);
    const [row] = await api.dataSource.query(`SELECT digest_opted_out_at FROM supporters WHERE id = $1`, [first.supporterId]);
    expect(row.digest_opted_out_at).not.toBeNull();
    const next = await planner.planTenant(c.firm.tenantId, new Date('2026-12-21T01:00:00Z'));
    expect(next).toMatchObject({ supporters: 1, sent: 1 });
    expect(await digestsTo(first.email)).toHaveLength(1);
    expect(await digestsTo(second.email)).toHaveLength(2);
  });

  it('digest settings: bad cadence refused, coaches read but do not set, another client’s is NOT_FOUND', async () => {
    const c = await coachingFirm(api);
    const bad = await api.gql(CADENCE, { input: { clientId: c.client.user.id, cadence: 'HOURLY' } }, { token: c.client.accessToken });
    expect(errorCode(bad)).toBe('BAD_USER_INPUT');
    const byCoach = await api.gql(CADENCE, { input: { clientId: c.client.user.id, cadence: 'OFF' } }, { token: c.coach.accessToken });
    expect(errorCode(byCoach)).toBe('FORBIDDEN');
    const read = await api.ok<{ supporterDigestSettings: { cadence: string } }>(
      `query ($id: ID!) { supporterDigestSettings(clientId: $id) { cadence } }`,
      { id: c.client.user.id },
      { token: c.coach.accessToken },
    );
    expect(read.supporterDigestSettings.cadence).toBe('WEEKLY');
    const other = await coachingFirm(api);
    const cross = await api.gql(CADENCE, { input: { clientId: c.client.user.id, cadence: 'OFF' } }, { token: other.client.accessToken });
    expect(errorCode(cross)).toBe('NOT_FOUND');
  });
});
