import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiModule } from '#cairn-app/api';
import { WorkerModule } from '#cairn-app/worker';
import { NotificationHub, NotificationListener } from '#cairn/notifications';
import { SignInLimiter } from '#cairn/shared/auth';
import { QUEUE_PREFIX } from '#cairn/shared/queue';
import {
  assignOpenCheckIn,
  checkInAnswers,
  coachingFirm,
  createApiKey,
  errorCode,
  type LiveFeed,
  type LocalRedisCluster,
  ownTestDatabaseUrl,
  startRedisCluster,
  subscribeToNotifications,
  TEST_PASSWORD,
  testConfig,
  waitFor,
  within,
} from '#cairn/shared/testing';
import { freshOwnDatabase, TestApi } from './support/index.js';

/**
 * The API (two processes' worth) and the worker against a Redis Cluster of three masters that the suite starts
 * itself: jobs, periodic jobs, sign-in limits and live notifications all work there. Without the `{cairn}` hash
 * tag, BullMQ's scripts fail with CROSSSLOT and nothing here runs.
 */
const DATABASE_URL = ownTestDatabaseUrl('redis_cluster');

interface Delivery {
  eventId: string;
  type: string;
  body: string;
}

describe('on a Redis Cluster', () => {
  let cluster: LocalRedisCluster;
  let api1: TestApi;
  let api2: TestApi;
  let worker: INestApplicationContext | undefined;
  let receiver: Server;
  let receiverUrl: string;
  const received: Delivery[] = [];
  const feeds: LiveFeed[] = [];

  const config = (overrides: Record<string, string> = {}) =>
    testConfig({
      DATABASE_URL,
      // testConfig names the standalone test Redis; an empty value unsets it (one Redis, named one way).
      REDIS_URL: '',
      REDIS_CLUSTER_NODES: cluster.nodes,
      WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
      SIGN_IN_LIMIT_PER_ACCOUNT: '3',
      ...overrides,
    });

  beforeAll(async () => {
    await freshOwnDatabase(DATABASE_URL);
    cluster = await startRedisCluster(3);
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        received.push({ eventId: String(req.headers['cairn-event-id']), type: String(req.headers['cairn-event-type']), body });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
    api1 = await TestApi.start(ApiModule.forRoot(config()));
    await api1.app.listen(0, '127.0.0.1');
    api2 = await TestApi.start(ApiModule.forRoot(config()));
  });

  afterAll(async () => {
    await Promise.all(feeds.map((feed) => feed.close()));
    await worker?.close();
    await api1?.close();
    await api2?.close();
    receiver?.closeAllConnections();
    await new Promise((resolve) => receiver?.close(resolve));
    await cluster?.stop();
  });

  /** Keys in every master, by `redis-cli --scan` on each (a cluster node lists only its own slots' keys). */
  const keysMatching = async (pattern: string) =>
    (await Promise.all(cluster.ports.map((port) => cluster.cli(port, '--scan', '--pattern', pattern))))
      .flatMap((out) => out.split('\n'))
      .filter(Boolean);

  it('runs periodic and enqueued jobs, and a notification made through one API reaches a subscriber of the other', async () => {
    const { firm, coach, client } = await coachingFirm(api1);
    const admin = { token: firm.admin.accessToken };
    await api1.ok(
      `mutation ($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret } }`,
      { input: { url: receiverUrl, eventTypes: ['CHECKIN_DUE', 'CHECKIN_SUBMITTED'] } },
      admin,
    );
    await assignOpenCheckIn(api1, coach, client.user.id);
    const [{ id: checkInId }] = await api1.dataSource.query(`SELECT id FROM check_ins WHERE client_id = $1 AND opens_at <= now() AND closes_at > now()`, [client.user.id]);

    // The coach listens on API 1.
    const wsUrl = `ws://127.0.0.1:${(api1.app.getHttpServer().address() as AddressInfo).port}/graphql`;
    const feed = subscribeToNotifications(wsUrl, coach.accessToken);
    feeds.push(feed);
    await waitFor('API 1 to listen for live notifications', () => api1.app.get(NotificationListener).listening);
    await waitFor('the subscription to reach API 1’s hub', () => api1.app.get(NotificationHub).subscriberCount() > 0);

    // The check-in sweep is a periodic job: its first run, at worker boot, announces the open check-in.
    worker = await within(
      'worker boot',
      NestFactory.createApplicationContext(WorkerModule.forRoot(config()), { logger: false }),
    );
    await waitFor('checkin.due delivered', () => received.some((d) => d.type === 'checkin.due'));

    // The client answers through API 2: the coach hears of it live on API 1, and the webhook goes out.
    const key = await createApiKey(api2, firm, ['CLIENTS_ACT', 'CHECKINS_WRITE']);
    const acting = await api2.ok<{ actAsClient: { accessToken: string } }>(
      `mutation ($clientId: ID!) { actAsClient(clientId: $clientId) { accessToken } }`,
      { clientId: client.user.id },
      { apiKey: key.secret },
    );
    await api2.ok(
      `mutation ($input: SubmitCheckInInput!) { submitCheckIn(input: $input) { id } }`,
      { input: { checkInId, answers: checkInAnswers, idempotencyKey: 'cluster-submission' } },
      { token: acting.actAsClient.accessToken },
    );
    await waitFor('checkin.submitted delivered', () => received.some((d) => d.type === 'checkin.submitted'));
    await waitFor('the live notification on API 1', () => feed.received.some((n) => n.kind === 'CHECKIN_SUBMITTED'));
    expect(feed.received).toEqual([{ id: expect.any(String), kind: 'CHECKIN_SUBMITTED', checkInId }]);
    expect(received.map((d) => d.type).sort()).toEqual(['checkin.due', 'checkin.submitted']);
    expect(new Set(received.map((d) => d.eventId)).size).toBe(2);

    // Readiness reads every queue and scheduler through the cluster; the periodic runs are recorded there.
    const ready = await api1.http.get('/health/ready');
    expect(ready.status).toBe(200);
    const sweep = (ready.body.checks.schedulers.details as { job: string; registered: boolean; lastRunAt: string | null }[]).find(
      (s) => s.job === 'check-ins.sweep',
    );
    expect(sweep).toMatchObject({ registered: true, lastRunAt: expect.any(String) });
    // Every queue key shares the prefix's hash slot, so BullMQ's multi-key scripts never cross slots.
    const queueKeys = await keysMatching(`${QUEUE_PREFIX}:*`);
    expect(queueKeys.length).toBeGreaterThan(0);
    const [slot] = (await cluster.cli(cluster.ports[0], 'CLUSTER', 'KEYSLOT', QUEUE_PREFIX)).trim().split('\n');
    const slots = await Promise.all(
      [...new Set(queueKeys)].slice(0, 20).map(async (k) => (await cluster.cli(cluster.ports[0], 'CLUSTER', 'KEYSLOT', k)).trim()),
    );
    expect(new Set(slots)).toEqual(new Set([slot]));
  });

  it('counts failed sign-ins in the cluster, so every API process refuses past the limit', async () => {
    const { firm, coach } = await coachingFirm(api1);
    await waitFor('both APIs to count in Redis', () =>
      [api1, api2].every((api) => api.app.get(SignInLimiter, { strict: false }).counting),
    );
    const login = (api: TestApi, password: string) =>
      api.gql(`mutation ($input: LoginInput!) { login(input: $input) { accessToken } }`, {
        input: { firmSlug: firm.slug, email: coach.user.email, password },
      });
    for (let i = 0; i < 3; i++) expect(errorCode(await login(api1, 'not the password'))).toBe('UNAUTHENTICATED');
    // API 2 never saw an attempt: only a count kept in the cluster can refuse this one.
    expect(errorCode(await login(api2, TEST_PASSWORD))).toBe('RATE_LIMITED');
    expect(await keysMatching('cairn:sign-in:login:account:*')).toHaveLength(1);
  });
});
