import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Public } from '#cairn/shared/auth';
import { SystemDatabase } from '#cairn/shared/database';
import { LATE_AFTER_INTERVALS, QueueHealth, SchedulerStatus } from '#cairn/shared/queue';

type Check = { status: 'up' } | { status: 'down'; error: string };

async function check(fn: () => Promise<unknown>): Promise<Check & { details?: unknown }> {
  try {
    const details = await fn();
    return details === undefined ? { status: 'up' } : { status: 'up', details };
  } catch (error) {
    return { status: 'down', error: error instanceof Error ? error.message : String(error) };
  }
}

const DB_TIMEOUT_MS = 2000;

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** A periodic job as readiness shows it: times as ISO strings, `every` in ms. */
export function readinessScheduler(s: SchedulerStatus) {
  return {
    job: s.job,
    queue: s.queue,
    registered: s.registered,
    every: s.every,
    lastRunAt: iso(s.lastRunAt),
    lastOutcome: s.lastOutcome,
    lastDurationMs: s.lastDurationMs,
    nextRunAt: iso(s.nextRunAt),
    late: s.late,
  };
}

/** What readiness warns about without failing: late, failing or unregistered schedulers. */
export function schedulerWarnings(statuses: SchedulerStatus[]): string[] {
  return statuses.flatMap((s) => {
    const warnings: string[] = [];
    const interval = `${LATE_AFTER_INTERVALS} × ${s.every / 1000} s`;
    if (s.late && s.lastRunAt !== null) {
      warnings.push(`Scheduler ${s.job} is late: its last run finished at ${iso(s.lastRunAt)}, more than ${interval} ago`);
    } else if (s.late) {
      warnings.push(`Scheduler ${s.job} is late: it has not run since it was registered, more than ${interval} ago`);
    }
    if (s.lastOutcome === 'failed') warnings.push(`The last run of ${s.job} failed (at ${iso(s.lastRunAt)})`);
    if (!s.registered) warnings.push(`No scheduler is registered for ${s.job}: has a worker started against this Redis?`);
    return warnings;
  });
}

@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly db: SystemDatabase,
    private readonly queues: QueueHealth,
  ) {}

  /** The process is up and its event loop turns. */
  @Get('live')
  live() {
    return { status: 'ok' };
  }

  /**
   * Database, Redis and queues reachable: 200 when all are, 503 (with which one is not) otherwise. Periodic jobs
   * (schedulers) are reported, and a late one is listed in `warnings`, but they never make the API unready: no
   * worker running (scaled to zero, deploying) says nothing about whether this process can serve.
   */
  @Get('ready')
  async ready(@Res({ passthrough: true }) res: Response) {
    const [database, redis, queues, schedulers] = await Promise.all([
      check(() =>
        Promise.race([
          this.db.ping(),
          new Promise((_, reject) => setTimeout(() => reject(new Error('timed out')), DB_TIMEOUT_MS).unref()),
        ]),
      ),
      check(() => this.queues.pingRedis()),
      check(() => this.queues.queueStatuses()),
      check(() => this.queues.schedulerStatuses()),
    ]);
    const ok = [database, redis, queues].every((c) => c.status === 'up');
    const statuses = schedulers.status === 'up' ? (schedulers.details as SchedulerStatus[]) : [];
    const warnings =
      schedulers.status === 'up' ? schedulerWarnings(statuses) : [`Schedulers could not be read: ${schedulers.error}`];
    res.status(ok ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return {
      status: ok ? 'ok' : 'unavailable',
      checks: {
        database,
        redis,
        queues,
        schedulers: schedulers.status === 'up' ? { status: 'up', details: statuses.map(readinessScheduler) } : schedulers,
      },
      warnings,
    };
  }
}
