import { Logger } from '@nestjs/common';
import { Redis, type RedisOptions } from 'ioredis';
import { redisOptions } from './redis-connection.js';

/**
 * A dedicated connection from REDIS_URL (the same reconnect-forever policy as the queues). Errors are logged
 * at most every 10 s: an 'error' event without a listener would reach stderr raw.
 */
export function openRedis(
  url: string,
  connectionName: string,
  logger: Logger,
  overrides: RedisOptions = {},
): Redis {
  const redis = new Redis({
    ...(redisOptions(url) as RedisOptions),
    connectionName,
    // disconnect() arms this timer even for a socket that already closed (Redis down) and nothing clears it
    // then: keep it short so it cannot hold shutdown open.
    disconnectTimeout: 300,
    ...overrides,
  });
  let lastLog = 0;
  redis.on('error', (error: Error) => {
    if (Date.now() - lastLog < 10_000) return;
    lastLog = Date.now();
    logger.warn(`Redis (${connectionName}): ${error.message}`);
  });
  return redis;
}

/** QUIT when connected (bounded by `timeoutMs`), otherwise drop the socket: shutdown never waits on a dead Redis. */
export async function closeRedis(redis: Redis | undefined, timeoutMs = 1000): Promise<void> {
  if (!redis || redis.status === 'end') return;
  if (redis.status !== 'ready') {
    redis.disconnect();
    return;
  }
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    redis.quit().catch(() => undefined),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
      timer.unref();
    }),
  ]);
  clearTimeout(timer);
  // QUIT timed out (or failed): drop the socket. The status changed while we waited, hence the widening.
  if ((redis.status as string) !== 'end') redis.disconnect();
}
