import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { ApiModule } from '#cairn-app/api';
import { WorkerModule } from '#cairn-app/worker';
import { ApiScope } from '#cairn/shared/auth';
import { QueueName } from '#cairn/shared/queue';
import {
  appQueue,
  coachingFirm,
  createApiKey,
  errorCode,
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
 * runNudgesNow / runCoachReportNow: an admin queues the firm's run at once, and the worker (with its own
 * scheduled sweeps firing at boot, for the same tenant and period) still makes one nudge and one report.
 * Own database and Redis: the worker's sweeps are cross-tenant.
 */
const DATABASE_URL = ownTestDatabaseUrl('run_now');
const REDIS_URL = isolatedRedisUrl('run-now');

const RUN_NUDGES = `mutation { runNudgesNow { jobId period paused } }`;
const RUN_REPORT = `mutation { runCoachReportNow { jobId period paused } }`;
type Run = { jobId: string; period: string; paused: boolean };

let api: TestApi;
let sink: SmtpSink;
let redis: Redis;
let nudgeQueue: Queue;
let reportQueue: Queue;
let worker: INestApplicationContext | undefined;

beforeAll(async () => {
  await freshOwnDatabase(DATABASE_URL);
  redis = new Redis({ ...redisConnectionOf(REDIS_URL), lazyConnect: true });
  await redis.connect();
  await redis.flushdb();
  sink = await startSmtpSink();
  const config = { DATABASE_URL, REDIS_URL, SMTP_URL: sink.url, NUDGES_PAUSED: 'false', REPORTS_PAUSED: 'false' };
  api = await TestApi.start(ApiModule.forRoot(testConfig(config)));
  nudgeQueue = appQueue(QueueName.NUDGES, REDIS_URL);
  reportQueue = appQueue(QueueName.REPORTS, REDIS_URL);
}, 120_000);

afterAll(async () => {
  await worker?.close();
  await nudgeQueue?.close();
  await reportQueue?.close();
  await api?.close();
  await sink?.stop();
  await redis?.flushdb().catch(() => undefined);
  redis?.disconnect();
});

/** Plan jobs queued or running for one tenant (finished ones are removed). */
const pending = async (queue: Queue, tenantId: string) =>
  (await queue.getJobs(['waiting', 'active', 'prioritized', 'delayed'])).filter((j) => j.data?.tenantId === tenantId);
const drained = (queue: Queue) =>
  waitFor('the queue to drain', async () => {
    const counts = await queue.getJobCounts('waiting', 'active', 'prioritized');
    return Object.values(counts).every((n) => n === 0);
  });

describe('who may run them', () => {
  it('refuses coaches, clients, API keys (whatever their scopes) and callers without a credential; enqueues nothing', async () => {
    const { firm, coach, client } = await coachingFirm(api);
    const key = await createApiKey(api, firm, Object.keys(ApiScope));
    for (const mutation of [RUN_NUDGES, RUN_REPORT]) {
      for (const token of [coach.accessToken, client.accessToken]) {
        expect(errorCode(await api.gql(mutation, {}, { token }))).toBe('FORBIDDEN');
      }
      expect(errorCode(await api.gql(mutation, {}, { apiKey: key.secret }))).toBe('FORBIDDEN');
      expect(errorCode(await api.gql(mutation, {}))).toBe('UNAUTHENTICATED');
    }
    expect(await pending(nudgeQueue, firm.tenantId)).toEqual([]);
    expect(await pending(reportQueue, firm.tenantId)).toEqual([]);
  });

  it('takes no arguments: a tenant or period passed in is refused, nothing enqueued', async () => {
    const { firm } = await coachingFirm(api);
    const other = await coachingFirm(api);
    for (const mutation of ['runNudgesNow', 'runCoachReportNow']) {
      const bad = await api.gql(`mutation ($t: ID) { ${mutation}(tenantId: $t) { jobId } }`, { t: other.firm.tenantId }, {
        token: firm.admin.accessToken,
      });
      expect(errorCode(bad)).toBe('GRAPHQL_VALIDATION_FAILED');
    }
    expect(await pending(nudgeQueue, other.firm.tenantId)).toEqual([]);
    expect(await pending(nudgeQueue, firm.tenantId)).toEqual([]);
  });

  it('runs only the caller’s own firm: another firm’s admin queues a job for their tenant, not this one', async () => {
    const mine = await coachingFirm(api);
    const theirs = await coachingFirm(api);
    const { runNudgesNow } = await api.ok<{ runNudgesNow: Run }>(RUN_NUDGES, {}, { token: theirs.firm.admin.accessToken });
    const { runCoachReportNow } = await api.ok<{ runCoachReportNow: Run }>(RUN_REPORT, {}, {
      token: theirs.firm.admin.accessToken,
    });
    expect(runNudgesNow.jobId).toBe(`nudges.plan-tenant/${theirs.firm.tenantId}/${runNudgesNow.period}`);
    expect(runCoachReportNow.jobId).toBe(`reports.plan-tenant/${theirs.firm.tenantId}/${runCoachReportNow.period}`);
    expect((await nudgeQueue.getJob(runNudgesNow.jobId))?.data).toEqual({
      tenantId: theirs.firm.tenantId,
      period: runNudgesNow.period,
    });
    expect(await pending(nudgeQueue, mine.firm.tenantId)).toEqual([]);
    expect(await pending(reportQueue, mine.firm.tenantId)).toEqual([]);
    // Not drained by a worker here: removed so the worker test below starts from its own firm's jobs only.
    await nudgeQueue.remove(runNudgesNow.jobId);
    await reportQueue.remove(runCoachReportNow.jobId);
  });
});

describe('with a worker draining', () => {
  it('makes one nudge and one coach report, however often it is asked and alongside the scheduled sweeps', async () => {
    const { firm, coach, client } = await coachingFirm(api);
    const admin = { token: firm.admin.accessToken };
    await api.ok(
      `mutation ($input: UpdateNudgePolicyInput!) { updateNudgePolicy(input: $input) { enabled } }`,
      { input: { quietHoursStart: '00:00', quietHoursEnd: '00:00' } },
      admin,
    );
    // Due from Monday 00:00 in the coach's zone: every moment of the week, so the real clock never decides.
    await api.ok(
      `mutation ($input: UpdateReportPolicyInput!) { updateReportPolicy(input: $input) { enabled } }`,
      { input: { weekday: 1, localTime: '00:00', periodDays: 7 } },
      admin,
    );
    await api.dataSource.query(
      `INSERT INTO goals (tenant_id, client_id, horizon, title, category, status, created_at)
       VALUES ($1, $2, 'IMMEDIATE', 'Improve report writing', 'SKILL', 'ACTIVE', now() - interval '30 days')`,
      [firm.tenantId, client.user.id],
    );

    // Asked twice before any worker runs: one queued job each, with the sweep's id for this tenant and period.
    const first = (await api.ok<{ runNudgesNow: Run }>(RUN_NUDGES, {}, admin)).runNudgesNow;
    const second = (await api.ok<{ runNudgesNow: Run }>(RUN_NUDGES, {}, admin)).runNudgesNow;
    const report = (await api.ok<{ runCoachReportNow: Run }>(RUN_REPORT, {}, admin)).runCoachReportNow;
    await api.ok(RUN_REPORT, {}, admin);
    expect(first).toEqual({ jobId: `nudges.plan-tenant/${firm.tenantId}/${first.period}`, period: first.period, paused: false });
    expect(report).toEqual({ jobId: `reports.plan-tenant/${firm.tenantId}/${report.period}`, period: report.period, paused: false });
    // Two asks in one period share a job; only a period boundary between them can make two.
    expect((await pending(nudgeQueue, firm.tenantId)).length).toBe(first.period === second.period ? 1 : 2);

    const nudges = async () =>
      (
        await api.dataSource.query(`SELECT count(*)::int AS n FROM messages WHERE recipient_user_id = $1 AND kind = 'NUDGE'`, [
          client.user.id,
        ])
      )[0].n as number;
    const reports = async () =>
      (await api.dataSource.query(`SELECT count(*)::int AS n FROM coach_reports WHERE coach_id = $1`, [coach.user.id]))[0]
        .n as number;

    // The worker's schedulers fire their sweeps at boot: the same tenant and period, racing the queued runs.
    worker = await NestFactory.createApplicationContext(
      WorkerModule.forRoot(testConfig({ DATABASE_URL, REDIS_URL, SMTP_URL: sink.url, NUDGES_PAUSED: 'false', REPORTS_PAUSED: 'false' })),
      { logger: false },
    );
    await waitFor('the nudge', async () => (await nudges()) > 0);
    await waitFor('the coach report', async () => (await reports()) > 0);
    await drained(nudgeQueue);
    await drained(reportQueue);

    // Asked again after the runs finished (their jobs are gone): the ledgers and report keys make it a no-op.
    const again = (await api.ok<{ runNudgesNow: Run }>(RUN_NUDGES, {}, admin)).runNudgesNow;
    await api.ok(RUN_REPORT, {}, admin);
    expect(again.jobId.startsWith(`nudges.plan-tenant/${firm.tenantId}/`)).toBe(true);
    await drained(nudgeQueue);
    await drained(reportQueue);
    expect((await nudgeQueue.getJobCounts('failed')).failed).toBe(0);
    expect((await reportQueue.getJobCounts('failed')).failed).toBe(0);
    expect(await nudges()).toBe(1);
    expect(await reports()).toBe(1);
    const mail = await waitFor('the nudge and report emails', () => {
      const to = (email: string) => sink.received.filter((m) => JSON.stringify(m.to ?? '').includes(email));
      return to(client.user.email).length > 0 && to(coach.user.email).length > 0 && [...to(client.user.email), ...to(coach.user.email)];
    });
    expect(mail).toHaveLength(2);
  });
});
