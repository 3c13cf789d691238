import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Job } from 'bullmq';
import { Redis } from 'ioredis';
import { DateTime } from 'luxon';
import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiModule } from '#cairn-app/api';
import { WorkerModule } from '#cairn-app/worker';
import { NudgePlanner } from '#cairn/nudges';
import { JobHandlerRegistry } from '#cairn/shared/queue';
import {
  addUser,
  createClient,
  errorCode,
  isolatedRedisUrl,
  redisConnectionOf,
  signUpFirm,
  ownTestDatabaseUrl,
  testConfig,
  waitFor,
} from '#cairn/shared/testing';
import { WebhookDeliverer } from '#cairn/webhooks';
import { freshOwnDatabase, TestApi } from './support/index.js';

/**
 * Issue 5, "webhook receiver down", for `nudge.sent`: a nudge run while the firm's receiver refuses
 * connections and then answers 500 loses nothing; once the receiver is back every client's event arrives
 * exactly once, signed, and a later run sends nothing more.
 *
 * The worker's due-delivery sweep is cross-tenant, so in the shared test database it would attempt other
 * suites' deliveries (and their workers ours). This suite has a database of its own, like nudges-crash, and
 * a Redis database of its own.
 */
const DATABASE_URL = ownTestDatabaseUrl('nudge_webhooks');
const REDIS_URL = isolatedRedisUrl('nudges-webhooks');
const ZONE = 'Europe/London';
const CLIENTS = 6;

const CREATE_ENDPOINT = `mutation ($input: CreateWebhookEndpointInput!) {
  createWebhookEndpoint(input: $input) { secret endpoint { id } } }`;
const DELIVERIES = `query ($endpointId: ID, $eventId: ID, $status: WebhookDeliveryStatus) {
  webhookDeliveries(endpointId: $endpointId, eventId: $eventId, status: $status, first: 100) {
    edges { node { id eventId status attemptCount lastStatusCode lastError deliveredAt
      attempts { attemptNumber statusCode error succeeded } } } } }`;

const MESSAGE_WEBHOOK = `query ($recipientId: ID) { messages(recipientId: $recipientId, first: 5) { edges { node { id deliveries {
  channel status attemptCount nextAttemptAt lastError sentAt webhookEventId } } } } }`;

interface MessageWebhook {
  channel: string;
  status: string;
  attemptCount: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  sentAt: string | null;
  webhookEventId: string | null;
}

interface Delivery {
  id: string;
  eventId: string;
  status: string;
  attemptCount: number;
  lastStatusCode: number | null;
  lastError: string | null;
  deliveredAt: string | null;
  attempts: { attemptNumber: number; statusCode: number | null; error: string | null; succeeded: boolean }[];
}

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
  /** What the receiver answered. */
  status: number;
}

/** The receiver side of the README recipe: HMAC-SHA256 of "<timestamp>.<body>", within five minutes. */
function verifies(secret: string, request: Received): boolean {
  const timestamp = Number(request.headers['cairn-timestamp']);
  if (!Number.isInteger(timestamp) || Math.abs(Date.now() / 1000 - timestamp) > 300) return false;
  const expected = Buffer.from(
    `v1=${createHmac('sha256', secret).update(`${timestamp}.${request.body}`).digest('hex')}`,
  );
  return String(request.headers['cairn-signature'] ?? '')
    .split(',')
    .map((s) => Buffer.from(s.trim()))
    .some((given) => given.length === expected.length && timingSafeEqual(given, expected));
}

/** How many times each value occurs. */
const tally = (values: unknown[]) =>
  values.reduce<Map<string, number>>((m, v) => m.set(String(v), (m.get(String(v)) ?? 0) + 1), new Map());

describe('nudge.sent with the webhook receiver down', () => {
  let api: TestApi;
  let worker: INestApplicationContext | undefined;
  let redis: Redis;
  let planner: NudgePlanner;
  let tenantId: string;
  let adminToken: string;
  let endpointId: string;
  let secret: string;
  const clientIds: string[] = [];

  // The receiver: not listening at first (connection refused), then up and answering `reply`.
  const received: Received[] = [];
  let reply = 500;
  const receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body, status: reply });
      res.writeHead(reply).end();
    });
  });
  let port = 0;
  const listen = () => new Promise<void>((resolve) => receiver.listen(port, '127.0.0.1', resolve));
  const stopReceiver = async () => {
    if (!receiver.listening) return;
    receiver.closeAllConnections();
    await new Promise((resolve) => receiver.close(resolve));
  };

  const deliveries = async (status?: string) =>
    (
      await api.ok<{ webhookDeliveries: { edges: { node: Delivery }[] } }>(
        DELIVERIES,
        { endpointId, status },
        { token: adminToken },
      )
    ).webhookDeliveries.edges.map((e) => e.node);
  const count = async (sql: string) => Number((await api.dataSource.query(sql, [tenantId]))[0].n);
  /** The WEBHOOK line of the first client's delivery log. */
  const clientsWebhookLog = async () => {
    const { messages } = await api.ok<{
      messages: { edges: { node: { deliveries: MessageWebhook[] } }[] };
    }>(MESSAGE_WEBHOOK, { recipientId: clientIds[0] }, { token: adminToken });
    expect(messages.edges).toHaveLength(1);
    return messages.edges[0].node.deliveries.find((d) => d.channel === 'WEBHOOK') as MessageWebhook;
  };
  /** Every delivery once its attempt number `n` is recorded (none of them is in flight then). */
  const afterAttempt = async (n: number, what: string) => {
    const all = await waitFor(
      what,
      async () => {
        const found = await deliveries();
        // The attempt number counts from the claim: an attempt in flight has no outcome (status, error) yet.
        const finished = (d: Delivery) =>
          d.attempts.length >= n && d.attempts.every((a) => a.succeeded || a.error !== null || a.statusCode !== null);
        return found.length > 0 && found.every((d) => d.attemptCount >= n && finished(d)) && found;
      },
    );
    expect(all).toHaveLength(CLIENTS);
    expect(all.map((d) => d.attemptCount)).toEqual(Array(CLIENTS).fill(n));
    return all;
  };
  /**
   * Time passes: the back-off of every delivery waiting after attempt `n` runs out (rather than waiting 30 s,
   * then 60 s). Only deliveries whose attempt `n` is recorded, so none is claimed by a worker at this moment.
   */
  const backOffElapses = async (n: number) => {
    const [moved] = await api.dataSource.query(
      `WITH moved AS (
         UPDATE webhook_deliveries SET next_attempt_at = now()
          WHERE tenant_id = $1 AND status = 'PENDING' AND attempt_count = $2 RETURNING id)
       SELECT count(*)::int AS n FROM moved`,
      [tenantId, n],
    );
    expect(moved.n).toBe(CLIENTS);
  };
  /** One run of the worker's periodic due-delivery sweep (it enqueues deliver jobs; the worker runs them). */
  const sweep = () =>
    worker!.get(JobHandlerRegistry).handlerFor('webhooks.dispatch-due')({} as Job) as Promise<{
      enqueued: number;
    }>;
  /** Noon in London: outside the default quiet hours whenever the suite runs. */
  const noon = () =>
    DateTime.now().setZone(ZONE).set({ hour: 12, minute: 0, second: 0, millisecond: 0 }).toJSDate();

  beforeAll(async () => {
    await freshOwnDatabase(DATABASE_URL);
    redis = new Redis({ ...redisConnectionOf(REDIS_URL), lazyConnect: true });
    await redis.connect();
    await redis.flushdb();
    await listen();
    port = (receiver.address() as AddressInfo).port;
    await stopReceiver(); // down: the port refuses connections until the receiver comes back

    const config = { DATABASE_URL, REDIS_URL, WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' };
    api = await TestApi.start(ApiModule.forRoot(testConfig(config)));
    planner = api.app.get(NudgePlanner, { strict: false });
    const firm = await signUpFirm(api, 'Webhook Outage Coaching');
    tenantId = firm.tenantId;
    adminToken = firm.admin.accessToken;
    const coach = await addUser(api, firm, 'COACH');
    for (let i = 0; i < CLIENTS; i++) clientIds.push((await createClient(api, coach)).id);
    // One stalled goal each: exactly one thing to be nudged about per client.
    await api.dataSource.query(
      `INSERT INTO goals (tenant_id, client_id, horizon, title, category, status, created_at)
       SELECT $1, u.id, 'IMMEDIATE', 'Improve report writing', 'SKILL', 'ACTIVE', now() - interval '30 days'
         FROM users u WHERE u.tenant_id = $1 AND u.role = 'CLIENT'`,
      [tenantId],
    );
    const created = await api.ok<{ createWebhookEndpoint: { secret: string; endpoint: { id: string } } }>(
      CREATE_ENDPOINT,
      { input: { url: `http://127.0.0.1:${port}/hooks`, eventTypes: ['NUDGE_SENT'] } },
      { token: adminToken },
    );
    endpointId = created.createWebhookEndpoint.endpoint.id;
    secret = created.createWebhookEndpoint.secret;
    // Nudges stay paused in the worker (the run below is made by the test); it delivers webhooks as in production.
    worker = await NestFactory.createApplicationContext(WorkerModule.forRoot(testConfig(config)), {
      logger: false,
    });
  }, 120_000);

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await stopReceiver();
    await redis?.flushdb().catch(() => undefined);
    redis?.disconnect();
  });

  it('records failed attempts while it refuses, then delivers each client’s event exactly once', async () => {
    const run = await planner.planTenant(tenantId, 'outage-1', noon());
    expect(run).toMatchObject({ clients: CLIENTS, sent: CLIENTS, failed: 0 });
    const events: { id: string; payload: { clientId: string; messageId: string } }[] =
      await api.dataSource.query(
        `SELECT id, payload FROM domain_events WHERE tenant_id = $1 AND type = 'nudge.sent'`,
        [tenantId],
      );
    expect(events.map((e) => e.payload.clientId).sort()).toEqual([...clientIds].sort());
    const eventIds = events.map((e) => e.id).sort();

    // Connection refused: the fast path (enqueued when the run committed) makes attempt 1 of each delivery.
    const refused = await afterAttempt(1, 'a refused first attempt of every delivery');
    for (const d of refused) {
      expect(d).toMatchObject({ status: 'PENDING', lastStatusCode: null, deliveredAt: null });
      expect(d.lastError).toMatch(/ECONNREFUSED/);
      expect(d.attempts).toEqual([
        { attemptNumber: 1, statusCode: null, error: d.lastError, succeeded: false },
      ]);
    }
    expect(refused.map((d) => d.eventId).sort()).toEqual(eventIds);
    expect(received).toHaveLength(0);
    // The message's log follows its event: queued while the endpoint is retried, with when the next try is.
    const queued = await clientsWebhookLog();
    expect(queued).toMatchObject({
      status: 'QUEUED',
      attemptCount: 1,
      sentAt: null,
      lastError: 'Not yet accepted by 1 of 1 webhook endpoint',
      nextAttemptAt: expect.any(String),
    });
    const firstEvent = events.find((e) => e.payload.clientId === clientIds[0])!;
    expect(queued.webhookEventId).toBe(firstEvent.id);
    const ofEvent = (
      await api.ok<{ webhookDeliveries: { edges: { node: Delivery }[] } }>(
        DELIVERIES,
        { eventId: firstEvent.id },
        { token: adminToken },
      )
    ).webhookDeliveries.edges.map((e) => e.node);
    expect(ofEvent.map((d) => d.eventId)).toEqual([firstEvent.id]);
    expect(errorCode(await api.gql(DELIVERIES, { eventId: 'not-an-id' }, { token: adminToken }))).toBe(
      'BAD_USER_INPUT',
    );
    // Another firm's admin who learnt the event id sees nothing of it.
    const otherFirm = await signUpFirm(api, 'Another Coaching');
    expect(
      (
        await api.ok<{ webhookDeliveries: { edges: unknown[] } }>(
          DELIVERIES,
          { eventId: firstEvent.id },
          { token: otherFirm.admin.accessToken },
        )
      ).webhookDeliveries.edges,
    ).toEqual([]);
    // Retried, not dropped: each waits out a back-off of 30 s from its attempt.
    expect(
      await count(`SELECT count(*) AS n FROM webhook_deliveries d JOIN webhook_delivery_attempts a
                    ON a.delivery_id = d.id AND a.attempt_number = 1
                   WHERE d.tenant_id = $1 AND d.next_attempt_at >= a.attempted_at + interval '30 seconds'`),
    ).toBe(CLIENTS);
    expect(await sweep()).toEqual({ enqueued: 0 }); // not due yet

    // Up again but failing: 500.
    reply = 500;
    await listen();
    await backOffElapses(1);
    await sweep();
    const failing = await afterAttempt(2, 'a 500 on the second attempt of every delivery');
    for (const d of failing) {
      expect(d).toMatchObject({ status: 'PENDING', lastStatusCode: 500, lastError: 'HTTP 500' });
      expect(d.attempts.map((a) => [a.attemptNumber, a.statusCode, a.succeeded])).toEqual([
        [1, null, false],
        [2, 500, false],
      ]);
    }
    expect(received).toHaveLength(CLIENTS);
    expect([...tally(received.map((r) => r.headers['cairn-event-id'])).keys()].sort()).toEqual(eventIds);
    // The back-off doubles.
    expect(
      await count(`SELECT count(*) AS n FROM webhook_deliveries d JOIN webhook_delivery_attempts a
                    ON a.delivery_id = d.id AND a.attempt_number = 2
                   WHERE d.tenant_id = $1 AND d.next_attempt_at >= a.attempted_at + interval '60 seconds'`),
    ).toBe(CLIENTS);

    // Back: 204. The sweep finds what is due and the worker delivers it.
    reply = 204;
    await backOffElapses(2);
    await sweep();
    const delivered = await waitFor(
      'no delivery left pending',
      async () => {
        const all = await deliveries();
        return all.length > 0 && all.every((d) => d.status !== 'PENDING') && all;
      },
    );
    expect(delivered).toHaveLength(CLIENTS);
    for (const d of delivered) {
      expect(d).toMatchObject({ status: 'DELIVERED', attemptCount: 3, lastStatusCode: 204, lastError: null });
      expect(d.attempts.map((a) => [a.attemptNumber, a.statusCode, a.succeeded])).toEqual([
        [1, null, false],
        [2, 500, false],
        [3, 204, true],
      ]);
    }

    expect(await clientsWebhookLog()).toMatchObject({
      status: 'SENT',
      attemptCount: 3,
      lastError: null,
      sentAt: delivered.find((d) => d.eventId === firstEvent.id)!.deliveredAt,
    });

    // The receiver's view: each client's nudge.sent accepted exactly once, by event id and by client id.
    const accepted = received.filter((r) => r.status === 204);
    expect(accepted).toHaveLength(CLIENTS);
    const acceptedIds = tally(accepted.map((r) => r.headers['cairn-event-id']));
    expect([...acceptedIds.keys()].sort()).toEqual(eventIds);
    expect([...acceptedIds.values()].every((n) => n === 1)).toBe(true);
    const bodies = accepted.map(
      (r) => JSON.parse(r.body) as { id: string; type: string; tenantId: string; data: { clientId: string } },
    );
    const perClient = tally(bodies.map((b) => b.data.clientId));
    expect([...perClient.keys()].sort()).toEqual([...clientIds].sort());
    expect([...perClient.values()].every((n) => n === 1)).toBe(true);
    const messages: { id: string; recipient_user_id: string }[] = await api.dataSource.query(
      `SELECT id, recipient_user_id FROM messages WHERE tenant_id = $1 AND kind = 'NUDGE'`,
      [tenantId],
    );
    const messageOf = new Map(messages.map((m) => [m.recipient_user_id, m.id]));
    for (const [i, request] of accepted.entries()) {
      expect(verifies(secret, request)).toBe(true);
      expect(verifies('whsec_wrong', request)).toBe(false);
      expect(request.headers['cairn-event-type']).toBe('nudge.sent');
      expect(bodies[i]).toMatchObject({
        id: request.headers['cairn-event-id'],
        type: 'nudge.sent',
        tenantId,
        data: { clientId: expect.any(String), items: 1, rules: 'GOAL_STALLED' },
      });
      expect(bodies[i].data).toMatchObject({ messageId: messageOf.get(bodies[i].data.clientId) });
    }
    // The refused requests were the same events, signed the same way: a receiver can dedupe by event id.
    expect(received.every((r) => verifies(secret, r))).toBe(true);
    expect([...tally(received.map((r) => r.headers['cairn-event-id'])).values()]).toEqual(
      Array(CLIENTS).fill(2),
    );

    // Nothing is left to send: a late or duplicated job for any attempt does nothing, and the sweep finds nothing.
    const deliverer = worker!.get(WebhookDeliverer, { strict: false });
    for (const d of delivered) {
      for (const attempt of [3, 4]) {
        expect(await deliverer.attempt({ tenantId, deliveryId: d.id, attempt })).toBe('skipped');
      }
    }
    expect(await sweep()).toEqual({ enqueued: 0 });

    // A second nudge run (a later period) says nothing new, so no further nudge.sent is written or sent.
    const again = await planner.planTenant(tenantId, 'outage-2', noon());
    expect(again).toMatchObject({ clients: CLIENTS, sent: 0 });
    expect(await count(`SELECT count(*) AS n FROM domain_events WHERE tenant_id = $1`)).toBe(CLIENTS);
    expect(await count(`SELECT count(*) AS n FROM webhook_deliveries WHERE tenant_id = $1`)).toBe(CLIENTS);
    expect(await sweep()).toEqual({ enqueued: 0 });
    expect(received).toHaveLength(2 * CLIENTS);
  }, 120_000);
});
