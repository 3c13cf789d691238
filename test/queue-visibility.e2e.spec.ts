import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Job, Queue } from 'bullmq';
import { ApiModule } from '#cairn-app/api';
import { WorkerModule } from '#cairn-app/worker';
import { JOB_CATALOG, JobHandlerRegistry, jobId, JOB_SCHEDULES, QueueName, SCHEDULER_RUNS_KEY } from '#cairn/shared/queue';
import {
  appQueue,
  finishedJob,
  isolatedRedisUrl,
  signUpFirm,
  testConfig,
  waitFor,
  ownTestDatabaseUrl,
} from '#cairn/shared/testing';
import { TestApi, freshOwnDatabase } from './support/index.js';

const PURGE = 'identity.purge-expired-credentials';
const HOUR = 60 * 60 * 1000;
const METRICS_TOKEN = 'metrics-token-for-the-queue-visibility-suite';

/** This suite's own logical Redis database: its worker takes no other suite's jobs. */
const REDIS_URL = isolatedRedisUrl('queue-visibility');
// The worker's sweeps cover every tenant in a database: in the shared one they would work on other suites' rows.
const DATABASE_URL = ownTestDatabaseUrl('queue_visibility');
beforeAll(() => freshOwnDatabase(DATABASE_URL));

interface ReadinessScheduler {
  job: string;
  queue: string;
  registered: boolean;
  every: number;
  lastRunAt: string | null;
  lastOutcome: 'completed' | 'failed' | null;
  lastDurationMs: number | null;
  nextRunAt: string | null;
  late: boolean;
}
interface Readiness {
  status: string;
  checks: {
    redis: { status: string };
    database: { status: string };
    queues: {
      status: string;
      details: Array<{ name: string; waiting: number; active: number; delayed: number; failed: number }>;
    };
    schedulers: { status: string; details: ReadinessScheduler[] };
  };
  warnings: string[];
}

/** One line of the Prometheus text exposition format (0.0.4): blank, # HELP, # TYPE, or a sample. */
const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const LABEL = `[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\\\\n]|\\\\.)*"`;
// Values are Go ParseFloat syntax, where NaN and Inf are case-insensitive (prom-client writes an unset mean as `Nan`).
const VALUE = '(?:[-+]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][-+]?\\d+)?|[nN][aA][nN]|[-+]?[iI][nN][fF])';
const SAMPLE = new RegExp(`^(${NAME})(\\{(?:${LABEL}(?:,${LABEL})*)?\\})? (${VALUE})(?: -?\\d+)?$`);
const HELP = new RegExp(`^# HELP (${NAME}) .*$`);
const TYPE = new RegExp(`^# TYPE (${NAME}) (counter|gauge|histogram|summary|untyped)$`);

/** Parses an exposition strictly: every line well-formed, every sample of a family whose TYPE came first. */
function parsePrometheus(text: string): Map<string, number> {
  expect(text.endsWith('\n')).toBe(true);
  const types = new Map<string, string>();
  const samples = new Map<string, number>();
  for (const line of text.slice(0, -1).split('\n')) {
    if (line === '' || HELP.test(line)) continue;
    const type = TYPE.exec(line);
    if (type) {
      expect(types.has(type[1])).toBe(false);
      types.set(type[1], type[2]);
      continue;
    }
    const sample = SAMPLE.exec(line);
    if (!sample) throw new Error(`Not a Prometheus exposition line: ${JSON.stringify(line)}`);
    const family = types.has(sample[1]) ? sample[1] : sample[1].replace(/_(bucket|sum|count)$/, '');
    if (!types.has(family)) throw new Error(`Sample before its # TYPE: ${line}`);
    const key = `${sample[1]}${sample[2] ?? ''}`;
    expect(samples.has(key)).toBe(false);
    samples.set(key, Number(sample[3]));
  }
  return samples;
}

describe('queue visibility: readiness and /metrics', () => {
  const queues = new Map<QueueName, Queue>();
  const maintenance = () => queues.get(QueueName.MAINTENANCE) as Queue;
  let api: TestApi;
  let guarded: TestApi | undefined;
  let worker: INestApplicationContext | undefined;

  const ready = async (target: TestApi = api) => {
    const res = await target.http.get('/health/ready');
    return { status: res.status, body: res.body as Readiness };
  };
  const purgeOf = (body: Readiness) => body.checks.schedulers.details.find((s) => s.job === PURGE);
  const maintenanceCounts = (body: Readiness) =>
    body.checks.queues.details.find((q) => q.name === QueueName.MAINTENANCE);
  const metrics = async () => {
    const res = await api.http.get('/metrics');
    expect(res.status).toBe(200);
    return res.text;
  };
  /** Stages the recorded state of the purge scheduler directly in Redis, as a worker long gone would have left it. */
  const stage = async (fields: Record<string, string>, remove: string[] = []) => {
    const client = await maintenance().getBackend().client;
    const key = maintenance().toKey(SCHEDULER_RUNS_KEY);
    if (remove.length > 0) await client.hdel(key, ...remove);
    if (Object.keys(fields).length > 0) await client.hset(key, fields);
  };
  const finishedJobOf = (id: string, state: 'completed' | 'failed') => finishedJob(maintenance(), id, state);
  const isoOf = (ms: number | undefined) => new Date(ms as number).toISOString();

  const suiteStarted = Date.now();

  beforeAll(async () => {
    for (const name of Object.values(QueueName)) {
      const queue = appQueue(name, REDIS_URL);
      await queue.obliterate({ force: true });
      const client = await queue.getBackend().client;
      await client.del(queue.toKey(SCHEDULER_RUNS_KEY));
      queues.set(name, queue);
    }
    api = await TestApi.start(ApiModule.forRoot(testConfig({ DATABASE_URL, REDIS_URL })));
    worker = await NestFactory.createApplicationContext(
      WorkerModule.forRoot(testConfig({ DATABASE_URL, REDIS_URL })),
      { logger: false },
    );
    // The registrar upserts in the background; the schedulers' first runs start right away.
    await waitFor('every scheduler to be registered', async () => {
      const found = await Promise.all(
        [...queues.values()].map(async (queue) => (await queue.getJobSchedulers()).map((s) => s.key)),
      );
      return JOB_SCHEDULES.every((s) => found.flat().includes(s.job));
    });
  });

  afterAll(async () => {
    await worker?.close();
    await guarded?.close();
    await api?.close();
    for (const queue of queues.values()) {
      await queue.obliterate({ force: true });
      const client = await queue.getBackend().client;
      await client.del(queue.toKey(SCHEDULER_RUNS_KEY));
      await queue.close();
    }
  });

  it("shows a periodic job's last run, its next run and the queue counts in readiness", async () => {
    // Let the purge run the scheduler started at boot finish, so the run we add is the last one.
    await waitFor('the maintenance queue to be idle', async () => {
      const counts = await maintenance().getJobCounts('waiting', 'active', 'prioritized');
      return Object.values(counts).every((n) => n === 0);
    });
    const id = jobId(PURGE, 'visibility', 'completed');
    await maintenance().add(PURGE, {}, { jobId: id });
    const job = await finishedJobOf(id, 'completed');
    const scheduler = await maintenance().getJobScheduler(PURGE);
    expect(scheduler?.next).toEqual(expect.any(Number));

    const { status, body } = await waitFor('readiness to show the run', async () => {
      const answer = await ready();
      return purgeOf(answer.body)?.lastRunAt === isoOf(job.finishedOn) && answer;
    });
    expect(status).toBe(200);
    expect(body.status).toBe('ok');
    expect(purgeOf(body)).toEqual({
      job: PURGE,
      queue: QueueName.MAINTENANCE,
      registered: true,
      every: HOUR,
      lastRunAt: isoOf(job.finishedOn),
      lastOutcome: 'completed',
      lastDurationMs: (job.finishedOn as number) - (job.processedOn as number),
      nextRunAt: isoOf(scheduler?.next),
      late: false,
    });
    expect(body.checks.schedulers.details.map((s) => s.job)).toEqual(JOB_SCHEDULES.map((s) => s.job));
    // Only periodic jobs live on this queue (the purge and the key reseal sweep); each scheduler's next run waits
    // in 'delayed'.
    expect(maintenanceCounts(body)).toEqual({
      name: QueueName.MAINTENANCE,
      waiting: 0,
      active: 0,
      delayed: JOB_SCHEDULES.filter((s) => JOB_CATALOG[s.job] === QueueName.MAINTENANCE).length,
      failed: 0,
    });
    expect(body.warnings.filter((w) => w.includes(PURGE))).toEqual([]);
  });

  it('counts a failed job as failed, records it as the last run, and warns without turning readiness to 503', async () => {
    const registry = (worker as INestApplicationContext).get(JobHandlerRegistry, { strict: false });
    const handlerFor = registry.handlerFor.bind(registry);
    const spy = jest.spyOn(registry, 'handlerFor').mockImplementation((name) =>
      name === PURGE
        ? async () => {
            throw new Error('purge broke');
          }
        : handlerFor(name),
    );
    let job: Job;
    try {
      const id = jobId(PURGE, 'visibility', 'failed');
      await maintenance().add(PURGE, {}, { jobId: id, attempts: 1 });
      job = await finishedJobOf(id, 'failed');
    } finally {
      spy.mockRestore();
    }
    expect(job.failedReason).toBe('purge broke');

    const { status, body } = await waitFor('readiness to show the failed run', async () => {
      const answer = await ready();
      return purgeOf(answer.body)?.lastOutcome === 'failed' && answer;
    });
    expect(status).toBe(200);
    expect(purgeOf(body)).toMatchObject({
      lastRunAt: isoOf(job.finishedOn),
      lastOutcome: 'failed',
      late: false,
    });
    expect(maintenanceCounts(body)).toMatchObject({ failed: 1 });
    expect(body.warnings).toContain(`The last run of ${PURGE} failed (at ${isoOf(job.finishedOn)})`);

    const lines = (await metrics()).split('\n');
    expect(lines).toContain('cairn_queue_jobs{queue="maintenance",state="failed"} 1');
    expect(lines).toContain(`cairn_scheduler_last_run_success{job="${PURGE}"} 0`);
    expect(lines).toContain(
      `cairn_scheduler_last_run_timestamp_seconds{job="${PURGE}"} ${(job.finishedOn as number) / 1000}`,
    );
  });

  it('reports a scheduler whose last run is older than 3 intervals as late, in a warning, and stays ready', async () => {
    const finishedAt = Date.now() - 3 * HOUR - 60_000;
    await stage({
      [`run:${PURGE}`]: JSON.stringify({
        jobId: 'old',
        outcome: 'completed',
        finishedAt,
        durationMs: 12,
        attempt: 1,
      }),
    });

    const { status, body } = await ready();
    expect(status).toBe(200);
    expect(body.status).toBe('ok');
    expect(purgeOf(body)).toMatchObject({
      lastRunAt: isoOf(finishedAt),
      lastOutcome: 'completed',
      late: true,
    });
    expect(body.warnings).toContain(
      `Scheduler ${PURGE} is late: its last run finished at ${isoOf(finishedAt)}, more than 3 × 3600 s ago`,
    );
    // The other hourly job ran at boot: not late.
    expect(body.checks.schedulers.details.find((s) => s.job === 'webhooks.purge-old')).toMatchObject({
      late: false,
    });

    const lines = (await metrics()).split('\n');
    expect(lines).toContain(`cairn_scheduler_late{job="${PURGE}"} 1`);
    expect(lines).toContain('cairn_scheduler_late{job="webhooks.purge-old"} 0');
    expect(lines).toContain(
      `cairn_scheduler_last_run_timestamp_seconds{job="${PURGE}"} ${finishedAt / 1000}`,
    );
    expect(lines).toContain(`cairn_scheduler_last_run_success{job="${PURGE}"} 1`);

    // Two intervals ago is not late yet.
    const recent = Date.now() - 2 * HOUR;
    await stage({
      [`run:${PURGE}`]: JSON.stringify({
        jobId: 'x',
        outcome: 'completed',
        finishedAt: recent,
        durationMs: 1,
        attempt: 1,
      }),
    });
    expect(purgeOf((await ready()).body)).toMatchObject({ lastRunAt: isoOf(recent), late: false });
  });

  it('reports a scheduler that never ran, registered more than 3 intervals ago, as late', async () => {
    // The worker noted when it first registered the scheduler: that is what "never ran for 3 intervals" counts from.
    const client = await maintenance().getBackend().client;
    const since = Number(await client.hget(maintenance().toKey(SCHEDULER_RUNS_KEY), `since:${PURGE}`));
    expect(since).toBeGreaterThanOrEqual(suiteStarted);
    expect(since).toBeLessThanOrEqual(Date.now());

    await stage({ [`since:${PURGE}`]: String(Date.now() - 2 * HOUR) }, [`run:${PURGE}`]);
    expect(purgeOf((await ready()).body)).toMatchObject({ lastRunAt: null, lastOutcome: null, late: false });

    await stage({ [`since:${PURGE}`]: String(Date.now() - 4 * HOUR) });
    const { status, body } = await ready();
    expect(status).toBe(200);
    expect(purgeOf(body)).toMatchObject({ registered: true, lastRunAt: null, lastOutcome: null, late: true });
    expect(body.warnings).toContain(
      `Scheduler ${PURGE} is late: it has not run since it was registered, more than 3 × 3600 s ago`,
    );
    expect((await metrics()).split('\n')).toContain(`cairn_scheduler_late{job="${PURGE}"} 1`);
  });

  it('serves /metrics in the Prometheus text format: process, queue, scheduler and /graphql metrics', async () => {
    const histogram =
      'cairn_http_request_duration_seconds_count{route="/graphql",method="POST",status_code="200"}';
    const before = parsePrometheus(await metrics()).get(histogram) ?? 0;
    await api.gql('{ __typename }');

    const res = await api.http.get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    const samples = await waitFor('the /graphql request to be timed', async () => {
      const parsed = parsePrometheus(await metrics());
      return parsed.get(histogram) === before + 1 && parsed;
    });
    const lines = (await metrics()).split('\n');
    for (const line of [
      '# TYPE cairn_queue_jobs gauge',
      '# HELP cairn_queue_jobs Jobs per queue and state.',
      '# TYPE cairn_scheduler_last_run_timestamp_seconds gauge',
      '# TYPE cairn_scheduler_last_run_success gauge',
      '# TYPE cairn_scheduler_late gauge',
      '# TYPE cairn_http_request_duration_seconds histogram',
      '# TYPE process_cpu_user_seconds_total counter',
      '# TYPE nodejs_heap_size_used_bytes gauge',
      'cairn_queue_metrics_up 1',
    ]) {
      expect(lines).toContain(line);
    }
    for (const queue of Object.values(QueueName)) {
      for (const state of ['waiting', 'active', 'delayed', 'failed', 'completed']) {
        expect(samples.get(`cairn_queue_jobs{queue="${queue}",state="${state}"}`)).toEqual(
          expect.any(Number),
        );
      }
    }
    expect(samples.get('cairn_queue_jobs{queue="maintenance",state="completed"}')).toBeGreaterThanOrEqual(1);
    expect(samples.get(`cairn_scheduler_next_run_timestamp_seconds{job="${PURGE}"}`)).toBe(
      ((await maintenance().getJobScheduler(PURGE))?.next as number) / 1000,
    );
    expect(
      samples.get(
        'cairn_http_request_duration_seconds_bucket{le="+Inf",route="/graphql",method="POST",status_code="200"}',
      ),
    ).toBe(before + 1);
  });

  it('with METRICS_TOKEN set, answers 401 without it, with a wrong one or a tenant token, and 200 with it', async () => {
    guarded = await TestApi.start(ApiModule.forRoot(testConfig({ DATABASE_URL, REDIS_URL, METRICS_TOKEN })));
    const firm = await signUpFirm(guarded);

    const missing = await guarded.http.get('/metrics');
    expect(missing.status).toBe(401);
    expect(missing.headers['www-authenticate']).toBe('Bearer realm="metrics"');
    expect(missing.text).not.toContain('cairn_queue_jobs');
    for (const authorization of [
      `Bearer ${METRICS_TOKEN.slice(0, -1)}X`,
      `Bearer ${METRICS_TOKEN}X`,
      `Basic ${METRICS_TOKEN}`,
      METRICS_TOKEN,
      `Bearer ${firm.admin.accessToken}`,
    ]) {
      const res = await guarded.http.get('/metrics').set('authorization', authorization);
      expect({ authorization, status: res.status }).toEqual({ authorization, status: 401 });
      expect(res.text).not.toContain('cairn_queue_jobs');
    }

    const ok = await guarded.http.get('/metrics').set('authorization', `Bearer ${METRICS_TOKEN}`);
    expect(ok.status).toBe(200);
    expect(parsePrometheus(ok.text).get('cairn_queue_jobs{queue="maintenance",state="failed"}')).toBe(1);
    // Readiness stays a public probe either way.
    expect((await ready(guarded)).status).toBe(200);
  });
});

describe('queue visibility with Redis down', () => {
  /** Nothing listens here: stands in for a Redis that is down. */
  const DEAD_REDIS_URL = 'redis://127.0.0.1:6390';
  let api: TestApi;

  beforeAll(async () => {
    api = await TestApi.start(ApiModule.forRoot(testConfig({ DATABASE_URL, REDIS_URL: DEAD_REDIS_URL })));
  });
  afterAll(() => api?.close());

  it('still answers /metrics, with cairn_queue_metrics_up 0 and no queue or scheduler samples', async () => {
    const res = await api.http.get('/metrics');
    expect(res.status).toBe(200);
    const samples = parsePrometheus(res.text);
    expect(res.text.split('\n')).toContain('cairn_queue_metrics_up 0');
    expect([...samples.keys()].filter((k) => /^cairn_(queue_jobs|scheduler_)/.test(k))).toEqual([]);
    expect([...samples.keys()].some((k) => k.startsWith('process_cpu_user_seconds_total'))).toBe(true);
  });

  it('answers readiness 503 with the schedulers down and a warning that they could not be read', async () => {
    const res = await api.http.get('/health/ready');
    expect(res.status).toBe(503);
    expect(res.body.checks.redis.status).toBe('down');
    expect(res.body.checks.schedulers).toMatchObject({
      status: 'down',
      error: expect.stringContaining('timed out'),
    });
    expect(res.body.warnings).toEqual([expect.stringMatching(/^Schedulers could not be read: /)]);
  });
});
