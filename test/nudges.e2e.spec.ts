import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DateTime } from 'luxon';
import { ApiModule } from '#cairn-app/api';
import { EmailDeliverer } from '#cairn/messaging';
import { NudgePlanner } from '#cairn/nudges';
import {
  coachingFirm,
  createApiKey,
  errorCode,
  isolatedRedisUrl,
  type Session,
  type SmtpSink,
  startSmtpSink,
  testConfig,
} from '#cairn/shared/testing';
import { createTask, daysFromToday, insertGoal, shiftTaskDates } from './action-plan-fixtures.js';
import { sendDueEmails, TestApi } from './support/index.js';

const ZONE = 'Europe/London';
const REDIS_URL = isolatedRedisUrl('nudges');

const CREATE_TEMPLATE = `mutation ($input: CreateCheckInTemplateInput!) { createCheckInTemplate(input: $input) { id } }`;
const ASSIGN = `mutation ($input: AssignCheckInInput!) { assignCheckIn(input: $input) { id } }`;
const POLICY = `{ nudgePolicy { enabled checkinDueSoonHours quietHoursStart quietHoursEnd dailyCap isDefault } }`;
const UPDATE_POLICY = `mutation ($input: UpdateNudgePolicyInput!) { updateNudgePolicy(input: $input) {
  enabled quietHoursStart quietHoursEnd dailyCap goalStalledDays isDefault } }`;
const PREFS = `query ($clientId: ID!) { nudgePreferences(clientId: $clientId) { clientId optedOut mutedRules email inApp } }`;
const UPDATE_PREFS = `mutation ($input: UpdateNudgePreferencesInput!) { updateNudgePreferences(input: $input) {
  clientId optedOut mutedRules email inApp } }`;
const MESSAGES = `query ($recipientId: ID) { messages(recipientId: $recipientId, first: 50) { edges { node {
  id kind subject textBody htmlBody recipientUserId
  deliveries { channel status attemptCount lastError toAddress providerMessageId attempts { attemptNumber succeeded error } } } } } }`;
const FEED = `{ notifications(first: 50) { edges { node { kind title body } } } }`;

type Delivery = {
  channel: string;
  status: string;
  attemptCount: number;
  lastError: string | null;
  toAddress: string | null;
  providerMessageId: string | null;
  attempts: { attemptNumber: number; succeeded: boolean; error: string | null }[];
};
type Message = { id: string; kind: string; subject: string; textBody: string; htmlBody: string | null; recipientUserId: string; deliveries: Delivery[] };

let api: TestApi;
let sink: SmtpSink;
let planner: NudgePlanner;
let deliverer: EmailDeliverer;

beforeAll(async () => {
  sink = await startSmtpSink();
  api = await TestApi.start(ApiModule.forRoot(testConfig({ REDIS_URL, SMTP_URL: sink.url, NUDGES_PAUSED: 'false' })));
  planner = api.app.get(NudgePlanner, { strict: false });
  deliverer = api.app.get(EmailDeliverer, { strict: false });
});
afterAll(async () => {
  await api?.close();
  await sink?.stop();
});

/** Noon today in London: outside the default quiet hours whenever the suite runs. */
const noon = (days = 0) => DateTime.now().setZone(ZONE).plus({ days }).set({ hour: 12, minute: 0, second: 0, millisecond: 0 }).toJSDate();
let periods = 0;
const period = () => `test${++periods}`;

/**
 * A client with three things to hear about: an all-day check-in open now (closing within 24 h of noon), a task
 * three days overdue, and an active goal without progress for 20 days.
 */
async function clientWithWork() {
  const cast = await coachingFirm(api);
  const { coach, client, firm } = cast;
  const template = await api.ok<{ createCheckInTemplate: { id: string } }>(
    CREATE_TEMPLATE,
    { input: { name: 'Daily pulse', prompts: [{ key: 'energy', label: 'Energy?', type: 'SCALE' }] } },
    { token: coach.accessToken },
  );
  await api.ok(
    ASSIGN,
    {
      input: {
        clientId: client.user.id,
        templateId: template.createCheckInTemplate.id,
        recurrence: 'FREQ=DAILY',
        startsAt: `${DateTime.now().setZone(ZONE).minus({ days: 1 }).toISODate()}T00:00`,
        windowMinutes: 1440,
      },
    },
    { token: coach.accessToken },
  );
  const goalId = await insertGoal(api, firm.tenantId, client.user.id, 'Become Sales Manager');
  // Twenty days before the run (noon), not before the clock time the suite happens to run at.
  await api.dataSource.query(`UPDATE goals SET status = 'ACTIVE', created_at = $2::timestamptz - interval '20 days' WHERE id = $1`, [
    goalId,
    noon(),
  ]);
  const task = await createTask(api, coach, { goalId, title: 'Send the Q1 report', dueDate: daysFromToday(1) });
  await shiftTaskDates(api, task.id, -4);
  return { ...cast, goalId };
}

const messagesOf = async (session: Session, recipientId?: string) =>
  (await api.ok<{ messages: { edges: { node: Message }[] } }>(MESSAGES, { recipientId }, { token: session.accessToken })).messages.edges.map(
    (e) => e.node,
  );
const byChannel = (message: Message) => Object.fromEntries(message.deliveries.map((d) => [d.channel, d]));
const mailTo = (address: string) => sink.received.filter((m) => m.to && JSON.stringify(m.to).includes(address));

describe('a nudge run', () => {
  it('merges everything due for a client into one message, on every channel, and delivers the email', async () => {
    const { firm, client, coach } = await clientWithWork();
    const result = await planner.planTenant(firm.tenantId, period(), noon());
    expect(result).toMatchObject({ clients: 1, sent: 1, quiet: 0, capped: 0, optedOut: 0, failed: 0 });

    const [message] = await messagesOf(client);
    expect(message.kind).toBe('NUDGE');
    expect(message.subject).toMatch(/^Your “Daily pulse” check-in closes .+ — and 2 more$/);
    const bullets = message.textBody.split('\n').filter((line) => line.startsWith('- '));
    expect(bullets).toHaveLength(3);
    expect(bullets[1]).toBe('- “Send the Q1 report” is 3 days overdue');
    expect(bullets[2]).toMatch(/^- No progress on “Become Sales Manager” for 20 days/);
    expect(byChannel(message)).toMatchObject({
      EMAIL: { status: 'QUEUED', attemptCount: 0 },
      IN_APP: { status: 'SENT' },
      // The firm has no webhook endpoint: the event is kept, and the channel says why nothing went out.
      WEBHOOK: { status: 'SKIPPED', lastError: 'No enabled webhook endpoint subscribes to nudge.sent' },
    });
    const feed = await api.ok<{ notifications: { edges: { node: { kind: string; title: string } }[] } }>(FEED, {}, { token: client.accessToken });
    expect(feed.notifications.edges.map((e) => e.node)).toContainEqual({ kind: 'NUDGE', title: message.subject, body: expect.any(String) });
    const [event] = await api.dataSource.query(`SELECT payload FROM domain_events WHERE tenant_id = $1 AND type = 'nudge.sent'`, [
      firm.tenantId,
    ]);
    expect(event.payload).toEqual({
      clientId: client.user.id,
      items: 3,
      rules: 'CHECKIN_DUE_SOON,TASK_OVERDUE,GOAL_STALLED',
      messageId: message.id,
    });

    expect(await sendDueEmails(deliverer, firm.tenantId)).toEqual(['sent']);
    const [mail] = mailTo(client.user.email);
    expect(mail.subject).toBe(message.subject);
    expect(mail.text?.trim()).toBe(message.textBody.trim());
    expect(mail.html).toContain('<li>“Send the Q1 report” is 3 days overdue</li>');
    const [sent] = await messagesOf(client);
    expect(byChannel(sent).EMAIL).toMatchObject({
      status: 'SENT',
      attemptCount: 1,
      toAddress: client.user.email,
      attempts: [{ attemptNumber: 1, succeeded: true, error: null }],
    });
    expect(mail.messageId).toBe(byChannel(sent).EMAIL.providerMessageId);
    // The coach sees their client's nudges; another firm's admin does not.
    expect((await messagesOf(coach, client.user.id)).map((m) => m.id)).toEqual([message.id]);
    const other = await coachingFirm(api);
    expect(await messagesOf(other.firm.admin, client.user.id)).toEqual([]);
  });

  it('never nudges about the same thing twice: a re-run of the period, a later period, and a racing run send nothing more', async () => {
    const { firm, client } = await clientWithWork();
    const first = period();
    const results = await Promise.all([planner.planTenant(firm.tenantId, first, noon()), planner.planTenant(firm.tenantId, first, noon())]);
    expect(results.reduce((n, r) => n + r.sent, 0)).toBe(1);
    expect((await planner.planTenant(firm.tenantId, first, noon())).sent).toBe(0);
    expect((await planner.planTenant(firm.tenantId, period(), noon())).sent).toBe(0);
    expect(await messagesOf(client)).toHaveLength(1);
    const [ledger] = await api.dataSource.query(`SELECT count(*)::int AS n, count(message_id)::int AS linked FROM nudge_items WHERE client_id = $1`, [
      client.user.id,
    ]);
    expect(ledger).toEqual({ n: 3, linked: 3 });
  });

  it('something new later is a new message with only the new item; the daily cap holds the rest until tomorrow', async () => {
    const { firm, coach, client, goalId } = await clientWithWork();
    await api.ok(UPDATE_POLICY, { input: { dailyCap: 2 } }, { token: firm.admin.accessToken });
    expect((await planner.planTenant(firm.tenantId, period(), noon())).sent).toBe(1);
    const second = await createTask(api, coach, { goalId, title: 'Book the sales conference', dueDate: daysFromToday(1) });
    await shiftTaskDates(api, second.id, -3);
    expect((await planner.planTenant(firm.tenantId, period(), noon())).sent).toBe(1);
    const [latest] = await messagesOf(client);
    expect(latest.subject).toBe('“Book the sales conference” is 2 days overdue');

    const third = await createTask(api, coach, { goalId, title: 'Ask three people for feedback', dueDate: daysFromToday(1) });
    await shiftTaskDates(api, third.id, -3);
    expect(await planner.planTenant(firm.tenantId, period(), noon())).toMatchObject({ sent: 0, capped: 1 });
    // A new local day: the cap starts again.
    expect((await planner.planTenant(firm.tenantId, period(), noon(1))).sent).toBe(1);
    expect(await messagesOf(client)).toHaveLength(3);
  });

  it('waits out quiet hours in the client’s own time zone', async () => {
    const { firm, client } = await clientWithWork();
    const lateEvening = DateTime.fromJSDate(noon()).setZone(ZONE).set({ hour: 22 }).toJSDate();
    expect(await planner.planTenant(firm.tenantId, period(), lateEvening)).toMatchObject({ sent: 0, quiet: 1 });
    // The same instant is the next morning (10:00 or 11:00) for a client who lives in Auckland.
    await api.dataSource.query(`UPDATE users SET timezone = 'Pacific/Auckland' WHERE id = $1`, [client.user.id]);
    expect(await planner.planTenant(firm.tenantId, period(), lateEvening)).toMatchObject({ quiet: 0, sent: 1 });
    await api.dataSource.query(`DELETE FROM nudge_items WHERE client_id = $1`, [client.user.id]);
    // Without quiet hours, 22:00 in London is a time like any other.
    await api.ok(UPDATE_POLICY, { input: { quietHoursStart: '00:00', quietHoursEnd: '00:00' } }, { token: firm.admin.accessToken });
    await api.dataSource.query(`UPDATE users SET timezone = NULL WHERE id = $1`, [client.user.id]);
    expect(await planner.planTenant(firm.tenantId, period(), lateEvening)).toMatchObject({ quiet: 0, sent: 1 });
  });

  it('respects opt-outs, muted rules and channels turned off', async () => {
    const { firm, client } = await clientWithWork();
    await api.ok(UPDATE_PREFS, { input: { clientId: client.user.id, optedOut: true } }, { token: client.accessToken });
    expect(await planner.planTenant(firm.tenantId, period(), noon())).toMatchObject({ sent: 0, optedOut: 1 });

    await api.ok(
      UPDATE_PREFS,
      { input: { clientId: client.user.id, optedOut: false, mutedRules: ['GOAL_STALLED', 'CHECKIN_DUE_SOON'], email: false } },
      { token: client.accessToken },
    );
    expect((await planner.planTenant(firm.tenantId, period(), noon())).sent).toBe(1);
    const [message] = await messagesOf(client);
    expect(message.subject).toBe('“Send the Q1 report” is 3 days overdue');
    expect(byChannel(message).EMAIL).toMatchObject({ status: 'SKIPPED', lastError: 'The client turned email nudges off' });
    expect(await sendDueEmails(deliverer, firm.tenantId)).toEqual([]);
    // A muted rule's items are not spent: unmuted, they are said next time.
    await api.ok(UPDATE_PREFS, { input: { clientId: client.user.id, mutedRules: [] } }, { token: client.accessToken });
    expect((await planner.planTenant(firm.tenantId, period(), noon())).sent).toBe(1);
  });

  it('a firm can turn nudges off entirely', async () => {
    const { firm } = await clientWithWork();
    await api.ok(UPDATE_POLICY, { input: { enabled: false } }, { token: firm.admin.accessToken });
    expect(await planner.planTenant(firm.tenantId, period(), noon())).toMatchObject({ clients: 0, sent: 0 });
    expect(await planner.tenantsToNudge()).not.toContain(firm.tenantId);
  });
});

describe('celebrations', () => {
  it('a sub-goal achieved is celebrated as a step towards the goal it supports', async () => {
    const { firm, client } = await coachingFirm(api);
    const parentId = await insertGoal(api, firm.tenantId, client.user.id, 'Become Sales Manager');
    const childId = await insertGoal(api, firm.tenantId, client.user.id, 'Lead the Q3 pitch');
    await api.dataSource.query(`UPDATE goals SET parent_id = $2, status = 'ACHIEVED', achieved_at = $3 WHERE id = $1`, [
      childId,
      parentId,
      new Date(noon().getTime() - 3_600_000),
    ]);
    expect((await planner.planTenant(firm.tenantId, period(), noon())).sent).toBe(1);
    const [message] = await messagesOf(client);
    expect(message.subject).toBe('Sub-goal achieved: “Lead the Q3 pitch” — a step towards “Become Sales Manager”. Well done!');
  });

  /** A daily habit started `occurrences` days ago, logged at 18:00 on each of those days except the `missed` ones (days ago). */
  async function dailyHabit(occurrences: number, missed: number[] = []) {
    const cast = await coachingFirm(api);
    const { coach, client, firm } = cast;
    const goalId = await insertGoal(api, firm.tenantId, client.user.id, 'Build a morning routine');
    const habit = await createTask(api, coach, { goalId, title: 'Stretch for ten minutes', recurrence: 'FREQ=DAILY' });
    await shiftTaskDates(api, habit.id, -occurrences);
    for (let ago = occurrences; ago >= 1; ago -= 1) {
      if (missed.includes(ago)) continue;
      const loggedAt = DateTime.fromJSDate(noon(-ago)).setZone(ZONE).set({ hour: 18 }).toJSDate();
      await api.dataSource.query(
        `INSERT INTO task_completions (tenant_id, task_id, client_id, occurrence_on, count, created_at) VALUES ($1, $2, $3, $4, 1, $5)`,
        [firm.tenantId, habit.id, client.user.id, daysFromToday(-ago, ZONE), loggedAt],
      );
    }
    return { ...cast, habit };
  }
  const celebrations = async (clientId: string) =>
    (await api.dataSource.query(`SELECT item_key FROM nudge_items WHERE client_id = $1 AND rule = 'CELEBRATION'`, [clientId])).map(
      (r: { item_key: string }) => r.item_key,
    );

  it('7 occurrences of a daily habit met in a row are celebrated once; today, still to do, breaks nothing', async () => {
    const { firm, client, habit } = await dailyHabit(7);
    expect((await planner.planTenant(firm.tenantId, period(), noon())).sent).toBe(1);
    const [message] = await messagesOf(client);
    expect(message.subject).toBe('Streak: “Stretch for ten minutes” 7 days in a row — keep it going!');
    expect(message.textBody.split('\n').filter((line) => line.startsWith('- '))).toEqual([`- ${message.subject}`]);
    expect(await celebrations(client.user.id)).toEqual([`celebrate-streak:${habit.id}:7`]);

    expect((await planner.planTenant(firm.tenantId, period(), noon())).sent).toBe(0);
    // Today's occurrence is logged too: the streak goes on to 8, nothing new to celebrate.
    await api.dataSource.query(
      `INSERT INTO task_completions (tenant_id, task_id, client_id, occurrence_on, count, created_at) VALUES ($1, $2, $3, $4, 1, $5)`,
      [firm.tenantId, habit.id, client.user.id, daysFromToday(0, ZONE), new Date(noon().getTime() - 3_600_000)],
    );
    expect((await planner.planTenant(firm.tenantId, period(), noon())).sent).toBe(0);
    expect(await messagesOf(client)).toHaveLength(1);
    expect(await celebrations(client.user.id)).toEqual([`celebrate-streak:${habit.id}:7`]);
  });

  it('a run broken by one missed occurrence is no streak, however many are logged around it', async () => {
    const { firm, client } = await dailyHabit(13, [7]);
    await planner.planTenant(firm.tenantId, period(), noon());
    expect(await celebrations(client.user.id)).toEqual([]);
    expect((await messagesOf(client)).map((m) => m.subject).join('\n')).not.toContain('Streak');
  });

  it('a streak that reached 7 four days ago and goes on is not celebrated now', async () => {
    // 10 days in a row: the seventh was logged four days ago, outside the window that catches up missed runs.
    const { firm, client } = await dailyHabit(10);
    await planner.planTenant(firm.tenantId, period(), noon());
    expect(await celebrations(client.user.id)).toEqual([]);
  });
});

describe('failures are recorded, not crashes', () => {
  it('a client with an invalid time zone gets a FAILED entry (once a day) and the batch goes on', async () => {
    const { firm, coach, client } = await clientWithWork();
    const second = await api.ok<{ createClient: { id: string } }>(
      `mutation ($input: CreateClientInput!) { createClient(input: $input) { id } }`,
      { input: { email: `second-${Date.now()}@example.test`, displayName: 'Second Client' } },
      { token: coach.accessToken },
    );
    const goalId = await insertGoal(api, firm.tenantId, second.createClient.id, 'Lead the Q3 pitch');
    await api.dataSource.query(`UPDATE goals SET status = 'ACTIVE', created_at = now() - interval '30 days' WHERE id = $1`, [goalId]);
    await api.dataSource.query(`UPDATE users SET timezone = 'Mars/Olympus_Mons' WHERE id = $1`, [client.user.id]);

    expect(await planner.planTenant(firm.tenantId, period(), noon())).toMatchObject({ clients: 2, sent: 1, failed: 1 });
    expect(await planner.planTenant(firm.tenantId, period(), noon())).toMatchObject({ sent: 0, failed: 1 });
    const failures = await messagesOf(firm.admin, client.user.id);
    expect(failures).toHaveLength(1);
    expect(failures[0].subject).toBe('Nudge not sent');
    expect(failures[0].deliveries.map((d) => [d.channel, d.status])).toEqual([
      ['EMAIL', 'FAILED'],
      ['IN_APP', 'FAILED'],
      ['WEBHOOK', 'FAILED'],
    ]);
    expect(failures[0].deliveries[0].lastError).toContain('Invalid time zone "Mars/Olympus_Mons"');
    expect(await messagesOf(firm.admin, second.createClient.id)).toHaveLength(1);
  });

  it('an invalid or refused address is a FAILED email with its reason; the other channels still went out', async () => {
    const { firm, client } = await clientWithWork();
    await api.dataSource.query(`UPDATE users SET email = 'not-an-address' WHERE id = $1`, [client.user.id]);
    await planner.planTenant(firm.tenantId, period(), noon());
    expect(await sendDueEmails(deliverer, firm.tenantId)).toEqual(['failed']);
    const [message] = await messagesOf(firm.admin, client.user.id);
    expect(byChannel(message)).toMatchObject({
      EMAIL: { status: 'FAILED', attemptCount: 1, lastError: 'Invalid email address "not-an-address"' },
      IN_APP: { status: 'SENT' },
    });

    const refused = await clientWithWork();
    sink.rejected.add(refused.client.user.email);
    await planner.planTenant(refused.firm.tenantId, period(), noon());
    expect(await sendDueEmails(deliverer, refused.firm.tenantId)).toEqual(['failed']);
    const [bounced] = await messagesOf(refused.firm.admin, refused.client.user.id);
    expect(byChannel(bounced).EMAIL.lastError).toContain('No such user');
    expect(mailTo(refused.client.user.email)).toHaveLength(0);
  });

  it('with SMTP down the email waits QUEUED with a recorded failed attempt, and goes out once when it is back', async () => {
    const { firm, client } = await clientWithWork();
    await planner.planTenant(firm.tenantId, period(), noon());
    await sink.stop();
    try {
      expect(await sendDueEmails(deliverer, firm.tenantId)).toEqual(['retrying']);
    } finally {
      await sink.start();
    }
    const [waiting] = await messagesOf(firm.admin, client.user.id);
    expect(byChannel(waiting).EMAIL).toMatchObject({ status: 'QUEUED', attemptCount: 1, attempts: [{ attemptNumber: 1, succeeded: false }] });
    expect(byChannel(waiting).EMAIL.lastError).toMatch(/ECONNREFUSED|ECONNECTION|ESOCKET/);
    expect(await sendDueEmails(deliverer, firm.tenantId)).toEqual([]); // not due yet: back-off
    await api.dataSource.query(
      `UPDATE message_deliveries SET next_attempt_at = now() WHERE tenant_id = $1 AND status = 'QUEUED'`,
      [firm.tenantId],
    );
    expect(await sendDueEmails(deliverer, firm.tenantId)).toEqual(['sent']);
    expect(await sendDueEmails(deliverer, firm.tenantId)).toEqual([]);
    expect(mailTo(client.user.email)).toHaveLength(1);
  });
});

describe('the delivery log through GraphQL', () => {
  it('a client sees only their own messages, a coach only their caseload’s; a bad id is refused', async () => {
    const { firm, otherCoach, client } = await clientWithWork();
    // Another coach's client in the same firm, with a stalled goal of their own: a message to them too.
    const colleague = await api.ok<{ createClient: { id: string } }>(
      `mutation ($input: CreateClientInput!) { createClient(input: $input) { id } }`,
      { input: { email: `colleague-${Date.now()}@example.test`, displayName: 'Colleague' } },
      { token: otherCoach.accessToken },
    );
    const goalId = await insertGoal(api, firm.tenantId, colleague.createClient.id, 'Run the Q3 pipeline review');
    await api.dataSource.query(`UPDATE goals SET status = 'ACTIVE', created_at = now() - interval '30 days' WHERE id = $1`, [goalId]);
    expect((await planner.planTenant(firm.tenantId, period(), noon())).sent).toBe(2);

    const [message] = await messagesOf(client);
    expect((await messagesOf(client)).map((m) => m.recipientUserId)).toEqual([client.user.id]);
    expect(await messagesOf(client, colleague.createClient.id)).toEqual([]);
    expect((await messagesOf(otherCoach)).map((m) => m.recipientUserId)).toEqual([colleague.createClient.id]);
    expect(await messagesOf(otherCoach, client.user.id)).toEqual([]);
    expect((await messagesOf(firm.admin, client.user.id)).map((m) => m.id)).toEqual([message.id]);
    expect(errorCode(await api.gql(MESSAGES, { recipientId: 'not-a-uuid' }, { token: firm.admin.accessToken }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await api.gql(MESSAGES, {}))).toBe('UNAUTHENTICATED');
  });
});

describe('policy and preferences through GraphQL', () => {
  it('anyone in the firm reads the policy; only an admin changes it; bad values are refused', async () => {
    const { firm, coach, client } = await coachingFirm(api);
    expect((await api.ok<{ nudgePolicy: unknown }>(POLICY, {}, { token: client.accessToken })).nudgePolicy).toEqual({
      enabled: true,
      checkinDueSoonHours: 24,
      quietHoursStart: '21:00',
      quietHoursEnd: '08:00',
      dailyCap: 2,
      isDefault: true,
    });
    expect(errorCode(await api.gql(UPDATE_POLICY, { input: { dailyCap: 3 } }, { token: coach.accessToken }))).toBe('FORBIDDEN');
    expect(errorCode(await api.gql(UPDATE_POLICY, { input: { dailyCap: 3 } }, { token: client.accessToken }))).toBe('FORBIDDEN');
    const key = await createApiKey(api, firm, ['CHECKINS_READ', 'CHECKINS_WRITE']);
    expect(errorCode(await api.gql(UPDATE_POLICY, { input: { dailyCap: 3 } }, { apiKey: key.secret }))).toBe('FORBIDDEN');
    for (const input of [{ dailyCap: 0 }, { quietHoursStart: '25:00' }, { goalStalledDays: -1 }, { checkinDueSoonHours: 500 }]) {
      expect(errorCode(await api.gql(UPDATE_POLICY, { input }, { token: firm.admin.accessToken }))).toBe('BAD_USER_INPUT');
    }
    const updated = await api.ok<{ updateNudgePolicy: Record<string, unknown> }>(
      UPDATE_POLICY,
      { input: { quietHoursStart: '22:30', dailyCap: 3 } },
      { token: firm.admin.accessToken },
    );
    expect(updated.updateNudgePolicy).toMatchObject({ quietHoursStart: '22:30', quietHoursEnd: '08:00', dailyCap: 3, isDefault: false });
    // Another firm keeps its defaults.
    const other = await coachingFirm(api);
    expect((await api.ok<{ nudgePolicy: { isDefault: boolean } }>(POLICY, {}, { token: other.firm.admin.accessToken })).nudgePolicy.isDefault).toBe(
      true,
    );
  });

  it('the client and admins set preferences; their coach reads but cannot decide; others get NOT_FOUND', async () => {
    const { firm, coach, otherCoach, client } = await coachingFirm(api);
    const input = { clientId: client.user.id, mutedRules: ['GOAL_BEHIND'], inApp: false };
    expect((await api.ok<{ updateNudgePreferences: unknown }>(UPDATE_PREFS, { input }, { token: client.accessToken })).updateNudgePreferences).toEqual({
      clientId: client.user.id,
      optedOut: false,
      mutedRules: ['GOAL_BEHIND'],
      email: true,
      inApp: false,
    });
    expect((await api.ok<{ nudgePreferences: { inApp: boolean } }>(PREFS, { clientId: client.user.id }, { token: coach.accessToken })).nudgePreferences.inApp).toBe(false);
    expect(errorCode(await api.gql(UPDATE_PREFS, { input: { clientId: client.user.id, optedOut: true } }, { token: coach.accessToken }))).toBe('FORBIDDEN');
    expect(errorCode(await api.gql(PREFS, { clientId: client.user.id }, { token: otherCoach.accessToken }))).toBe('NOT_FOUND');
    const other = await coachingFirm(api);
    expect(errorCode(await api.gql(PREFS, { clientId: client.user.id }, { token: other.firm.admin.accessToken }))).toBe('NOT_FOUND');
    expect(errorCode(await api.gql(UPDATE_PREFS, { input: { clientId: client.user.id, optedOut: true } }, { token: other.client.accessToken }))).toBe(
      'NOT_FOUND',
    );
    expect(errorCode(await api.gql(UPDATE_PREFS, { input: { clientId: client.user.id, mutedRules: ['NOPE'] } }, { token: client.accessToken }))).toBe(
      'BAD_USER_INPUT',
    );
    const byAdmin = await api.ok<{ updateNudgePreferences: { optedOut: boolean; mutedRules: string[] } }>(
      UPDATE_PREFS,
      { input: { clientId: client.user.id, optedOut: true } },
      { token: firm.admin.accessToken },
    );
    expect(byAdmin.updateNudgePreferences).toMatchObject({ optedOut: true, mutedRules: ['GOAL_BEHIND'] });
  });
});
