import type { Job, JobSchedulerJson, RedisClient } from 'bullmq';
import { JOB_CATALOG, JOB_SCHEDULES, JobName, QueueName } from './job-catalog.js';

/**
 * Last run per periodic job, kept in Redis so that any process (the API has queues but no workers) can read
 * what the workers did. One hash per queue, inside that queue's own key space (`{cairn}:<queue>:cairn:scheduler-runs`, one cluster slot with the queue;
 * a ':' cannot occur in a custom job id, so no job key can collide), with two kinds of field:
 * - `run:<job>`: JSON {@link SchedulerRun}, overwritten by the worker whenever a job of that name finishes
 *   (one HSET per finished periodic job, nothing for the other jobs);
 * - `since:<job>`: epoch ms when a worker first registered that job's scheduler, so that a scheduler which never
 *   ran can be told apart from one that was only just created.
 */
export const SCHEDULER_RUNS_KEY = 'cairn:scheduler-runs';

/** A scheduler whose last run finished more than this many intervals ago (or that never ran for as long) is late. */
export const LATE_AFTER_INTERVALS = 3;

export type RunOutcome = 'completed' | 'failed';

export interface SchedulerRun {
  jobId: string | null;
  outcome: RunOutcome;
  /** Epoch ms. */
  finishedAt: number;
  durationMs: number;
  /** Which attempt this was: a failed attempt that will be retried is recorded as a failed run too. */
  attempt: number;
}

/** What this needs of a BullMQ Queue or Worker: the queue's key space and a Redis client. */
export interface QueueKeyspace {
  toKey(type: string): string;
  getBackend(): { readonly client: Promise<RedisClient> };
}

const runField = (job: string) => `run:${job}`;
const sinceField = (job: string) => `since:${job}`;

const SCHEDULED = new Set<string>(JOB_SCHEDULES.map((s) => s.job));
export const isScheduledJob = (name: string): name is JobName => SCHEDULED.has(name);

/** The run a finished (completed or failed) job stands for. */
export function runOf(
  job: Pick<Job, 'id' | 'processedOn' | 'finishedOn' | 'attemptsMade'>,
  outcome: RunOutcome,
  now = Date.now(),
): SchedulerRun {
  // A failed attempt that will be retried has no finishedOn: it finished now.
  const finishedAt = job.finishedOn ?? now;
  const startedAt = job.processedOn ?? finishedAt;
  return {
    jobId: job.id ?? null,
    outcome,
    finishedAt,
    durationMs: Math.max(0, finishedAt - startedAt),
    attempt: job.attemptsMade,
  };
}

/** Records a finished job as its scheduler's last run, if its name is a periodic job's; false if it is not. */
export async function recordSchedulerRun(
  target: QueueKeyspace,
  name: string,
  run: SchedulerRun,
): Promise<boolean> {
  if (!isScheduledJob(name)) return false;
  const client = await target.getBackend().client;
  await client.hset(target.toKey(SCHEDULER_RUNS_KEY), { [runField(name)]: JSON.stringify(run) });
  return true;
}

/** Notes when a job's scheduler was first registered; later registrations (restarts, replicas) keep that time. */
export async function markSchedulerRegistered(
  target: QueueKeyspace,
  job: JobName,
  now = Date.now(),
): Promise<void> {
  const client = await target.getBackend().client;
  const key = target.toKey(SCHEDULER_RUNS_KEY);
  // Not atomic (the client interface has no HSETNX): two replicas booting together store nearly the same time.
  if (await client.hexists(key, sinceField(job))) return;
  await client.hset(key, { [sinceField(job)]: String(now) });
}

export interface SchedulerRecords {
  runs: Map<string, SchedulerRun>;
  since: Map<string, number>;
}

/** Reads a queue's hash; fields that do not parse are ignored rather than failing the whole read. */
export async function readSchedulerRecords(target: QueueKeyspace): Promise<SchedulerRecords> {
  const client = await target.getBackend().client;
  return parseSchedulerRecords(await client.hgetall(target.toKey(SCHEDULER_RUNS_KEY)));
}

export function parseSchedulerRecords(hash: Record<string, string>): SchedulerRecords {
  const records: SchedulerRecords = { runs: new Map(), since: new Map() };
  for (const [field, value] of Object.entries(hash ?? {})) {
    if (field.startsWith('run:')) {
      const run = parseRun(value);
      if (run) records.runs.set(field.slice('run:'.length), run);
    } else if (field.startsWith('since:')) {
      const since = Number(value);
      if (Number.isFinite(since)) records.since.set(field.slice('since:'.length), since);
    }
  }
  return records;
}

function parseRun(value: string): SchedulerRun | undefined {
  try {
    const run = JSON.parse(value) as Partial<SchedulerRun>;
    if (typeof run.finishedAt !== 'number' || (run.outcome !== 'completed' && run.outcome !== 'failed'))
      return undefined;
    return {
      jobId: typeof run.jobId === 'string' ? run.jobId : null,
      outcome: run.outcome,
      finishedAt: run.finishedAt,
      durationMs: typeof run.durationMs === 'number' ? run.durationMs : 0,
      attempt: typeof run.attempt === 'number' ? run.attempt : 0,
    };
  } catch {
    return undefined;
  }
}

export interface SchedulerStatus {
  job: JobName;
  queue: QueueName;
  /** A BullMQ job scheduler exists for this job (a worker has registered it). */
  registered: boolean;
  /** Interval in ms: the registered scheduler's, else the catalogue's. */
  every: number;
  /** Epoch ms, or null when no run was recorded. */
  lastRunAt: number | null;
  lastOutcome: RunOutcome | null;
  lastDurationMs: number | null;
  /** Epoch ms of the scheduler's next run (BullMQ's `next`), or null when not registered. */
  nextRunAt: number | null;
  /**
   * The last run finished more than {@link LATE_AFTER_INTERVALS} intervals ago, or there was none while the
   * scheduler has existed that long.
   */
  late: boolean;
}

/** One periodic job's status from its catalogue entry, its BullMQ scheduler (if any) and the recorded runs. */
export function schedulerStatus(
  schedule: { job: JobName; everyMs: number },
  scheduler: Pick<JobSchedulerJson, 'every' | 'next'> | undefined,
  records: SchedulerRecords,
  now: number,
): SchedulerStatus {
  const every = scheduler?.every ?? schedule.everyMs;
  const run = records.runs.get(schedule.job);
  const since = scheduler ? records.since.get(schedule.job) : undefined;
  const reference = run?.finishedAt ?? since;
  return {
    job: schedule.job,
    queue: JOB_CATALOG[schedule.job],
    registered: scheduler !== undefined,
    every,
    lastRunAt: run?.finishedAt ?? null,
    lastOutcome: run?.outcome ?? null,
    lastDurationMs: run?.durationMs ?? null,
    nextRunAt: scheduler?.next ?? null,
    late: reference !== undefined && now - reference > LATE_AFTER_INTERVALS * every,
  };
}
