import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, stopProcess } from './processes.js';
import { EVENT_WAIT_MS, waitFor } from './test-env.js';

const run = promisify(execFile);

export interface LocalRedisCluster {
  /** `redis://127.0.0.1:<port>` of every master, comma-separated: a REDIS_CLUSTER_NODES value. */
  nodes: string;
  ports: number[];
  /** Runs redis-cli against one node (`-c`: follows cluster redirects). */
  cli(port: number, ...args: string[]): Promise<string>;
  stop(): Promise<void>;
}

/**
 * A Redis Cluster of `masters` masters and no replicas, on free loopback ports (the bus port, +10000, free too),
 * each server in a temporary directory, no persistence. Resolves once every node reports `cluster_state:ok`.
 */
export async function startRedisCluster(masters = 3): Promise<LocalRedisCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'cairn-redis-cluster-'));
  const servers: ChildProcess[] = [];
  const ports: number[] = [];
  const cli = async (port: number, ...args: string[]) =>
    (await run('redis-cli', ['-c', '-h', '127.0.0.1', '-p', String(port), ...args], { timeout: EVENT_WAIT_MS })).stdout;
  const stop = async () => {
    await Promise.all(servers.map((server) => stopProcess(server, 'SIGTERM')));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < masters; i++) {
      const port = await freePort(10000);
      // Two picks can only collide before either server listens: choose again.
      if (ports.includes(port)) {
        i--;
        continue;
      }
      ports.push(port);
      const server = spawn(
        'redis-server',
        [
          '--port', String(port),
          '--bind', '127.0.0.1',
          '--cluster-enabled', 'yes',
          '--cluster-config-file', join(dir, `nodes-${port}.conf`),
          '--cluster-node-timeout', '5000',
          '--dir', dir,
          '--save', '',
          '--appendonly', 'no',
        ],
        { stdio: 'ignore' },
      );
      servers.push(server);
    }
    for (const port of ports)
      await waitFor(`redis-server on ${port}`, () => cli(port, 'PING').then((out) => out.trim() === 'PONG', () => false));
    // Bounded like every wait, so a hung create fails the suite (and stops the servers) instead of leaking them.
    await run(
      'redis-cli',
      ['--cluster', 'create', ...ports.map((port) => `127.0.0.1:${port}`), '--cluster-replicas', '0', '--cluster-yes'],
      { timeout: EVENT_WAIT_MS },
    );
    for (const port of ports)
      await waitFor(`cluster_state:ok on ${port}`, async () => (await cli(port, 'CLUSTER', 'INFO')).includes('cluster_state:ok'));
  } catch (error) {
    await stop();
    throw error;
  }
  return { nodes: ports.map((port) => `redis://127.0.0.1:${port}`).join(','), ports, cli, stop };
}
