import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { INestApplicationContext, Logger } from '@nestjs/common';
import { WorkerHost } from '@nestjs/bullmq';
import { DiscoveryService, NestFactory } from '@nestjs/core';
import type { Worker } from 'bullmq';
import { ApiModule } from '#cairn-app/api';
import { WorkerModule } from '#cairn-app/worker';
import { signUpFirm, testConfig, waitFor, within } from '#cairn/shared/testing';
import { closeWorkerGracefully } from '#cairn/shared/queue';
import { ensureMigrated, TestApi } from './support/index.js';

const ME = `{ me { id email role } }`;
/** Nothing listens here: stands in for a Redis that is down. */
const DEAD_REDIS_URL = 'redis://127.0.0.1:6390';

describe('health endpoints', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await TestApi.start(ApiModule.forRoot(testConfig()));
  });
  afterAll(() => api?.close());

  it('GET /health/live answers 200 without credentials', async () => {
    const res = await api.http.get('/health/live');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('GET /health/ready answers 200 with database, redis and queues up', async () => {
    const res = await api.http.get('/health/ready');
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('ok');
    expect(res.body.checks.database.status).toBe('up');
    expect(res.body.checks.redis.status).toBe('up');
    expect(res.body.checks.queues.status).toBe('up');
    expect(res.body.checks.queues.details).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'maintenance' })]),
    );
  });
});

describe('API with Redis down', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await within(
      'API boot with Redis down',
      TestApi.start(ApiModule.forRoot(testConfig({ REDIS_URL: DEAD_REDIS_URL }))),
    );
  });
  afterAll(() => (api ? within('API close with Redis down', api.close()) : undefined));

  it('still serves GraphQL: sign-up and me work', async () => {
    const firm = await signUpFirm(api);
    const me = await api.ok<{ me: { id: string; role: string } }>(ME, {}, { token: firm.admin.accessToken });
    expect(me.me).toMatchObject({ id: firm.admin.user.id, role: 'ADMIN' });
  });

  it('still answers /health/live with 200', async () => {
    const res = await api.http.get('/health/live');
    expect(res.status).toBe(200);
  });

  it('answers /health/ready with 503, redis down and database up, instead of waiting for Redis', async () => {
    const res = await within('readiness with Redis down', Promise.resolve(api.http.get('/health/ready')));
    expect(res.status).toBe(503);
    expect(res.body.status).toBe('unavailable');
    expect(res.body.checks.database.status).toBe('up');
    expect(res.body.checks.redis.status).toBe('down');
    expect(res.body.checks.redis.error).toEqual(expect.any(String));
    expect(res.body.checks.queues.status).toBe('down');
  });
});

// Database down is not covered: with `DATABASE_URL: 'postgres://postgres@127.0.0.1:5999/x'` the API does not
// boot at all (TypeORM retries its first connection 9 x 3 s, then boot rejects with `connect ECONNREFUSED
// 127.0.0.1:5999` after ~27 s), so there is no running API whose /health/ready could answer 503.

describe('worker with Redis down', () => {
  let worker: INestApplicationContext | undefined;
  let warn: jest.SpiedFunction<Logger['warn']>;

  beforeAll(async () => {
    await ensureMigrated();
    warn = jest.spyOn(Logger.prototype, 'warn');
    worker = await within(
      'worker boot with Redis down',
      NestFactory.createApplicationContext(WorkerModule.forRoot(testConfig({ REDIS_URL: DEAD_REDIS_URL })), {
        logger: false,
      }),
    );
  });
  afterAll(async () => {
    warn?.mockRestore();
    if (!worker) return;
    // Only reached when the shutdown test failed: force-close the BullMQ workers first (skips waiting for the
    // blocking connection); app.close() then reuses that closing promise instead of hanging.
    await Promise.all(bullWorkers(worker).map((w) => w.close(true)));
    await within('worker close after force-closing BullMQ', worker.close());
  });

  it('boots without throwing or hanging and logs that it is retrying Redis', async () => {
    expect(worker).toBeDefined();
    const retryWarning = () =>
      warn.mock.calls.find(([message]) => /Redis/.test(String(message)) && /retrying/.test(String(message)));
    await waitFor('the Redis retry warning', retryWarning);
    expect(retryWarning()?.[0]).toMatch(/Redis at 127\.0\.0\.1:6390 unavailable; retrying/);
  });

  // BullMQ's graceful close waits for a Redis connection that never comes (taskforcesh/bullmq#4656); the
  // shutdown path force-closes workers that have no connection (and so no active job).
  it('shuts down within its bound while Redis is down', async () => {
    const closing = worker as INestApplicationContext;
    await expect(
      within('worker shutdown with Redis down', closeWorkerGracefully(closing)),
    ).resolves.toBeUndefined();
    worker = undefined;
  });
});

/** The BullMQ Worker behind each @Processor of a worker context. */
function bullWorkers(app: INestApplicationContext): Worker[] {
  return app
    .get(DiscoveryService, { strict: false })
    .getProviders()
    .map((wrapper) => wrapper.instance as unknown)
    .filter((instance): instance is WorkerHost => instance instanceof WorkerHost)
    .map((host) => host.worker);
}
