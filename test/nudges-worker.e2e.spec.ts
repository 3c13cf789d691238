import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type Job, Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { ApiModule } from '#cairn-app/api';
import { WorkerModule } from '#cairn-app/worker';
import { JobHandlerRegistry, QueueName } from '#cairn/shared/queue';
import {
  appQueue,
  coachingFirm,
  isolatedRedisUrl,
  ownTestDatabaseUrl,
  redisConnectionOf,
  type SmtpSink,
  startSmtpSink,
  testConfig,
  waitFor,
} from '#cairn/shared/testing';
import { freshOwnDatabase, TestApi } from './support/index.js';

/**
 * The production path with nothing called by hand: the worker boots, registers its schedulers, the nudge
 * sweep fires at once and fans out a plan job per tenant, and the email job delivers what the plan composed.
 *
 * Nudges are not paused here, and the sweep is cross-tenant, so in the shared test database it would plan
 * every other suite's firms (and attempt their deliveries) and its shutdown would wait on all of that. This
 * suite has a database and a Redis database of its own.
 */
const DATABASE_URL = ownTestDatabaseUrl('nudges_worker');
const REDIS_URL = isolatedRedisUrl('nudges-worker');

const UPDATE_POLICY = `mutation ($input: UpdateNudgePolicyInput!) { updateNudgePolicy(input: $input) { quietHoursStart } }`;
const MESSAGES = `query ($recipientId: ID) { messages(recipientId: $recipientId, first: 50) { edges { node {
  id kind subject deliveries { channel status providerMessageId } } } } }`;

type Message = {
  id: string;
  kind: string;
  subject: string;
  deliveries: { channel: string; status: string; providerMessageId: string | null }[];
};

describe('nudges through the worker', () => {
  let api: TestApi;
  let sink: SmtpSink;
  let redis: Redis;
  let worker: INestApplicationContext | undefined;
  let nudgeQueue: Queue;

  beforeAll(async () => {
    await freshOwnDatabase(DATABASE_URL);
    redis = new Redis({ ...redisConnectionOf(REDIS_URL), lazyConnect: true });
    await redis.connect();
    await redis.flushdb(); // no scheduler left from an earlier run: it fires as soon as it is registered
    sink = await startSmtpSink();
    api = await TestApi.start(ApiModule.forRoot(testConfig({ DATABASE_URL, REDIS_URL, SMTP_URL: sink.url })));
    nudgeQueue = appQueue(QueueName.NUDGES, REDIS_URL);
  }, 120_000);

  afterAll(async () => {
    await worker?.close();
    await nudgeQueue?.close();
    await api?.close();
    await sink?.stop();
    await redis?.flushdb().catch(() => undefined);
    redis?.disconnect();
  });

  it('the sweep at boot nudges the firm’s client by email once, and a second sweep in the period sends nothing', async () => {
    const { firm, client } = await coachingFirm(api);
    // The real clock decides quiet hours here: none for this firm.
    await api.ok(
      UPDATE_POLICY,
      { input: { quietHoursStart: '00:00', quietHoursEnd: '00:00' } },
      { token: firm.admin.accessToken },
    );
    await api.dataSource.query(
      `INSERT INTO goals (tenant_id, client_id, horizon, title, category, status, created_at)
       VALUES ($1, $2, 'IMMEDIATE', 'Improve report writing', 'SKILL', 'ACTIVE', now() - interval '30 days')`,
      [firm.tenantId, client.user.id],
    );
    const messagesOf = async () =>
      (
        await api.ok<{ messages: { edges: { node: Message }[] } }>(
          MESSAGES,
          { recipientId: client.user.id },
          { token: client.accessToken },
        )
      ).messages.edges.map((e) => e.node);
    const mailToClient = () =>
      sink.received.filter((m) => JSON.stringify(m.to ?? '').includes(client.user.email));

    worker = await NestFactory.createApplicationContext(
      WorkerModule.forRoot(
        testConfig({ DATABASE_URL, REDIS_URL, SMTP_URL: sink.url, NUDGES_PAUSED: 'false' }),
      ),
      { logger: false },
    );
    const [mail] = await waitFor(
      'the nudge email',
      () => mailToClient().length > 0 && mailToClient(),
    );
    expect(mail.subject).toMatch(/Improve report writing/);
    const [message] = await waitFor('the email to be recorded sent', async () => {
      const found = await messagesOf();
      return (
        found.length === 1 &&
        found[0].deliveries.some((d) => d.channel === 'EMAIL' && d.status === 'SENT') &&
        found
      );
    });
    expect(message.kind).toBe('NUDGE');
    expect(mail.messageId).toBe(message.deliveries.find((d) => d.channel === 'EMAIL')!.providerMessageId);

    // A replica or a retry running the sweep again in the same period plans the tenant again, and finds it done.
    const again = (await worker.get(JobHandlerRegistry).handlerFor('nudges.sweep')({} as Job)) as {
      tenants: number;
    };
    expect(again.tenants).toBe(1);
    await waitFor('the second plan job to finish', async () => {
      // Not 'delayed': the scheduler's next sweep waits there.
      const counts = await nudgeQueue.getJobCounts('waiting', 'active', 'prioritized');
      return Object.values(counts).every((n) => n === 0);
    });
    expect((await nudgeQueue.getJobCounts('failed')).failed).toBe(0);
    expect(await messagesOf()).toHaveLength(1);
    expect(mailToClient()).toHaveLength(1);
  });
});
