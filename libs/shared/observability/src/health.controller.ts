import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Public } from '#cairn/shared/auth';
import { SystemDatabase } from '#cairn/shared/database';
import { QueueHealth } from '#cairn/shared/queue';

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

  /** Database, Redis and queues reachable: 200 when all are, 503 (with which one is not) otherwise. */
  @Get('ready')
  async ready(@Res({ passthrough: true }) res: Response) {
    const [database, redis, queues] = await Promise.all([
      check(() =>
        Promise.race([
          this.db.ping(),
          new Promise((_, reject) => setTimeout(() => reject(new Error('timed out')), DB_TIMEOUT_MS).unref()),
        ]),
      ),
      check(() => this.queues.pingRedis()),
      check(() => this.queues.queueStatuses()),
    ]);
    const ok = [database, redis, queues].every((c) => c.status === 'up');
    res.status(ok ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return { status: ok ? 'ok' : 'unavailable', checks: { database, redis, queues } };
  }
}
