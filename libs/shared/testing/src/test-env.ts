import { Job, Queue } from 'bullmq';
import { AppConfig, loadConfig } from '#cairn/shared/config';
import { type JobName, QUEUE_PREFIX, QueueName, readSchedulerRecords } from '#cairn/shared/queue';

/** The suite's own database, recreated and migrated by global-setup on every run. */
export const TEST_DATABASE_URL =
  process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/cairn_test';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
export const TEST_JWT_SECRET = 'test-secret-that-is-long-enough-for-hs256-signing';
/** 32 bytes in base64, as production requires (`openssl rand -base64 32`). */
export const TEST_DATA_ENCRYPTION_KEY = Buffer.alloc(32, 'cairn-test-key').toString('base64');

/** The environment of a test's API or worker, in this process (testConfig) or a child one (spawnNode). */
export function testEnv(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: 'test',
    DATABASE_URL: TEST_DATABASE_URL,
    REDIS_URL: TEST_REDIS_URL,
    JWT_SECRET: TEST_JWT_SECRET,
    DATA_ENCRYPTION_KEY: TEST_DATA_ENCRYPTION_KEY,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    DATABASE_POOL_MAX: '4',
    // A booted worker sweeps every tenant of its database at once. Suites that boot one have a database of
    // their own (freshOwnDatabase), and only those that test nudges or reports turn these off.
    NUDGES_PAUSED: 'true',
    REPORTS_PAUSED: 'true',
    // Every suite signs in from 127.0.0.1 and some fail on purpose: test/sign-in-limits sets its own limits.
    SIGN_IN_LIMIT_PER_ADDRESS: '1000000',
    ...overrides,
  };
}

export function testConfig(overrides: Record<string, string> = {}): AppConfig {
  return loadConfig(testEnv(overrides));
}

/**
 * Suites that boot a worker, or must see only their own jobs or counters, each with a Redis database of its
 * own, so no suite's worker takes another's jobs and no suite spends another's sign-in budget.
 */
const WORKER_SUITES = [
  'worker',
  'webhooks',
  'notifications',
  'check-in-lifecycle',
  'queue-visibility',
  'nudges',
  'nudges-crash',
  'delivery-crash',
  'reports',
  'nudges-webhooks',
  'nudges-worker',
  'queue-dashboard',
  // Counts sign-in attempts per client address with small limits: every suite signs in from 127.0.0.1.
  'sign-in-limits',
  // Two API and three worker processes on one database and Redis.
  'multi-process',
  // runNudgesNow / runCoachReportNow with a worker draining.
  'run-now',
] as const;

// Redis has 16 logical databases; 0 is left to `npm start`.
if (WORKER_SUITES.length > 15) throw new Error('More worker suites than Redis databases 1–15');

/**
 * The suite's own logical Redis database (1–15), distinct from every other suite's in the run. The offset is
 * derived from the test database name, but two runs at once on one Redis can still share databases: give
 * such runs a Redis each (TEST_REDIS_URL). Pub/sub channels ignore the database index; queues and keys do not.
 */
export function isolatedRedisUrl(suite: (typeof WORKER_SUITES)[number]): string {
  const url = new URL(TEST_REDIS_URL);
  const name = new URL(TEST_DATABASE_URL).pathname;
  const hash = [...name].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7);
  url.pathname = `/${1 + ((hash + WORKER_SUITES.indexOf(suite)) % 15)}`;
  return url.toString();
}

/** `promise`, or a failure naming `what` once it has taken `ms` (default EVENT_WAIT_MS): for boots and shutdowns that could hang. */
export function within<T>(what: string, promise: Promise<T>, ms = EVENT_WAIT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** BullMQ connection options for a `redis://host:port/db` URL. */
export function redisConnectionOf(url: string): { host: string; port: number; db: number } {
  const parsed = new URL(url);
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 6379),
    db: Number(parsed.pathname.slice(1) || 0),
  };
}

/** One of the app's queues (its key prefix included) on `redisUrl`, to add, inspect or clear jobs; close it after. */
export function appQueue(name: QueueName, redisUrl: string): Queue {
  return new Queue(name, { connection: redisConnectionOf(redisUrl), prefix: QUEUE_PREFIX });
}

/**
 * How long a test waits for an event (a worker's job, a server booting or closing) before failing: generous,
 * so that on a busy 2-core CI machine a slow event makes a slower green, not a red. A test waiting this long
 * must fit within jest's testTimeout (jest.config.js).
 */
export const EVENT_WAIT_MS = 60_000;

/** Polls `probe` until it returns something truthy (which it resolves to), or fails naming `what`. */
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  timeoutMs = EVENT_WAIT_MS,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * The job once it reached `state` ('completed' by default; a failure on the way throws with its reason). The
 * state is read before the job: the other way round, a job read while still active may reach its final state
 * a moment later without the fields (returnvalue, failedReason) that come with it.
 */
export async function finishedJob(
  queue: Queue,
  id: string,
  state: 'completed' | 'failed' = 'completed',
  timeoutMs = EVENT_WAIT_MS,
): Promise<Job> {
  return waitFor(
    `job ${id} to be ${state}`,
    async () => {
      const now = await queue.getJobState(id);
      if (now === 'failed' && state !== 'failed')
        throw new Error(`Job ${id} failed: ${(await Job.fromId(queue, id))?.failedReason}`);
      return now === state && Job.fromId(queue, id);
    },
    timeoutMs,
  );
}

/**
 * Waits until nothing more can come of what happened before `since`: a run of the periodic `job` (a sweep) that
 * started at or after `since` completed, and then `queue` has nothing waiting or running. Use it before
 * counting, to show that something happened only once.
 */
export async function settledAfter(queue: Queue, job: JobName, since: number): Promise<void> {
  await waitFor(`a ${job} run that started after ${new Date(since).toISOString()}`, async () => {
    const run = (await readSchedulerRecords(queue)).runs.get(job);
    return run !== undefined && run.outcome === 'completed' && run.finishedAt - run.durationMs >= since;
  });
  await waitFor(`queue ${queue.name} to drain`, async () =>
    Object.values(await queue.getJobCounts('waiting', 'active', 'prioritized')).every((n) => n === 0),
  );
}
