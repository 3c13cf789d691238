import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { DateTime } from 'luxon';
import { ApiModule } from '#cairn-app/api';
import { SupporterDigestPlanner } from '#cairn/supporters';
import { EmailDeliverer, MessageKind, SmtpEmailProvider, UnsubscribeLinks } from '#cairn/messaging';
import { NudgePlanner } from '#cairn/nudges';
import { ReportPlanner } from '#cairn/reports';
import {
  coachingFirm,
  createApiKey,
  errorCode,
  type Session,
  type SmtpSink,
  startSmtpSink,
  testConfig,
} from '#cairn/shared/testing';
import { insertGoal } from './action-plan-fixtures.js';
import { sendDueEmails, TestApi } from './support/index.js';

const ZONE = 'Europe/London';
const BASE = 'https://cairn.example';
const PREFS = `query ($clientId: ID!) { nudgePreferences(clientId: $clientId) { optedOut email inApp } }`;

let api: TestApi;
let sink: SmtpSink;
let nudges: NudgePlanner;
let reports: ReportPlanner;
let deliverer: EmailDeliverer;
let links: UnsubscribeLinks;

beforeAll(async () => {
  sink = await startSmtpSink();
  api = await TestApi.start(
    ApiModule.forRoot(
      testConfig({
        SMTP_URL: sink.url,
        NUDGES_PAUSED: 'false',
        REPORTS_PAUSED: 'false',
        PUBLIC_BASE_URL: BASE,
      }),
    ),
  );
  nudges = api.app.get(NudgePlanner, { strict: false });
  reports = api.app.get(ReportPlanner, { strict: false });
  deliverer = api.app.get(EmailDeliverer, { strict: false });
  links = api.app.get(UnsubscribeLinks, { strict: false });
});
afterAll(async () => {
  await api?.close();
  await sink?.stop();
});

const noon = () =>
  DateTime.now().setZone(ZONE).set({ hour: 12, minute: 0, second: 0, millisecond: 0 }).toJSDate();
let periods = 0;

/** A goal without progress for 20 days: something to nudge the client about. */
async function stalledGoal(tenantId: string, clientId: string) {
  const goalId = await insertGoal(api, tenantId, clientId, `Goal ${periods}`);
  await api.dataSource.query(
    `UPDATE goals SET status = 'ACTIVE', created_at = $2::timestamptz - interval '20 days' WHERE id = $1`,
    [goalId, noon()],
  );
}

/** A nudge run for the firm (a stalled goal first), its email sent; the run's email delivery of the client's message. */
async function nudge(tenantId: string, clientId: string) {
  await stalledGoal(tenantId, clientId);
  expect(await nudges.planTenant(tenantId, `unsubscribe${++periods}`, noon())).toMatchObject({ sent: 1 });
  await sendDueEmails(deliverer, tenantId);
  return emailDelivery(tenantId, clientId, 'NUDGE');
}

async function emailDelivery(tenantId: string, recipientId: string, kind: string) {
  const [row] = await api.dataSource.query(
    `SELECT d.status, d.last_error FROM message_deliveries d JOIN messages m ON m.tenant_id = d.tenant_id AND m.id = d.message_id
      WHERE d.tenant_id = $1 AND m.recipient_user_id = $2 AND m.kind = $3 AND d.channel = 'EMAIL' ORDER BY m.created_at DESC LIMIT 1`,
    [tenantId, recipientId, kind],
  );
  return row as { status: string; last_error: string | null };
}

/** The last email to `address`, with its unsubscribe headers as sent. */
async function lastMailTo(address: string) {
  const mail = [...sink.received].reverse().find((m) => JSON.stringify(m.to ?? '').includes(address));
  if (!mail) throw new Error(`No email to ${address}`);
  // Unfolded: a long header is folded onto continuation lines (RFC 5322).
  const line = (key: string) =>
    mail.headerLines.find((h) => h.key === key)?.line.replace(/\r?\n[ \t]+/g, ' ');
  return {
    mail,
    listUnsubscribe: line('list-unsubscribe'),
    listUnsubscribePost: line('list-unsubscribe-post'),
  };
}

/** The path of the List-Unsubscribe URL, checked to be `<PUBLIC_BASE_URL>/email/unsubscribe/<token>`. */
function unsubscribePath(header: string | undefined): string {
  const match =
    /^List-Unsubscribe: <(https:\/\/cairn\.example)(\/email\/unsubscribe\/[A-Za-z0-9_.-]+)>$/.exec(
      header ?? '',
    );
  if (!match) throw new Error(`Unexpected List-Unsubscribe: ${header}`);
  return match[2];
}

const oneClick = (path: string) =>
  api.http.post(path).type('form').set('Accept', 'application/json').send('List-Unsubscribe=One-Click');

const prefsOf = async (session: Session, clientId: string) =>
  (
    await api.ok<{ nudgePreferences: { optedOut: boolean; email: boolean; inApp: boolean } }>(
      PREFS,
      { clientId },
      { token: session.accessToken },
    )
  ).nudgePreferences;

const nudgeVersion = async (tenantId: string, clientId: string) =>
  (
    (await api.dataSource.query(
      `SELECT version FROM nudge_preferences WHERE tenant_id = $1 AND client_id = $2`,
      [tenantId, clientId],
    )) as {
      version: number;
    }[]
  )[0]?.version ?? null;

describe('one-click unsubscribe from nudge emails', () => {
  it('carries List-Unsubscribe and List-Unsubscribe-Post; GET changes nothing, POST turns email nudges off once, and later nudges skip email', async () => {
    const { firm, client } = await coachingFirm(api);
    expect(await nudge(firm.tenantId, client.user.id)).toMatchObject({ status: 'SENT' });
    const sent = await lastMailTo(client.user.email);
    expect(sent.listUnsubscribePost).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    const path = unsubscribePath(sent.listUnsubscribe);

    // RFC 8058: a GET (a link scanner, a preview) must not unsubscribe; it shows a button that POSTs.
    const page = await api.http.get(path);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.text).toContain('Stop receiving nudge emails?');
    expect(page.text).toContain('<input type="hidden" name="List-Unsubscribe" value="One-Click">');
    expect(await prefsOf(client, client.user.id)).toEqual({ optedOut: false, email: true, inApp: true });

    const first = await oneClick(path);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ unsubscribed: true, kind: 'NUDGE' });
    expect(await prefsOf(client, client.user.id)).toEqual({ optedOut: false, email: false, inApp: true });
    const version = await nudgeVersion(firm.tenantId, client.user.id);

    // A replay (the mail provider retrying, the person clicking twice) answers the same and changes nothing.
    const replays = await Promise.all([oneClick(path), oneClick(path)]);
    expect(replays.map((r) => [r.status, r.body])).toEqual([
      [200, { unsubscribed: true, kind: 'NUDGE' }],
      [200, { unsubscribed: true, kind: 'NUDGE' }],
    ]);
    expect(await nudgeVersion(firm.tenantId, client.user.id)).toBe(version);

    // The next nudge reaches the feed, not the inbox.
    const mails = sink.received.length;
    expect(await nudge(firm.tenantId, client.user.id)).toEqual({
      status: 'SKIPPED',
      last_error: 'The client turned email nudges off',
    });
    expect(sink.received.length).toBe(mails);
  });

  it('takes the one-click POST as multipart/form-data too, and answers a browser’s form with a page', async () => {
    const { firm, client } = await coachingFirm(api);
    const path = new URL(
      links.urlFor({ tenantId: firm.tenantId, userId: client.user.id, kind: MessageKind.NUDGE }),
    ).pathname;
    const multipart = await api.http
      .post(path)
      .set('Accept', 'application/json')
      .field('List-Unsubscribe', 'One-Click');
    expect(multipart.status).toBe(200);
    expect((await prefsOf(client, client.user.id)).email).toBe(false);
    const browser = await api.http
      .post(path)
      .type('form')
      .set('Accept', 'text/html')
      .send('List-Unsubscribe=One-Click');
    expect(browser.status).toBe(200);
    expect(browser.text).toContain('You will no longer receive nudge emails.');
    expect(browser.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(browser.headers['content-security-policy']).toContain("default-src 'none'");
    // The page never shows the token (a credential) and holds no form once done.
    expect(browser.text).not.toContain(path.split('/').pop());
    expect(browser.text).not.toContain('<form');
    const confirm = await api.http.get(path);
    expect(confirm.text).toMatch(
      /<form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click">/,
    );
    expect(confirm.text).not.toContain(path.split('/').pop());
  });

  it('refuses a POST without List-Unsubscribe=One-Click, changing nothing', async () => {
    const { firm, client } = await coachingFirm(api);
    const path = new URL(
      links.urlFor({ tenantId: firm.tenantId, userId: client.user.id, kind: MessageKind.NUDGE }),
    ).pathname;
    for (const request of [
      api.http.post(path).set('Accept', 'application/json'),
      api.http.post(path).type('form').set('Accept', 'application/json').send('List-Unsubscribe=Maybe'),
    ]) {
      const res = await request;
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ error: { code: 'UNSUBSCRIBE_BODY_INVALID', message: expect.any(String) } });
    }
    expect((await prefsOf(client, client.user.id)).email).toBe(true);
  });
});

describe('one-click unsubscribe from supporter digests', () => {
  it('a supporter (no account) gets the headers too; POST stops their digests and keeps the client’s nudges', async () => {
    const c = await coachingFirm(api);
    const email = `sup-${Math.random().toString(36).slice(2, 8)}@example.test`;
    const goal = await api.ok<{ createGoal: { id: string } }>(
      `mutation ($input: CreateGoalInput!) { createGoal(input: $input) { id } }`,
      {
        input: {
          clientId: c.client.user.id,
          horizon: 'IMMEDIATE',
          category: 'SKILL',
          title: 'Lead the weekly huddle',
        },
      },
      { token: c.client.accessToken },
    );
    const { inviteSupporter } = await api.ok<{ inviteSupporter: { supporter: { id: string } } }>(
      `mutation ($input: InviteSupporterInput!) { inviteSupporter(input: $input) { supporter { id } } }`,
      {
        input: {
          clientId: c.client.user.id,
          email,
          displayName: 'Kenji',
          relationship: 'MENTOR',
          timezone: 'Asia/Tokyo',
        },
      },
      { token: c.client.accessToken },
    );
    const supporterId = inviteSupporter.supporter.id;
    await api.ok(
      `mutation ($input: GoalShareInput!) { shareGoalWithSupporter(input: $input) { id } }`,
      { input: { supporterId, goalId: goal.createGoal.id } },
      { token: c.client.accessToken },
    );
    const digests = api.app.get(SupporterDigestPlanner, { strict: false });
    // Monday 10:00 in Tokyo (UTC+9 all year): the weekly digest is due.
    expect(await digests.planTenant(c.firm.tenantId, new Date('2026-12-14T01:00:00Z'))).toMatchObject({
      sent: 1,
    });
    await sendDueEmails(deliverer, c.firm.tenantId);
    const sent = await lastMailTo(email);
    expect(sent.listUnsubscribePost).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    expect((await oneClick(unsubscribePath(sent.listUnsubscribe))).status).toBe(200);
    const [row] = await api.dataSource.query(`SELECT digest_opted_out_at FROM supporters WHERE id = $1`, [
      supporterId,
    ]);
    expect(row.digest_opted_out_at).not.toBeNull();
    expect(await digests.planTenant(c.firm.tenantId, new Date('2026-12-21T01:00:00Z'))).toMatchObject({
      sent: 0,
    });
    // The supporter's opt-out is theirs: the client's own email nudges are untouched.
    expect((await prefsOf(c.client, c.client.user.id)).email).toBe(true);
  });
});

describe('unsubscribe links are bound to one firm, one person and one kind', () => {
  it('refuses forged, altered, foreign-key and expired tokens with a 4xx and a stable code, without details', async () => {
    const a = await coachingFirm(api);
    const b = await coachingFirm(api);
    const good = links.urlFor({
      tenantId: a.firm.tenantId,
      userId: a.client.user.id,
      kind: MessageKind.NUDGE,
    });
    const token = good.split('/').pop()!;
    const [header, payload, signature] = token.split('.');
    const json = (part: string) =>
      JSON.parse(Buffer.from(part, 'base64url').toString()) as Record<string, unknown>;
    const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    // Firm B's client named in A's payload, A's signature kept: the signature no longer matches.
    const altered = [
      header,
      encode({ ...json(payload), tid: b.firm.tenantId, sub: b.client.user.id }),
      signature,
    ].join('.');
    const flippedKind = [header, encode({ ...json(payload), kind: 'REPORT' }), signature].join('.');
    const unsigned = [encode({ alg: 'none', typ: 'JWT' }), payload, ''].join('.');
    const wrongSignature = [header, payload, Buffer.alloc(32, 1).toString('base64url')].join('.');

    for (const bad of [altered, flippedKind, unsigned, wrongSignature, 'not-a-token', 'a.b.c']) {
      const post = await api.http
        .post(`/email/unsubscribe/${bad}`)
        .type('form')
        .set('Accept', 'application/json')
        .send('List-Unsubscribe=One-Click');
      expect([bad, post.status, post.body]).toEqual([
        bad,
        400,
        { error: { code: 'UNSUBSCRIBE_LINK_INVALID', message: 'This unsubscribe link is not valid' } },
      ]);
      const get = await api.http.get(`/email/unsubscribe/${bad}`);
      expect(get.status).toBe(400);
      expect(get.text).not.toMatch(/at .+\.(ts|js):\d+/);
    }

    // Made 91 days ago: past UNSUBSCRIBE_LINK_TTL_DAYS.
    const now = Date.now();
    const clock = jest.spyOn(Date, 'now').mockReturnValue(now - 91 * 24 * 3600_000);
    const old = links.urlFor({
      tenantId: a.firm.tenantId,
      userId: a.client.user.id,
      kind: MessageKind.NUDGE,
    });
    clock.mockRestore();
    const expired = await oneClick(new URL(old).pathname);
    expect(expired.status).toBe(410);
    expect(expired.body.error.code).toBe('UNSUBSCRIBE_LINK_EXPIRED');

    expect((await prefsOf(a.client, a.client.user.id)).email).toBe(true);
    expect((await prefsOf(b.client, b.client.user.id)).email).toBe(true);
  });

  it('changes only the firm and person its token names: firm B’s people keep their email', async () => {
    const a = await coachingFirm(api);
    const b = await coachingFirm(api);
    const path = new URL(
      links.urlFor({ tenantId: a.firm.tenantId, userId: a.client.user.id, kind: MessageKind.NUDGE }),
    ).pathname;
    expect((await oneClick(path)).status).toBe(200);
    expect((await prefsOf(a.client, a.client.user.id)).email).toBe(false);
    expect((await prefsOf(b.client, b.client.user.id)).email).toBe(true);
    // A's client id under B's firm names nobody there: a no-op, not an error, and nothing written in B.
    const crossed = new URL(
      links.urlFor({ tenantId: b.firm.tenantId, userId: a.client.user.id, kind: MessageKind.NUDGE }),
    ).pathname;
    expect((await oneClick(crossed)).status).toBe(200);
    expect(await nudgeVersion(b.firm.tenantId, a.client.user.id)).toBeNull();
    expect(await nudge(b.firm.tenantId, b.client.user.id)).toMatchObject({ status: 'SENT' });
  });
});

describe('one-click unsubscribe from report emails', () => {
  it('carries the headers; POST opts the coach out of report emails only, and the next report reaches the feed but not the inbox', async () => {
    const { firm, coach, client } = await coachingFirm(api);
    expect(await reports.planTenant(firm.tenantId, new Date())).toMatchObject({ created: 1 });
    await sendDueEmails(deliverer, firm.tenantId);
    expect(await emailDelivery(firm.tenantId, coach.user.id, 'REPORT')).toMatchObject({ status: 'SENT' });
    const sent = await lastMailTo(coach.user.email);
    expect(sent.listUnsubscribePost).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    const path = unsubscribePath(sent.listUnsubscribe);
    expect((await api.http.get(path)).text).toContain('Stop receiving client report emails?');

    const res = await oneClick(path);
    expect([res.status, res.body]).toEqual([200, { unsubscribed: true, kind: 'REPORT' }]);
    expect((await oneClick(path)).status).toBe(200);
    const optOuts = await api.dataSource.query(
      `SELECT coach_id FROM report_email_opt_outs WHERE tenant_id = $1`,
      [firm.tenantId],
    );
    expect(optOuts).toEqual([{ coach_id: coach.user.id }]);
    // The report link is not a nudge opt-out.
    expect(await nudgeVersion(firm.tenantId, coach.user.id)).toBeNull();
    expect((await prefsOf(client, client.user.id)).email).toBe(true);

    const mails = sink.received.length;
    const nextWeek = new Date(Date.now() + 7 * 24 * 3600_000);
    expect(await reports.planTenant(firm.tenantId, nextWeek)).toMatchObject({ created: 1 });
    await sendDueEmails(deliverer, firm.tenantId);
    expect(await emailDelivery(firm.tenantId, coach.user.id, 'REPORT')).toEqual({
      status: 'SKIPPED',
      last_error: 'The coach unsubscribed from report emails',
    });
    expect(sink.received.length).toBe(mails);
    const [feed] = await api.dataSource.query(
      `SELECT count(*)::int AS n FROM notifications WHERE tenant_id = $1 AND recipient_user_id = $2 AND kind = 'REPORT_READY'`,
      [firm.tenantId, coach.user.id],
    );
    expect(feed.n).toBe(2);
  });
});

const REPORT_PREF = `query { reportEmailPreference { coachId email unsubscribedAt } }`;
const SET_REPORT_PREF = `mutation ($input: UpdateReportEmailPreferenceInput!) {
  updateReportEmailPreference(input: $input) { coachId email unsubscribedAt } }`;
type ReportPref = { coachId: string; email: boolean; unsubscribedAt: string | null };
const setReportEmail = async (session: Session, email: boolean) =>
  (
    await api.ok<{ updateReportEmailPreference: ReportPref }>(
      SET_REPORT_PREF,
      { input: { email } },
      { token: session.accessToken },
    )
  ).updateReportEmailPreference;
const optOutRows = async (tenantId: string) =>
  (await api.dataSource.query(`SELECT coach_id FROM report_email_opt_outs WHERE tenant_id = $1`, [
    tenantId,
  ])) as {
    coach_id: string;
  }[];

describe('a coach’s report email preference', () => {
  it('turns report emails off and back on through the API; the next report is emailed again', async () => {
    const { firm, coach } = await coachingFirm(api);
    const initial = await api.ok<{ reportEmailPreference: ReportPref }>(
      REPORT_PREF,
      {},
      { token: coach.accessToken },
    );
    expect(initial.reportEmailPreference).toEqual({
      coachId: coach.user.id,
      email: true,
      unsubscribedAt: null,
    });

    const off = await setReportEmail(coach, false);
    expect(off).toMatchObject({ coachId: coach.user.id, email: false });
    expect(Date.parse(off.unsubscribedAt as string)).not.toBeNaN();
    // Asking again keeps the first opt-out's time.
    expect(await setReportEmail(coach, false)).toEqual(off);
    expect(await reports.planTenant(firm.tenantId, new Date())).toMatchObject({ created: 1 });
    await sendDueEmails(deliverer, firm.tenantId);
    expect(await emailDelivery(firm.tenantId, coach.user.id, 'REPORT')).toMatchObject({ status: 'SKIPPED' });

    expect(await setReportEmail(coach, true)).toEqual({
      coachId: coach.user.id,
      email: true,
      unsubscribedAt: null,
    });
    expect(await setReportEmail(coach, true)).toEqual({
      coachId: coach.user.id,
      email: true,
      unsubscribedAt: null,
    });
    expect(await optOutRows(firm.tenantId)).toEqual([]);
    const nextWeek = new Date(Date.now() + 7 * 24 * 3600_000);
    expect(await reports.planTenant(firm.tenantId, nextWeek)).toMatchObject({ created: 1 });
    await sendDueEmails(deliverer, firm.tenantId);
    expect(await emailDelivery(firm.tenantId, coach.user.id, 'REPORT')).toMatchObject({ status: 'SENT' });
    expect((await lastMailTo(coach.user.email)).mail.subject).toBeTruthy();
  });

  it('undoes a report email’s one-click unsubscribe', async () => {
    const { firm, coach } = await coachingFirm(api);
    const path = new URL(
      links.urlFor({ tenantId: firm.tenantId, userId: coach.user.id, kind: MessageKind.REPORT }),
    ).pathname;
    expect((await oneClick(path)).status).toBe(200);
    const pref = await api.ok<{ reportEmailPreference: ReportPref }>(
      REPORT_PREF,
      {},
      { token: coach.accessToken },
    );
    expect(pref.reportEmailPreference.email).toBe(false);
    expect((await setReportEmail(coach, true)).email).toBe(true);
    expect(await optOutRows(firm.tenantId)).toEqual([]);
  });

  it('is the signed-in coach’s own: clients, admins and API keys are refused; another firm’s coach changes only theirs', async () => {
    const a = await coachingFirm(api);
    const b = await coachingFirm(api);
    const key = await createApiKey(api, a.firm, [
      'USERS_READ',
      'CLIENTS_READ',
      'CLIENTS_WRITE',
      'CLIENTS_ACT',
      'GOALS_READ',
      'GOALS_WRITE',
      'CHECKINS_READ',
      'CHECKINS_WRITE',
      'PROFILE_READ',
      'PROFILE_WRITE',
    ]);
    for (const credentials of [
      { token: a.client.accessToken },
      { token: a.firm.admin.accessToken },
      { apiKey: key.secret },
    ]) {
      const read = await api.gql(REPORT_PREF, {}, credentials);
      expect(errorCode(read)).toBe('FORBIDDEN');
      const write = await api.gql(SET_REPORT_PREF, { input: { email: false } }, credentials);
      expect(errorCode(write)).toBe('FORBIDDEN');
    }
    expect(await optOutRows(a.firm.tenantId)).toEqual([]);

    await setReportEmail(b.coach, false);
    expect(await optOutRows(b.firm.tenantId)).toEqual([{ coach_id: b.coach.user.id }]);
    expect(await optOutRows(a.firm.tenantId)).toEqual([]);
    const aPref = await api.ok<{ reportEmailPreference: ReportPref }>(
      REPORT_PREF,
      {},
      { token: a.coach.accessToken },
    );
    expect(aPref.reportEmailPreference).toEqual({
      coachId: a.coach.user.id,
      email: true,
      unsubscribedAt: null,
    });
  });

  it('refuses a missing or non-boolean choice with BAD_USER_INPUT, changing nothing', async () => {
    const { firm, coach } = await coachingFirm(api);
    for (const input of [{}, { email: 'no' }, { email: null }, { email: false, extra: 1 }]) {
      const result = await api.gql(SET_REPORT_PREF, { input }, { token: coach.accessToken });
      expect(result.status).toBeLessThan(500);
      expect(errorCode(result)).toBe('BAD_USER_INPUT');
      expect(JSON.stringify(result.errors)).toMatch(/email|extra/);
    }
    expect(await optOutRows(firm.tenantId)).toEqual([]);
  });
});

describe('the deliverer and its provider', () => {
  it('hands the provider each email with its delivery id as the idempotency key', async () => {
    const send = jest.spyOn(SmtpEmailProvider.prototype, 'send');
    try {
      const { firm, client } = await coachingFirm(api);
      await nudge(firm.tenantId, client.user.id);
      const [delivery] = await api.dataSource.query(
        `SELECT d.id FROM message_deliveries d JOIN messages m ON m.tenant_id = d.tenant_id AND m.id = d.message_id
          WHERE d.tenant_id = $1 AND m.recipient_user_id = $2 AND d.channel = 'EMAIL'`,
        [firm.tenantId, client.user.id],
      );
      expect(send).toHaveBeenCalledTimes(1);
      expect(send).toHaveBeenCalledWith(
        expect.objectContaining({
          to: expect.objectContaining({ address: client.user.email }),
          headers: { 'X-Cairn-Delivery-Id': delivery.id },
          unsubscribeUrl: expect.stringMatching(/^https:\/\/cairn\.example\/email\/unsubscribe\//),
        }),
        { idempotencyKey: delivery.id },
      );
    } finally {
      send.mockRestore();
    }
  });
});
