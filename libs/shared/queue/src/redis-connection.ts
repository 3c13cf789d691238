import { Logger } from '@nestjs/common';
import type { RedisOptions } from 'bullmq';

const logger = new Logger('Redis');

/**
 * BullMQ connection options from REDIS_URL. Reconnects forever with capped back-off and says so in the log,
 * so a Redis outage degrades readiness instead of crashing the process.
 */
export function redisOptions(url: string): RedisOptions {
  const parsed = new URL(url);
  let attempts = 0;
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 6379),
    username: parsed.username || undefined,
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    db: parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : 0,
    tls: parsed.protocol === 'rediss:' ? {} : undefined,
    maxRetriesPerRequest: null,
    enableOfflineQueue: true,
    retryStrategy: (times: number) => {
      attempts = times;
      const delay = Math.min(200 * 2 ** Math.min(times, 5), 5000);
      if (times === 1 || times % 10 === 0) {
        logger.warn(`Redis at ${parsed.host} unavailable; retrying (attempt ${attempts}, next in ${delay} ms)`);
      }
      return delay;
    },
  };
}
