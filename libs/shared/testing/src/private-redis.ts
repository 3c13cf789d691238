import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { freePort, stopProcess } from './processes.js';
import { EVENT_WAIT_MS, waitFor } from './test-env.js';

const run = promisify(execFile);

export interface PrivateRedis {
  /** `redis://127.0.0.1:<port>/0`. */
  url: string;
  stop(): Promise<void>;
}

/**
 * A redis-server of the suite's own on a free loopback port, no persistence: for a suite that boots a worker
 * now that every shared Redis database (WORKER_SUITES) is taken. Stop it in afterAll.
 */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  const server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  const stop = () => stopProcess(server, 'SIGTERM');
  try {
    await waitFor(`redis-server on ${port}`, () =>
      run('redis-cli', ['-h', '127.0.0.1', '-p', String(port), 'PING'], { timeout: EVENT_WAIT_MS }).then(
        ({ stdout }) => stdout.trim() === 'PONG',
        () => false,
      ),
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: `redis://127.0.0.1:${port}/0`, stop };
}
