import { Logger } from '@nestjs/common';
import { type Cluster, Redis, type RedisOptions } from 'ioredis';
import { openCluster, type RedisTarget, redisOptions } from './redis-connection.js';

/** A standalone Redis connection or a Redis Cluster client: what our own (non-queue) Redis code talks to. */
export type RedisClient = Redis | Cluster;

/**
 * A dedicated connection (a cluster client with REDIS_CLUSTER_NODES; the same reconnect-forever policy as the
 * queues). Errors are logged at most every 10 s: an 'error' event without a listener would reach stderr raw.
 * Code using it must keep every multi-key command, MULTI and script within one hash slot.
 */
export function openRedis(
  target: RedisTarget,
  connectionName: string,
  logger: Logger,
  overrides: RedisOptions = {},
): RedisClient {
  // disconnect() arms this timer even for a socket that already closed (Redis down) and nothing clears it
  // then: keep it short so it cannot hold shutdown open.
  const options: RedisOptions = { connectionName, disconnectTimeout: 300, ...overrides };
  const nodes = target.redisClusterNodes;
  const redis = nodes ? openCluster(nodes, options) : new Redis({ ...redisOptions(target.REDIS_URL), ...options });
  let lastLog = 0;
  redis.on('error', (error: Error) => {
    if (Date.now() - lastLog < 10_000) return;
    lastLog = Date.now();
    logger.warn(`Redis (${connectionName}): ${error.message}`);
  });
  return redis;
}

/** QUIT when connected (bounded by `timeoutMs`), otherwise drop the socket: shutdown never waits on a dead Redis. */
export async function closeRedis(redis: RedisClient | undefined, timeoutMs = 1000): Promise<void> {
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
