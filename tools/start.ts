import { spawn, ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import 'reflect-metadata';
import { migrateDatabase, startEmbeddedPostgres } from '#cairn/shared/database';
import { MIGRATIONS } from '#cairn-app/api';

/**
 * `npm start`: API + worker in one command. Without DATABASE_URL it boots an embedded PostgreSQL (PGlite)
 * with its data under .data/, and without JWT_SECRET (outside production) it keeps a generated one there.
 */
const root = fileURLToPath(new URL('../..', import.meta.url));
const dataDir = `${root}/.data`;
const env: NodeJS.ProcessEnv = { ...process.env };

function devSecret(): string {
  const file = `${dataDir}/dev-jwt-secret`;
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, randomBytes(48).toString('base64url'), { mode: 0o600 });
  }
  return readFileSync(file, 'utf8').trim();
}

// Not beside JWT_SECRETS (a rotation in progress): the two are exclusive.
if (!env.JWT_SECRET && !env.JWT_SECRETS && env.NODE_ENV !== 'production') env.JWT_SECRET = devSecret();

let embedded: Awaited<ReturnType<typeof startEmbeddedPostgres>> | undefined;
if (!env.DATABASE_URL) {
  embedded = await startEmbeddedPostgres(`${dataDir}/pglite`, Number(env.EMBEDDED_DB_PORT ?? 0));
  env.DATABASE_URL = embedded.url;
  env.DATABASE_POOL_MAX = '4';
  console.log(`Embedded PostgreSQL (PGlite) at ${embedded.url}, data in .data/pglite`);
  const applied = await migrateDatabase(embedded.url, MIGRATIONS);
  if (applied.length) console.log(`Applied migrations: ${applied.join(', ')}`);
}

const children: ChildProcess[] = [];
let stopping = false;

function launch(name: string, script: string) {
  const child = spawn(process.execPath, [`${root}/dist/${script}`], { env, stdio: 'inherit' });
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`${name} exited (${signal ?? code}); stopping`);
      void shutdown(code ?? 1);
    }
  });
  children.push(child);
}

async function shutdown(code = 0) {
  if (stopping) return;
  stopping = true;
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
        }),
    ),
  );
  await embedded?.stop();
  process.exit(code);
}

process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

launch('api', 'apps/api/src/main.js');
launch('worker', 'apps/worker/src/main.js');
