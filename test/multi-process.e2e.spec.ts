import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { DateTime } from 'luxon';
import pg from 'pg';
import { QueueName } from '#cairn/shared/queue';
import {
  addUser,
  appQueue,
  assignOpenCheckIn,
  checkInAnswers,
  createApiKey,
  createClient,
  freePort,
  type FirmFixture,
  isolatedRedisUrl,
  type LiveFeed,
  ownTestDatabaseUrl,
  redisConnectionOf,
  RemoteApi,
  type Session,
  settledAfter,
  signUpFirm,
  type SmtpSink,
  spawnNode,
  startSmtpSink,
  stopProcess,
  subscribeToNotifications,
  testEnv,
  waitFor,
} from '#cairn/shared/testing';
import { API_MAIN, ensureBuilt, freshOwnDatabase, WORKER_MAIN } from './support/index.js';

/**
 * Two API and three worker processes (real ones, from dist/) on one database and one Redis, with one worker
 * SIGKILLed mid-run while SMTP is down and the others running, then all restarted: nudges, coach reports,
 * check-in announcements, emails and webhooks each happen exactly once, and a subscriber on API 1 hears of what
 * was done through API 2.
 */
const DATABASE_URL = ownTestDatabaseUrl('multi_process');
const REDIS_URL = isolatedRedisUrl('multi-process');
const FIRMS = 2;
const CLIENTS_PER_FIRM = 6;
const SUBMISSIONS = 3;
/** Building dist/ (when stale) and booting five processes on a busy 2-core machine. */
const SLOW_STEP_MS = 6 * 60_000;

interface Received {
  eventId: string;
  type: string;
}

describe('two APIs and three workers on one database and Redis', () => {
  const apis: { process: ChildProcess; api: RemoteApi; port: number }[] = [];
  const workers: (ChildProcess | undefined)[] = [];
  let sink: SmtpSink;
  let receiver: Server;
  const received: Received[] = [];
  let db: pg.Pool;
  let redis: Redis;
  let coachFeed: LiveFeed | undefined;
  const firms: (FirmFixture & { coach: Session; clients: { id: string; email: string }[] })[] = [];

  const env = () =>
    testEnv({
      DATABASE_URL,
      REDIS_URL,
      SMTP_URL: sink.url,
      NUDGES_PAUSED: 'false',
      REPORTS_PAUSED: 'false',
      WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
    });
  const startWorker = (n: number) => spawnNode(WORKER_MAIN, env(), `worker ${n + 1}`);
  const count = async (sql: string, params: unknown[] = []) => Number((await db.query(sql, params)).rows[0].n);

  beforeAll(async () => {
    ensureBuilt();
    await freshOwnDatabase(DATABASE_URL);
    db = new pg.Pool({ connectionString: DATABASE_URL, max: 2 });
    redis = new Redis({ ...redisConnectionOf(REDIS_URL), lazyConnect: true });
    await redis.connect();
    await redis.flushdb();
    sink = await startSmtpSink();
    receiver = createServer((req, res) => {
      req.resume().on('end', () => {
        received.push({ eventId: String(req.headers['cairn-event-id']), type: String(req.headers['cairn-event-type']) });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;

    for (let n = 0; n < 2; n++) {
      const port = await freePort();
      apis.push({ process: spawnNode(API_MAIN, { ...env(), API_PORT: String(port) }, `api ${n + 1}`), api: new RemoteApi(`http://127.0.0.1:${port}`), port });
    }
    for (const { api } of apis)
      await waitFor(`${api.baseUrl} to be live`, () => fetch(`${api.baseUrl}/health/live`).then((res) => res.ok, () => false));

    // Each firm set up through both APIs in turn. Nothing runs yet: the workers start in the test.
    for (let f = 0; f < FIRMS; f++) {
      const api = (i: number) => apis[(f + i) % 2].api;
      const firm = await signUpFirm(api(0), `Scale-out Firm ${f}`);
      const coach = await addUser(api(1), firm, 'COACH');
      const admin = { token: firm.admin.accessToken };
      if (f === 0) coachFeed = subscribeToNotifications(`ws://127.0.0.1:${apis[0].port}/graphql`, coach.accessToken);
      await api(0).ok(`mutation { updateNudgePolicy(input: { quietHoursStart: "00:00", quietHoursEnd: "00:00" }) { enabled } }`, {}, admin);
      const today = DateTime.now().setZone('Europe/London').weekday;
      await api(1).ok(
        `mutation ($input: UpdateReportPolicyInput!) { updateReportPolicy(input: $input) { enabled } }`,
        { input: { weekday: today, localTime: '00:00' } },
        admin,
      );
      await api(0).ok(
        `mutation ($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret } }`,
        { input: { url: receiverUrl, eventTypes: ['CHECKIN_DUE', 'CHECKIN_SUBMITTED', 'NUDGE_SENT', 'REPORT_READY'] } },
        admin,
      );
      const clients = [];
      for (let c = 0; c < CLIENTS_PER_FIRM; c++) {
        const email = `client-${f}-${c}@scale-out.example`;
        const { id } = await createClient(api(c), coach, { email, displayName: `Client ${f}-${c}` });
        await assignOpenCheckIn(api(c + 1), coach, id);
        clients.push({ id, email });
      }
      // One stalled goal each: exactly one thing to nudge every client about.
      await db.query(
        `INSERT INTO goals (tenant_id, client_id, horizon, title, category, status, created_at)
         SELECT $1, u.id, 'IMMEDIATE', 'Improve report writing', 'SKILL', 'ACTIVE', now() - interval '30 days'
           FROM users u WHERE u.tenant_id = $1 AND u.role = 'CLIENT'`,
        [firm.tenantId],
      );
      firms.push({ ...firm, coach, clients });
    }
  }, SLOW_STEP_MS);

  afterAll(async () => {
    await coachFeed?.close();
    await Promise.all(workers.map((worker) => stopProcess(worker)));
    await Promise.all(apis.map(({ process }) => stopProcess(process, 'SIGTERM')));
    await redis?.flushdb().catch(() => undefined);
    redis?.disconnect();
    await db?.end();
    receiver?.closeAllConnections();
    await new Promise((resolve) => receiver?.close(resolve));
    await sink?.stop();
  });

  it('does every nudge, report, announcement, email and webhook once, through a worker crash', async () => {
    const clients = firms.flatMap((firm) => firm.clients);
    const total = clients.length;
    // Both APIs' live-notification listeners are subscribed before anything can announce.
    await waitFor('both APIs to listen for live notifications', async () => {
      const list = (await redis.client('LIST')) as string;
      const ours = ` db=${new URL(REDIS_URL).pathname.slice(1)} `;
      return list.split('\n').filter((line) => line.includes('name=cairn-notifications-sub') && line.includes(ours)).length >= 2;
    });

    await sink.stop(); // SMTP down for the first run: email attempts fail and wait to be retried
    for (let n = 0; n < 3; n++) workers[n] = startWorker(n);
    // The periodic sweeps' first runs, at boot: nudges, reports and check-in announcements, shared by three workers.
    await waitFor('every nudge', async () => (await count(`SELECT count(*) AS n FROM messages WHERE kind = 'NUDGE'`)) === total);
    await waitFor('every report', async () => (await count(`SELECT count(*) AS n FROM messages WHERE kind = 'REPORT'`)) === FIRMS);
    await waitFor('every check-in announced', async () =>
      (await count(`SELECT count(*) AS n FROM check_ins WHERE announced_at IS NOT NULL`)) === total,
    );
    await waitFor('email attempts failing while SMTP is down', async () =>
      (await count(`SELECT count(*) AS n FROM message_delivery_attempts WHERE NOT succeeded`)) > 0,
    );

    // Nothing in flight but failing email attempts (SMTP is down), so the crash cannot land between a webhook
    // arriving and it being recorded: that window makes a webhook (like an email) go twice, by design.
    await waitFor('the webhooks so far delivered', async () =>
      (await count(`SELECT count(*) AS n FROM webhook_deliveries WHERE status <> 'DELIVERED'`)) === 0,
    );
    await stopProcess(workers[0]); // SIGKILL, with the others running: whatever it had claimed dies with it
    // Then the others restart (SIGTERM: they finish what they hold). Leases can be cut short only while no worker
    // runs: a live one may be mid-attempt on what it leased.
    await Promise.all(workers.slice(1).map((worker) => stopProcess(worker, 'SIGTERM')));
    // Time passes: email back-off and the dead worker's claim leases run out (rather than waiting minutes).
    await db.query(`UPDATE message_deliveries SET next_attempt_at = now() WHERE status = 'QUEUED'`);
    await db.query(`UPDATE webhook_deliveries SET next_attempt_at = now() WHERE status = 'PENDING'`);
    await sink.start();
    for (let n = 0; n < 3; n++) workers[n] = startWorker(n);

    // Clients of firm 0 answer through API 2; their coach is listening on API 1.
    const [firm] = firms;
    const key = await createApiKey(apis[1].api, firm, ['CLIENTS_ACT', 'CHECKINS_WRITE']);
    for (const client of firm.clients.slice(0, SUBMISSIONS)) {
      const acting = await apis[1].api.ok<{ actAsClient: { accessToken: string } }>(
        `mutation ($clientId: ID!) { actAsClient(clientId: $clientId) { accessToken } }`,
        { clientId: client.id },
        { apiKey: key.secret },
      );
      const [{ id: checkInId }] = (await db.query(`SELECT id FROM check_ins WHERE client_id = $1 AND opens_at <= now() AND closes_at > now()`, [client.id])).rows;
      await apis[1].api.ok(
        `mutation ($input: SubmitCheckInInput!) { submitCheckIn(input: $input) { id } }`,
        { input: { checkInId, answers: checkInAnswers, idempotencyKey: `scale-out-${client.id}` } },
        { token: acting.actAsClient.accessToken },
      );
    }

    const emails = total + FIRMS;
    await waitFor('every email', () => sink.received.length >= emails, 90_000);
    await waitFor('every email recorded SENT', async () =>
      (await count(`SELECT count(*) AS n FROM message_deliveries WHERE channel = 'EMAIL' AND status = 'SENT'`)) === emails,
    );
    await waitFor('every webhook delivered', async () =>
      (await count(`SELECT count(*) AS n FROM webhook_deliveries WHERE status <> 'DELIVERED'`)) === 0 &&
      (await count(`SELECT count(*) AS n FROM webhook_deliveries`)) === (await count(`SELECT count(*) AS n FROM domain_events`)),
    );
    const coachNotifications = async () =>
      (await db.query(`SELECT id FROM notifications WHERE recipient_user_id = $1`, [firm.coach.user.id])).rows
        .map((r: { id: string }) => r.id)
        .sort();
    await waitFor('the coach’s notifications live on API 1', async () =>
      coachFeed!.received.length >= (await coachNotifications()).length && (await coachNotifications()).length === SUBMISSIONS + 1,
    );

    // Before counting, let anything that could send a second copy run: a sweep of each outbox that started
    // after everything was out, then every job it or anything before it queued.
    const allOut = Date.now();
    await Promise.all(
      (
        [
          [QueueName.MESSAGES, 'messages.dispatch-due'],
          [QueueName.WEBHOOKS, 'webhooks.dispatch-due'],
        ] as const
      ).map(async ([name, sweep]) => {
        const queue = appQueue(name, REDIS_URL);
        try {
          await settledAfter(queue, sweep, allOut);
        } finally {
          await queue.close();
        }
      }),
    );

    // Emails: one per message, each to its recipient once.
    const to = sink.received.map((mail) => JSON.stringify(mail.to).match(/[\w.-]+@[\w.-]+\.(example|test)/)?.[0]);
    expect(to.sort()).toEqual([...clients.map((c) => c.email), ...firms.map((f) => f.coach.user.email)].sort());
    // The ledger and what it caused: one nudge message (all of the client's ledger items), notification and event
    // per client; one report per coach.
    expect(await count(`SELECT count(*) AS n FROM messages WHERE kind = 'NUDGE'`)).toBe(total);
    const [ledger] = (
      await db.query(
        `SELECT count(DISTINCT i.client_id)::int AS clients, count(DISTINCT i.message_id)::int AS messages,
                count(*) FILTER (WHERE m.id IS NULL OR m.recipient_user_id <> i.client_id)::int AS strays
           FROM nudge_items i LEFT JOIN messages m ON m.tenant_id = i.tenant_id AND m.id = i.message_id AND m.kind = 'NUDGE'`,
      )
    ).rows;
    expect(ledger).toEqual({ clients: total, messages: total, strays: 0 });
    expect(await count(`SELECT count(*) AS n FROM coach_reports`)).toBe(FIRMS);
    expect(await count(`SELECT count(*) AS n FROM notifications WHERE kind = 'NUDGE'`)).toBe(total);
    expect(await count(`SELECT count(*) AS n FROM notifications WHERE kind = 'CHECKIN_DUE'`)).toBe(total);
    const events = (await db.query(`SELECT id, type FROM domain_events`)).rows as { id: string; type: string }[];
    const perType = (type: string) => events.filter((e) => e.type === type).length;
    expect([perType('nudge.sent'), perType('report.ready'), perType('checkin.due'), perType('checkin.submitted')]).toEqual([
      total,
      FIRMS,
      total,
      SUBMISSIONS,
    ]);
    // Webhooks: every event received once (one endpoint per firm).
    expect(received.map((r) => r.eventId).sort()).toEqual(events.map((e) => e.id).sort());
    // Live: the coach's report and the three answers made through API 2, each once, on API 1.
    expect(coachFeed!.errors).toEqual([]);
    expect(coachFeed!.received.map((n) => n.id).sort()).toEqual(await coachNotifications());
    expect(coachFeed!.received.map((n) => n.kind).sort()).toEqual(['CHECKIN_SUBMITTED', 'CHECKIN_SUBMITTED', 'CHECKIN_SUBMITTED', 'REPORT_READY']);
  }, SLOW_STEP_MS);
});
