import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { createServer } from 'node:net';

/**
 * `node <main>` with `env` on top of ours; its stderr goes to ours, prefixed with `label`. With TEST_PROCESS_LOGS
 * set to a directory, its stdout (the JSON logs; set TEST_LOG_LEVEL too) goes to `<dir>/<label>.log`.
 */
export function spawnNode(main: string, env: Record<string, string>, label: string): ChildProcess {
  const logs = process.env.TEST_PROCESS_LOGS;
  const child = spawn(process.execPath, [main], {
    env: { ...process.env, ...env },
    stdio: ['ignore', logs ? 'pipe' : 'ignore', 'pipe'],
  });
  child.stderr?.on('data', (chunk) => process.stderr.write(`[${label}] ${chunk}`));
  if (logs) child.stdout?.pipe(createWriteStream(join(logs, `${label.replace(/\W+/g, '-')}.log`), { flags: 'a' }));
  return child;
}

/** Sends `signal` (SIGKILL: a crash) and resolves once the process has exited; a no-op for one already gone. */
export async function stopProcess(child: ChildProcess | undefined, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  await exited;
}

const listenable = (port: number) =>
  new Promise<boolean>((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });

/**
 * A loopback port from 20000 up that nothing listens on now (nor on `port + alsoFree`, e.g. a Redis Cluster bus
 * port), picked at random so parallel runs rarely try the same one.
 */
export async function freePort(alsoFree?: number): Promise<number> {
  const highest = 65535 - (alsoFree ?? 0);
  for (;;) {
    const port = 20000 + Math.floor(Math.random() * (highest - 20000));
    if ((await listenable(port)) && (alsoFree === undefined || (await listenable(port + alsoFree)))) return port;
  }
}
