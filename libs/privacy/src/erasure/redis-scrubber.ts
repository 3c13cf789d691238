import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import type { Cluster, Redis } from 'ioredis';
import { AppConfig } from '#cairn/shared/config';
import { closeRedis, openRedis, QUEUE_PREFIX, QueueName, type RedisClient } from '#cairn/shared/queue';
import { wholeWord } from './needles.js';

const SCAN_COUNT = 500;
const QUEUES = new Set<string>(Object.values(QueueName));

/** What a scrub removed, for the job's result and the test. */
export interface ScrubResult {
  jobs: number;
  keys: number;
  members: number;
}

/**
 * Removes from Redis whatever carries one of the needles (a client's id, email, name): BullMQ jobs through their
 * queue (so its lists and sets lose them too), other keys whole, and matching members of lists, sets, sorted sets
 * and streams. Jobs carry ids only by design; this covers what slips through (a failure reason quoting an address,
 * a job id naming a person). It reads every key: erasures are rare, and nothing else can say what Redis holds.
 */
@Injectable()
export class RedisScrubber implements OnModuleDestroy {
  private redis?: RedisClient;

  constructor(
    private readonly moduleRef: ModuleRef,
    private readonly config: AppConfig,
  ) {}

  async onModuleDestroy(): Promise<void> {
    await closeRedis(this.redis);
  }

  async scrub(needles: readonly string[]): Promise<ScrubResult> {
    const result: ScrubResult = { jobs: 0, keys: 0, members: 0 };
    const wanted = needles.filter((n) => n.trim().length > 0).map(wholeWord);
    if (wanted.length === 0) return result;
    const hits = (text: string) => wanted.some((pattern) => pattern.test(text));
    // Its own connection, opened on the first erasure: the queues' clients are BullMQ's.
    const client = (this.redis ??= openRedis(this.config, 'cairn-privacy-scrub', new Logger('Privacy')));
    const nodes: Redis[] = isCluster(client) ? client.nodes('master') : [client];
    for (const node of nodes) {
      let cursor = '0';
      do {
        const [next, keys] = await node.scan(cursor, 'COUNT', SCAN_COUNT);
        cursor = next;
        for (const key of keys) await this.scrubKey(node, key, hits, result);
      } while (cursor !== '0');
    }
    return result;
  }

  private async scrubKey(node: Redis, key: string, hits: (text: string) => boolean, result: ScrubResult): Promise<void> {
    const job = jobOf(key);
    const type = await node.type(key);
    if (type === 'hash') {
      const fields = await node.hgetall(key);
      if (!hits(key) && !Object.values(fields).some(hits)) return;
      if (job) {
        await this.queue(job.queue).remove(job.id, { removeChildren: true });
        result.jobs++;
        // A job BullMQ would not remove (locked by a live worker) must not survive as a hash: fail the step.
        if ((await node.exists(key)) === 1) throw new Error(`A job carrying erased data is running: ${job.queue}`);
      } else {
        await node.del(key);
        result.keys++;
      }
    } else if (type === 'string') {
      if (hits(key) || hits((await node.get(key)) ?? '')) {
        await node.del(key);
        result.keys++;
      }
    } else if (hits(key)) {
      await node.del(key);
      result.keys++;
    } else if (type === 'list') {
      for (const member of (await node.lrange(key, 0, -1)).filter(hits)) {
        result.members += await node.lrem(key, 0, member);
      }
    } else if (type === 'set') {
      for (const member of (await node.smembers(key)).filter(hits)) result.members += await node.srem(key, member);
    } else if (type === 'zset') {
      for (const member of (await node.zrange(key, 0, -1)).filter(hits)) result.members += await node.zrem(key, member);
    } else if (type === 'stream') {
      const entries = await node.xrange(key, '-', '+');
      const ids = entries.filter(([, fields]) => fields.some(hits)).map(([id]) => id);
      if (ids.length > 0) result.members += await node.xdel(key, ...ids);
    }
  }

  private queue(name: string): Queue {
    return this.moduleRef.get<Queue>(getQueueToken(name), { strict: false });
  }
}

function isCluster(client: Redis | Cluster): client is Cluster {
  return 'nodes' in client && typeof (client as Cluster).nodes === 'function' && (client as Cluster).isCluster === true;
}

/** `{cairn}:<queue>:<job id>`, a BullMQ job's hash; its job id may itself contain '/' but never ':'. */
function jobOf(key: string): { queue: string; id: string } | null {
  const prefix = `${QUEUE_PREFIX}:`;
  if (!key.startsWith(prefix)) return null;
  const [queue, id, ...rest] = key.slice(prefix.length).split(':');
  if (rest.length > 0 || !id || !QUEUES.has(queue)) return null;
  return { queue, id };
}
