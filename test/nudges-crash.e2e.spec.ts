import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import pg from 'pg';
import { ApiModule } from '#cairn-app/api';
import { periodOf, QueueName, scheduleEvery } from '#cairn/shared/queue';
import {
  appQueue,
  addUser,
  spawnNode,
  stopProcess,
  isolatedRedisUrl,
  redisConnectionOf,
  type Session,
  signUpFirm,
  type SmtpSink,
  startSmtpSink,
  ownTestDatabaseUrl,
  testConfig,
  testEnv,
  settledAfter,
  waitFor,
} from '#cairn/shared/testing';
import { ensureBuilt, WORKER_MAIN, freshOwnDatabase, TestApi } from './support/index.js';

/**
 * Kills a real worker process (SIGKILL) in the middle of a nudge run, with SMTP down and Redis wiped (a restart
 * without persistence) while it is dead, then restarts it: every due nudge must arrive exactly once.
 *
 * The worker sweeps every tenant of its database, so this suite has a database of its own (and a Redis
 * database of its own): nothing here can nudge another suite's clients, or theirs ours.
 */
const DATABASE_URL = ownTestDatabaseUrl('crash');
const REDIS_URL = isolatedRedisUrl('nudges-crash');
const FIRMS = 3;
const CLIENTS_PER_FIRM = 30;
/** Building the worker, seeding 90 clients, and a run of waits for the worker: minutes on a busy 2-core machine. */
const SLOW_STEP_MS = 8 * 60_000;

describe('a worker killed mid-run, with SMTP down and Redis wiped', () => {
  let api: TestApi;
  let sink: SmtpSink;
  let worker: ChildProcess | undefined;
  let redis: Redis;
  const clients: Session['user'][] = [];

  const startWorker = (): ChildProcess =>
    spawnNode(WORKER_MAIN, testEnv({ DATABASE_URL, REDIS_URL, SMTP_URL: sink.url, NUDGES_PAUSED: 'false' }), 'worker');
  const kill = (child: ChildProcess | undefined) => stopProcess(child);
  const count = async (sql: string, params: unknown[] = []) => Number((await api.dataSource.query(sql, params))[0].n);

  beforeAll(async () => {
    ensureBuilt();
    await freshOwnDatabase(DATABASE_URL);
    sink = await startSmtpSink();
    api = await TestApi.start(ApiModule.forRoot(testConfig({ DATABASE_URL, REDIS_URL, SMTP_URL: sink.url })));
    redis = new Redis({ ...redisConnectionOf(REDIS_URL), lazyConnect: true });
    await redis.connect();
    await redis.flushdb();
    for (let f = 0; f < FIRMS; f++) {
      const firm = await signUpFirm(api, `Crash Firm ${f}`);
      const coach = await addUser(api, firm, 'COACH');
      // No quiet hours: the worker runs on the real clock.
      await api.ok(`mutation { updateNudgePolicy(input: { quietHoursStart: "00:00", quietHoursEnd: "00:00" }) { enabled } }`, {}, {
        token: firm.admin.accessToken,
      });
      for (let c = 0; c < CLIENTS_PER_FIRM; c++) {
        const created = await api.ok<{ createClient: { id: string } }>(
          `mutation ($input: CreateClientInput!) { createClient(input: $input) { id } }`,
          { input: { email: `client-${f}-${c}@crash.example`, displayName: `Client ${f}-${c}` } },
          { token: coach.accessToken },
        );
        clients.push({ id: created.createClient.id, email: `client-${f}-${c}@crash.example`, role: 'CLIENT' });
      }
      // One stalled goal each: exactly one thing to be nudged about per client.
      await api.dataSource.query(
        `INSERT INTO goals (tenant_id, client_id, horizon, title, category, status, created_at)
         SELECT $1, u.id, 'IMMEDIATE', 'Improve report writing', 'SKILL', 'ACTIVE', now() - interval '30 days'
           FROM users u WHERE u.tenant_id = $1 AND u.role = 'CLIENT'`,
        [firm.tenantId],
      );
    }
  }, SLOW_STEP_MS);

  afterAll(async () => {
    await kill(worker);
    await redis?.flushdb().catch(() => undefined);
    redis?.disconnect();
    await api?.close();
    await sink?.stop();
  });

  it('sends every due nudge exactly once after recovery', async () => {
    const total = FIRMS * CLIENTS_PER_FIRM;
    await sink.stop(); // SMTP down for the whole first run

    // Hold one client's message key so its firm's batch blocks mid-transaction: the kill lands mid-fan-out.
    const period = periodOf(new Date(), scheduleEvery('nudges.sweep'));
    const blocker = new pg.Client({ connectionString: DATABASE_URL });
    await blocker.connect();
    const held = clients[CLIENTS_PER_FIRM + 5];
    const [{ tenant_id: heldTenant }] = (await blocker.query(`SELECT tenant_id FROM users WHERE id = $1`, [held.id])).rows;
    await blocker.query('BEGIN');
    await blocker.query(
      `INSERT INTO messages (tenant_id, recipient_user_id, kind, subject, text_body, dedupe_key)
       VALUES ($1, $2, 'NUDGE', 'placeholder', 'placeholder', $3)`,
      [heldTenant, held.id, `nudge/${held.id}/${period}`],
    );

    worker = startWorker();
    // The scheduler's first sweep runs at boot; the two other firms complete, the held one waits on our lock.
    await waitFor('the other firms’ nudges', async () => (await count(`SELECT count(*) AS n FROM messages WHERE kind = 'NUDGE'`)) >= total - CLIENTS_PER_FIRM);
    await waitFor('email attempts failing while SMTP is down', async () => (await count(`SELECT count(*) AS n FROM message_delivery_attempts`)) > 0);
    expect(await count(`SELECT count(*) AS n FROM messages WHERE tenant_id = $1 AND kind = 'NUDGE'`, [heldTenant])).toBe(0);

    await kill(worker); // SIGKILL: the held firm's batch dies with its connection
    await blocker.query('ROLLBACK');
    await blocker.end();
    await redis.flushdb(); // Redis restarted without persistence: every queued and active job is gone
    await sink.start();
    // Time passes: back-off and claim leases run out (rather than waiting minutes for them).
    await api.dataSource.query(`UPDATE message_deliveries SET next_attempt_at = now() WHERE status = 'QUEUED'`);

    worker = startWorker();
    await waitFor('every nudge email', () => sink.received.length >= total, 90_000);
    await waitFor('every email recorded SENT', async () => (await count(`SELECT count(*) AS n FROM message_deliveries WHERE channel = 'EMAIL' AND status = 'SENT'`)) === total);
    // Let anything that would send a second copy run before counting: a whole email sweep (every 5 s) that
    // started once every email was SENT, then every job it or anything before it queued.
    const allSent = Date.now();
    const messagesQueue = appQueue(QueueName.MESSAGES, REDIS_URL);
    try {
      await settledAfter(messagesQueue, 'messages.dispatch-due', allSent);
    } finally {
      await messagesQueue.close();
    }

    const perRecipient = new Map<string, number>();
    for (const mail of sink.received) {
      const to = JSON.stringify(mail.to).match(/client-\d+-\d+@crash\.example/)?.[0] ?? 'unknown';
      perRecipient.set(to, (perRecipient.get(to) ?? 0) + 1);
    }
    expect(sink.received).toHaveLength(total);
    expect([...perRecipient.keys()].sort()).toEqual(clients.map((c) => c.email).sort());
    expect([...perRecipient.values()].every((n) => n === 1)).toBe(true);
    expect(await count(`SELECT count(*) AS n FROM messages WHERE kind = 'NUDGE'`)).toBe(total);
    expect(await count(`SELECT count(*) AS n FROM nudge_items`)).toBe(total);
    expect(await count(`SELECT count(*) AS n FROM notifications WHERE kind = 'NUDGE'`)).toBe(total);
    expect(await count(`SELECT count(*) AS n FROM domain_events WHERE type = 'nudge.sent'`)).toBe(total);
    // The failed attempts while SMTP was down are in the delivery log.
    expect(await count(`SELECT count(*) AS n FROM message_delivery_attempts WHERE NOT succeeded`)).toBeGreaterThan(0);
  }, SLOW_STEP_MS);
});
