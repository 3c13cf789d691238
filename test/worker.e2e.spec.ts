import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { INestApplicationContext, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Job, Queue } from 'bullmq';
import { ApiModule } from '#cairn-app/api';
import { WorkerModule } from '#cairn-app/worker';
import { JOB_CATALOG, jobId, JOB_SCHEDULES, JobSchedulerRegistrar, QueueName } from '#cairn/shared/queue';
import {
  appQueue,
  finishedJob,
  isolatedRedisUrl,
  redisConnectionOf,
  signUpFirm,
  TEST_PASSWORD,
  testConfig,
  waitFor,
  within,
  ownTestDatabaseUrl,
} from '#cairn/shared/testing';
import { ensureMigrated, TestApi, freshOwnDatabase } from './support/index.js';

const PURGE = 'identity.purge-expired-credentials';
/** Every periodic job of the maintenance queue (the purge and the key reseal sweep), each once. */
const MAINTENANCE_SCHEDULES = JOB_SCHEDULES.filter((s) => JOB_CATALOG[s.job] === QueueName.MAINTENANCE)
  .map((s) => s.job)
  .sort();
const LOGIN = `mutation ($input: LoginInput!) { login(input: $input) { refreshToken } }`;

/** Redis is shared with other suites and runs: this file uses its own logical Redis database and obliterates the queue. */
const REDIS_URL = process.env.TEST_WORKER_REDIS_URL ?? isolatedRedisUrl('worker');
// The worker's sweeps cover every tenant in a database: in the shared one they would work on other suites' rows.
const DATABASE_URL = ownTestDatabaseUrl('worker');
beforeAll(() => freshOwnDatabase(DATABASE_URL));
const connection = () => redisConnectionOf(REDIS_URL);

const bootWorker = () =>
  within(
    'worker boot',
    NestFactory.createApplicationContext(WorkerModule.forRoot(testConfig({ DATABASE_URL, REDIS_URL })), {
      logger: false,
    }),
  );

describe('worker', () => {
  let queue: Queue;
  let api: TestApi;
  let worker: INestApplicationContext | undefined;
  let second: INestApplicationContext | undefined;
  const log = jest.spyOn(Logger.prototype, 'log');
  const scheduledLogs = () =>
    log.mock.calls.filter(([message]) => String(message) === `Scheduled ${PURGE} every 3600 s`).length;

  /** Nothing waiting or running (the scheduler's own next run sits in 'delayed'). */
  const idle = async () => {
    const counts = await queue.getJobCounts('waiting', 'active', 'prioritized');
    return Object.values(counts).every((n) => n === 0);
  };

  beforeAll(async () => {
    await ensureMigrated();
    queue = appQueue(QueueName.MAINTENANCE, REDIS_URL);
    await queue.obliterate({ force: true });
    api = await TestApi.start(ApiModule.forRoot(testConfig({ DATABASE_URL })));
    worker = await bootWorker();
  });

  afterAll(async () => {
    log.mockRestore();
    await second?.close();
    await worker?.close();
    await api?.close();
    await queue?.obliterate({ force: true });
    await queue?.close();
  });

  it('registers exactly one scheduler for the periodic purge at boot', async () => {
    expect(JOB_SCHEDULES.map((s) => s.job)).toContain(PURGE);
    // The registrar upserts in the background so that boot never waits on Redis.
    const schedulers = await waitFor('the purge scheduler', async () => {
      const found = await queue.getJobSchedulers();
      return found.some((s) => s.key === PURGE) && found.filter((s) => s.key === PURGE);
    });
    expect(schedulers).toHaveLength(1);
    expect(schedulers[0]).toMatchObject({ key: PURGE, name: PURGE, every: 60 * 60 * 1000 });
  });

  it('a second worker booted alongside upserts the same scheduler: still exactly one', async () => {
    const before = scheduledLogs();
    second = await bootWorker();
    await waitFor('the second worker to upsert its scheduler', async () => scheduledLogs() > before);
    const schedulers = await queue.getJobSchedulers();
    expect(schedulers.map((s) => s.key).sort()).toEqual(MAINTENANCE_SCHEDULES);
    expect(await queue.getJobSchedulersCount()).toBe(MAINTENANCE_SCHEDULES.length);
  });

  it('dedupes a job added twice with a deterministic id, and the worker processes it', async () => {
    // Let any run the schedulers triggered at boot finish first, so only our job can delete our row.
    await waitFor('the queue to be idle', idle);

    const firm = await signUpFirm(api);
    const login = await api.ok<{ login: { refreshToken: string } }>(LOGIN, {
      input: { firmSlug: firm.slug, email: firm.admin.user.email, password: TEST_PASSWORD },
    });
    expect(login.login.refreshToken).not.toBe(firm.admin.refreshToken);
    const tokens: Array<{ id: string }> = await api.dataSource.query(
      `SELECT id FROM refresh_tokens WHERE tenant_id = $1 ORDER BY created_at, id`,
      [firm.tenantId],
    );
    expect(tokens).toHaveLength(2);
    const [expired, live] = tokens.map((t) => t.id);
    await api.dataSource.query(
      `UPDATE refresh_tokens SET expires_at = now() - interval '30 days' WHERE id = $1`,
      [expired],
    );

    const id = jobId(PURGE, 'manual', '1');
    const first = await queue.add(PURGE, {}, { jobId: id });
    const again = await queue.add(PURGE, {}, { jobId: id });
    expect(first.id).toBe(id);
    expect(again.id).toBe(id);

    const job = await finishedJob(queue, id);
    expect(job.returnvalue).toEqual({ deleted: 1, ssoSignIns: 0 });
    expect(job.attemptsMade).toBeLessThanOrEqual(1);

    // One job for that id: the second add was a no-op, not a second run.
    const manual = (
      await queue.getJobs(['completed', 'waiting', 'active', 'delayed', 'failed', 'prioritized'])
    ).filter((j) => j.id === id || (j.name === PURGE && !String(j.id).startsWith('repeat:')));
    expect(manual.map((j) => j.id)).toEqual([id]);

    const remaining: Array<{ id: string }> = await api.dataSource.query(
      `SELECT id FROM refresh_tokens WHERE tenant_id = $1`,
      [firm.tenantId],
    );
    expect(remaining.map((r) => r.id)).toEqual([live]);
  });

  it('puts back a scheduler Redis lost (a restart without persistence) and leaves existing ones alone', async () => {
    const registrar = worker!.get(JobSchedulerRegistrar, { strict: false });
    expect(await registrar.restoreMissing()).toEqual([]);
    await queue.removeJobScheduler(PURGE);
    expect(await queue.getJobScheduler(PURGE)).toBeUndefined();
    expect(await registrar.restoreMissing()).toEqual([PURGE]);
    expect(await queue.getJobScheduler(PURGE)).toMatchObject({ key: PURGE, every: 60 * 60 * 1000 });
    expect(await queue.getJobSchedulersCount()).toBe(MAINTENANCE_SCHEDULES.length);
  });

  it('shuts down gracefully: close() resolves and no more jobs are taken', async () => {
    const closing = [second, worker].filter((app): app is INestApplicationContext => Boolean(app));
    expect(closing).toHaveLength(2);
    // CLIENT LIST spans every Redis database, and other suites run workers of a queue of the same name.
    const ourWorkers = async () => (await queue.getWorkers()).filter((w) => Number(w.db) === connection().db);
    expect((await ourWorkers()).length).toBeGreaterThan(0);
    second = undefined;
    worker = undefined;
    await expect(
      within('worker close', Promise.all(closing.map((app) => app.close()))),
    ).resolves.toBeDefined();

    // No worker is connected to the queue any more (their connections are gone once Redis sees them close),
    // so nothing can take a job: checked, not waited out.
    await waitFor('no worker connected to the queue', async () => (await ourWorkers()).length === 0);
    const id = jobId(PURGE, 'manual', 'after-close');
    await queue.add(PURGE, {}, { jobId: id });
    expect(await (await Job.fromId(queue, id))?.getState()).toBe('waiting');
  });
});
