import { Logger } from '@nestjs/common';
import type { ConnectionOptions } from 'bullmq';
import { Cluster, type ClusterOptions, type RedisOptions } from 'ioredis';

const logger = new Logger('Redis');

/**
 * The key prefix of every queue. The braces make it a Redis Cluster hash tag: all keys of all queues hash to one
 * slot, so BullMQ's multi-key scripts (and our scheduler-runs hash, kept under the same prefix) never cross slots.
 * It is also used with a standalone Redis, so both modes run the same key layout. Part of every queue key: never
 * change it in place (CHANGELOG, issue 12, says how a deployment moves).
 */
export const QUEUE_PREFIX = '{cairn}';

/** Where Redis is: a standalone server (REDIS_URL) or the seed nodes of a Redis Cluster (REDIS_CLUSTER_NODES). */
export interface RedisTarget {
  REDIS_URL: string;
  readonly redisClusterNodes: URL[] | undefined;
}

/** Capped back-off that says so in the log, so a Redis outage degrades readiness instead of crashing the process. */
function retryStrategy(where: string): (times: number) => number {
  return (times: number) => {
    const delay = Math.min(200 * 2 ** Math.min(times, 5), 5000);
    if (times === 1 || times % 10 === 0) {
      logger.warn(`Redis at ${where} unavailable; retrying (attempt ${times}, next in ${delay} ms)`);
    }
    return delay;
  };
}

/** What every connection to one Redis server takes from its URL: credentials, TLS and, standalone, the database. */
function serverOptions(url: URL): RedisOptions {
  return {
    username: url.username ? decodeURIComponent(url.username) : undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    tls: url.protocol === 'rediss:' ? {} : undefined,
    // Commands wait (offline queue, no retry limit) while Redis is away; callers that must not wait override it.
    maxRetriesPerRequest: null,
    enableOfflineQueue: true,
  };
}

/** BullMQ/ioredis options for a standalone Redis from REDIS_URL. Reconnects forever. */
export function redisOptions(url: string): RedisOptions {
  const parsed = new URL(url);
  return {
    ...serverOptions(parsed),
    host: parsed.hostname,
    port: Number(parsed.port || 6379),
    db: parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : 0,
    retryStrategy: retryStrategy(parsed.host),
  };
}

/** A Redis Cluster client from its seed nodes, with the same reconnect-forever policy and `overrides` per node. */
export function openCluster(nodes: URL[], overrides: RedisOptions = {}): Cluster {
  const { enableOfflineQueue, ...nodeOverrides } = overrides;
  const options: ClusterOptions = {
    redisOptions: { ...serverOptions(nodes[0]), ...nodeOverrides },
    clusterRetryStrategy: retryStrategy(`cluster ${nodes.map((node) => node.host).join(',')}`),
    enableOfflineQueue: enableOfflineQueue ?? true,
    // TLS certificates name hosts, not the addresses they resolve to (e.g. managed clusters): keep the names.
    ...(nodes[0].protocol === 'rediss:' ? { dnsLookup: (address, callback) => callback(null, address) } : {}),
  };
  return new Cluster(
    nodes.map((node) => ({ host: node.hostname, port: Number(node.port || 6379) })),
    options,
  );
}

/**
 * BullMQ's `connection`: options for a standalone Redis (each Queue and Worker opens its own), or one Cluster
 * client shared by every Queue and Worker of the process (BullMQ duplicates it for the workers' blocking reads;
 * the caller closes it at shutdown).
 */
export function queueConnection(target: RedisTarget): ConnectionOptions {
  const nodes = target.redisClusterNodes;
  return nodes ? openCluster(nodes, { connectionName: 'cairn-queues' }) : (redisOptions(target.REDIS_URL) as ConnectionOptions);
}
