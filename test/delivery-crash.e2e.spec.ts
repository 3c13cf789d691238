import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { ApiModule } from '#cairn-app/api';
import { QueueName } from '#cairn/shared/queue';
import {
  appQueue,
  isolatedRedisUrl,
  ownTestDatabaseUrl,
  redisConnectionOf,
  settledAfter,
  signUpFirm,
  type SmtpSink,
  spawnNode,
  startSmtpSink,
  stopProcess,
  testConfig,
  testEnv,
  waitFor,
  type FirmFixture,
} from '#cairn/shared/testing';
import { ensureBuilt, freshOwnDatabase, TestApi, WORKER_MAIN } from './support/index.js';

/**
 * The delivery engine under kill -9 (issue 15): two workers share the email and webhook work; the one holding a
 * webhook POST is killed mid-send, and the survivor takes over its claimed deliveries when their short lease runs
 * out; then SMTP refuses for a while, the survivor is killed mid-send too, Redis is wiped while no worker runs,
 * and a third worker finishes. Nothing is lost, each kill repeats at most one email per SMTP connection (same
 * Message-ID), and the delivery logs show the attempts the kills cut off.
 *
 * Each worker sends to an SMTP sink of its own, so the test sees who sent what. Own database and Redis database:
 * the workers sweep every tenant of theirs.
 */
const DATABASE_URL = ownTestDatabaseUrl('delivery-crash');
const REDIS_URL = isolatedRedisUrl('delivery-crash');
const FIRMS = 3;
const FIRST_BATCH = 60; // per firm
const SECOND_BATCH = 20; // per firm
/** SMTP connections (delivery slots) per worker: a kill may repeat at most this many accepted emails. */
const CONNECTIONS = 3;
const SLOW_STEP_MS = 8 * 60_000;

/** The pid among `pids` whose TCP socket has local port `port` on this machine (Linux /proc). */
function pidOfPeer(port: number, pids: number[]): number | undefined {
  const hex = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols[1]?.endsWith(hex)) inodes.add(`socket:[${cols[9]}]`);
    }
  }
  return pids.find((pid) =>
    readdirSync(`/proc/${pid}/fd`).some((fd) => {
      try {
        return inodes.has(readlinkSync(`/proc/${pid}/fd/${fd}`));
      } catch {
        return false;
      }
    }),
  );
}

describe('the delivery engine through kill -9, an SMTP outage and a Redis wipe', () => {
  let api: TestApi;
  let redis: Redis;
  let receiver: http.Server;
  const sinks: SmtpSink[] = [];
  const workers: ChildProcess[] = [];
  const firms: FirmFixture[] = [];
  let endpointId: string;
  /** Webhook requests as they arrive; `hold` ones get no answer while `holding` (the worker dies mid-POST). */
  const hooks: { deliveryId: string; port: number }[] = [];
  let holding = true;

  const startWorker = (sink: SmtpSink): ChildProcess => {
    const worker = spawnNode(
      WORKER_MAIN,
      testEnv({
        DATABASE_URL,
        REDIS_URL,
        SMTP_URL: `${sink.url}?maxConnections=${CONNECTIONS}`,
        WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
        NUDGES_PAUSED: 'true',
      }),
      `worker ${workers.length + 1}`,
    );
    workers.push(worker);
    return worker;
  };
  const count = async (sql: string, params: unknown[] = []) =>
    Number((await api.dataSource.query(sql, params))[0].n);
  const allMail = () => sinks.flatMap((s) => s.received);
  /** Emails received more than once (the same Message-ID). */
  const repeats = () => {
    const seen = new Map<string, number>();
    for (const mail of allMail()) seen.set(mail.messageId ?? '', (seen.get(mail.messageId ?? '') ?? 0) + 1);
    return [...seen.values()].reduce((n, times) => n + times - 1, 0);
  };

  /** `perFirm` email deliveries per firm, due now (as if their jobs were lost). */
  async function queueEmails(batch: string, perFirm: number) {
    for (const firm of firms) {
      await api.dataSource.query(
        `WITH m AS (
           INSERT INTO messages (tenant_id, kind, recipient_email, recipient_name, subject, text_body, dedupe_key)
           SELECT $1, 'INVITATION', format('r-%s-%s@crash.example', $2::text, i), format('Recipient %s', i),
                  'Welcome', 'Hello', format('crash/%s/%s', $2::text, i)
             FROM generate_series(1, $3::int) AS i
           RETURNING id)
         INSERT INTO message_deliveries (tenant_id, message_id, channel, status, next_attempt_at)
         SELECT $1, m.id, 'EMAIL', 'QUEUED', now() - interval '1 minute' FROM m`,
        [firm.tenantId, `${firm.tenantId.slice(0, 8)}-${batch}`, perFirm],
      );
    }
  }

  beforeAll(async () => {
    ensureBuilt();
    await freshOwnDatabase(DATABASE_URL);
    for (let i = 0; i < 3; i++) {
      const sink = await startSmtpSink();
      // A slow server: each email takes a while to be accepted, so kills land mid-send.
      sink.acceptDelayMs = 400;
      sinks.push(sink);
    }
    receiver = http.createServer((req, res) => {
      // The worker holding a POST is killed: its connection resets under the request.
      req.on('error', () => undefined);
      res.on('error', () => undefined);
      req.resume();
      req.on('end', () => {
        hooks.push({
          deliveryId: String(req.headers['cairn-delivery-id']),
          port: req.socket.remotePort ?? 0,
        });
        if (!holding) res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    api = await TestApi.start(
      ApiModule.forRoot(testConfig({ DATABASE_URL, REDIS_URL, WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' })),
    );
    redis = new Redis({ ...redisConnectionOf(REDIS_URL), lazyConnect: true });
    await redis.connect();
    await redis.flushdb();
    for (let f = 0; f < FIRMS; f++) firms.push(await signUpFirm(api, `Delivery Crash ${f}`));
    const created = await api.ok<{ createWebhookEndpoint: { endpoint: { id: string } } }>(
      `mutation ($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { endpoint { id } } }`,
      {
        input: {
          url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`,
          eventTypes: ['GOAL_ACHIEVED'],
        },
      },
      { token: firms[0].admin.accessToken },
    );
    endpointId = created.createWebhookEndpoint.endpoint.id;
  }, SLOW_STEP_MS);

  afterAll(async () => {
    for (const worker of workers) await stopProcess(worker);
    await redis?.flushdb().catch(() => undefined);
    redis?.disconnect();
    receiver?.closeAllConnections();
    await new Promise((resolve) => receiver?.close(resolve));
    await api?.close();
    for (const sink of sinks) await sink.stop();
  });

  it(
    'loses nothing, repeats at most one email per connection per kill, and logs the cut-off attempts',
    async () => {
      const firstTotal = FIRMS * FIRST_BATCH;
      await queueEmails('first', FIRST_BATCH);
      const [{ id: eventId }] = await api.dataSource.query(
        `INSERT INTO domain_events (tenant_id, type, payload, occurred_at) VALUES ($1, 'goal.achieved', '{}', now())
       RETURNING id`,
        [firms[0].tenantId],
      );
      const [{ id: hookDelivery }] = await api.dataSource.query(
        `INSERT INTO webhook_deliveries (tenant_id, event_id, endpoint_id, next_attempt_at) VALUES ($1, $2, $3, now())
       RETURNING id`,
        [firms[0].tenantId, eventId, endpointId],
      );

      // Two workers share the work; the one whose POST hangs at our receiver is the one we kill.
      const [a, b] = [startWorker(sinks[0]), startWorker(sinks[1])];
      await waitFor('a worker POSTing the webhook', () => hooks.length > 0);
      const doomedPid = pidOfPeer(hooks[0].port, [a.pid!, b.pid!]);
      expect(doomedPid).toBeDefined();
      const [doomed, survivor] = doomedPid === a.pid ? [a, b] : [b, a];
      const [doomedSink, survivorSink] = doomed === a ? [sinks[0], sinks[1]] : [sinks[1], sinks[0]];
      await waitFor('the doomed worker sending email', () => doomedSink.received.length >= 2);

      // Claims are leased briefly: nothing claimed is held more than 15 s past now without a live renewal.
      const leaseLeft = async (sql: string, params: unknown[] = []) =>
        Number((await api.dataSource.query(sql, params))[0].n);
      const hookLease = await leaseLeft(
        `SELECT extract(epoch FROM next_attempt_at - now()) AS n FROM webhook_deliveries WHERE id = $1`,
        [hookDelivery],
      );
      expect(hookLease).toBeGreaterThan(0);
      expect(hookLease).toBeLessThanOrEqual(15);
      const emailLease = await leaseLeft(
        `SELECT coalesce(extract(epoch FROM max(d.next_attempt_at - now())), 0) AS n
         FROM message_deliveries d
         JOIN message_delivery_attempts a ON a.delivery_id = d.id AND a.attempt_number = d.attempt_count
        WHERE a.state = 'STARTED' AND d.status = 'QUEUED'`,
      );
      expect(emailLease).toBeLessThanOrEqual(15);
      await stopProcess(doomed); // SIGKILL mid-send, the other worker running
      holding = false;

      // The survivor alone sends everything, the dead worker's claimed-but-unsent emails and its webhook included.
      await waitFor(
        'every first-batch email SENT by the survivor',
        async () =>
          (await count(`SELECT count(*) AS n FROM message_deliveries WHERE status = 'SENT'`)) === firstTotal,
      );
      await waitFor(
        'the interrupted webhook delivered by the survivor',
        async () =>
          (await count(`SELECT count(*) AS n FROM webhook_deliveries WHERE status = 'DELIVERED'`)) === 1,
      );
      expect(survivor.exitCode).toBeNull();
      expect(survivorSink.received.length).toBeGreaterThan(0);
      // The same delivery id on both POSTs: what a receiver deduplicates on.
      expect(hooks.map((h) => h.deliveryId)).toEqual([hookDelivery, hookDelivery]);
      const log = await api.ok<{
        webhookDeliveries: {
          edges: {
            node: { attempts: { attemptNumber: number; state: string; finishedAt: string | null }[] };
          }[];
        };
      }>(
        `query ($endpointId: ID) { webhookDeliveries(endpointId: $endpointId) {
         edges { node { attempts { attemptNumber state finishedAt } } } } }`,
        { endpointId },
        { token: firms[0].admin.accessToken },
      );
      expect(log.webhookDeliveries.edges[0].node.attempts).toEqual([
        { attemptNumber: 1, state: 'INTERRUPTED', finishedAt: null },
        { attemptNumber: 2, state: 'SUCCEEDED', finishedAt: expect.any(String) },
      ]);
      const firstRepeats = repeats();
      expect(firstRepeats).toBeLessThanOrEqual(CONNECTIONS);

      // SMTP refuses for a while: attempts fail and are scheduled again.
      await survivorSink.stop();
      await queueEmails('second', SECOND_BATCH);
      await waitFor(
        'email attempts failing while SMTP refuses',
        async () =>
          (await count(`SELECT count(*) AS n FROM message_delivery_attempts WHERE state = 'FAILED'`)) >= 3,
      );
      await survivorSink.start();
      // Time passes: the back-off runs out (at least 30 s ahead; a live lease is at most 15 s ahead, and kept).
      await api.dataSource.query(
        `UPDATE message_deliveries SET next_attempt_at = now()
        WHERE status = 'QUEUED' AND next_attempt_at > now() + interval '20 seconds'`,
      );
      const before = survivorSink.received.length;
      await waitFor('the survivor sending again', () => survivorSink.received.length >= before + 2);
      await stopProcess(survivor); // the second kill, mid-send
      await redis.flushdb(); // Redis restarted without persistence while no worker runs

      startWorker(sinks[2]);
      const total = FIRMS * (FIRST_BATCH + SECOND_BATCH);
      await waitFor(
        'every email SENT',
        async () =>
          (await count(`SELECT count(*) AS n FROM message_deliveries WHERE status = 'SENT'`)) === total,
        SLOW_STEP_MS / 2,
      );
      // Let anything that would send a second copy run: a whole email sweep after all were SENT, and its jobs.
      const queue = appQueue(QueueName.MESSAGES, REDIS_URL);
      try {
        await settledAfter(queue, 'messages.dispatch-due', Date.now());
      } finally {
        await queue.close();
      }

      const recipients = new Set(
        allMail().map((m) => JSON.stringify(m.to).match(/r-[\w-]+@crash\.example/)?.[0]),
      );
      expect(recipients.size).toBe(total);
      expect(allMail().length).toBe(total + repeats());
      const secondRepeats = repeats() - firstRepeats;
      process.stdout.write(
        `delivery-crash: repeated emails ${firstRepeats} (first kill), ${secondRepeats} (second)\n`,
      );
      expect(secondRepeats).toBeLessThanOrEqual(CONNECTIONS);
      // The log keeps the attempts the kills cut off.
      expect(
        await count(
          `SELECT count(*) AS n FROM message_delivery_attempts WHERE state = 'INTERRUPTED' AND finished_at IS NULL`,
        ),
      ).toBeGreaterThan(0);
      expect(await count(`SELECT count(*) AS n FROM message_delivery_attempts WHERE state = 'STARTED'`)).toBe(
        0,
      );
    },
    SLOW_STEP_MS,
  );
});
