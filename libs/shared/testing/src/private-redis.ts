import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { freePort, stopProcess } from './processes.js';
import { EVENT_WAIT_MS, waitFor } from './test-env.js';

const run = promisify(execFile);

export interface PrivateRedis {
  /** `redis://127.0.0.1:<port>/0`: a REDIS_URL. */
  url: string;
  port: number;
  /** Runs redis-cli against it. */
  cli(...args: string[]): Promise<string>;
  stop(): Promise<void>;
}

/**
 * A standalone redis-server of the suite's own on a free loopback port, no persistence: for suites that boot a
 * worker beyond the Redis databases WORKER_SUITES shares out (test-env.ts). Stop it in afterAll.
 */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  const server: ChildProcess = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  const cli = async (...args: string[]) =>
    (await run('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args], { timeout: EVENT_WAIT_MS, maxBuffer: 256 * 1024 * 1024 }))
      .stdout;
  const stop = () => stopProcess(server, 'SIGTERM');
  try {
    await waitFor(`redis-server on ${port}`, () => cli('PING').then((out) => out.trim() === 'PONG', () => false));
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: `redis://127.0.0.1:${port}/0`, port, cli, stop };
}
