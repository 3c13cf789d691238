import 'reflect-metadata';
import { fork } from 'node:child_process';
import { type AddressInfo, createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { NestFactory } from '@nestjs/core';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import nodemailer from 'nodemailer';
import pg from 'pg';
import { WorkerModule } from '#cairn-app/worker';
import { loadConfig } from '#cairn/shared/config';
import { closeWorkerGracefully } from '#cairn/shared/queue';
import { recreateDatabase, withClient } from './bench-db.js';

/**
 * `npm run bench:nudges [-- --clients 10000 | --large] [--tenants 100]`: seeds clients across tenants (each
 * with one stalled goal, so one nudge each), runs one nudge window end to end — the worker's sweep, per-tenant
 * planning, messages, and every email through SMTP into a local sink — and prints nudges/second and time to
 * drain beside two baselines measured in the same run: the raw BullMQ add+process rate for as many empty jobs
 * (the ratio to it is the figure, target ≥ 0.30), and nodemailer's pooled SMTP transport sending the same
 * messages straight to the same sink (what the queue, database and recording add to bare sending). A
 * quarter-size run first shows how time grows with N. The full size runs
 * `--runs` times (3 by default, 1 with --large), each with its own seed and baseline, and the median counts:
 * on a shared two-core machine single runs vary by ±20%.
 *
 * Uses its own database (BENCH_DATABASE_URL, recreated) and Redis database (BENCH_REDIS_URL, flushed).
 */
const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const CLIENTS = args.includes('--large') ? 100_000 : Number(flag('clients') ?? 10_000);
const TENANTS = Number(flag('tenants') ?? 100);
const RUNS = Math.max(1, Number(flag('runs') ?? (args.includes('--large') ? 1 : 3)));
const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/cairn_bench';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/15';
const CONCURRENCY = 5; // what each Cairn queue's worker runs with

const redisConnection = () => {
  const url = new URL(REDIS_URL);
  return { host: url.hostname, port: Number(url.port || 6379), db: Number(url.pathname.slice(1) || 0) };
};
const seconds = (ms: number) => (ms / 1000).toFixed(2);

const admin = <T>(work: (client: pg.Client) => Promise<T>) => withClient(DATABASE_URL, work);

/** Tenants, one coach each, clients in an active engagement, and one stalled goal per client; in bulk SQL. */
async function seed(clients: number, tenants: number): Promise<void> {
  await admin(async (c) => {
    await c.query(`TRUNCATE tenants CASCADE`);
    await c.query(
      `INSERT INTO tenants (name, slug, default_timezone)
       SELECT 'Bench firm ' || t, 'bench-' || t, 'Europe/London' FROM generate_series(1, $1) AS t`,
      [tenants],
    );
    await c.query(`INSERT INTO nudge_policies (tenant_id, quiet_hours_start, quiet_hours_end, daily_cap)
                   SELECT id, '00:00', '00:00', 10 FROM tenants`);
    await c.query(`INSERT INTO users (tenant_id, email, display_name, role)
                   SELECT id, 'coach@' || slug || '.example', 'Coach ' || slug, 'COACH' FROM tenants`);
    await c.query(
      `INSERT INTO users (tenant_id, email, display_name, role)
       SELECT t.id, 'client-' || n || '@' || t.slug || '.example', 'Client ' || n, 'CLIENT'
         FROM (SELECT id, slug, row_number() OVER (ORDER BY slug) - 1 AS i FROM tenants) t
         CROSS JOIN LATERAL generate_series(1, $1::int / $2::int + CASE WHEN t.i < $1::int % $2::int THEN 1 ELSE 0 END) AS n`,
      [clients, tenants],
    );
    await c.query(
      `INSERT INTO profiles (tenant_id, user_id) SELECT tenant_id, id FROM users WHERE role = 'CLIENT'`,
    );
    await c.query(`INSERT INTO engagements (tenant_id, client_id, coach_id, is_primary, status, starts_on)
                   SELECT cl.tenant_id, cl.id, co.id, true, 'ACTIVE', current_date
                     FROM users cl JOIN users co ON co.tenant_id = cl.tenant_id AND co.role = 'COACH'
                    WHERE cl.role = 'CLIENT'`);
    await c.query(`INSERT INTO goals (tenant_id, client_id, horizon, title, category, status, created_at)
                   SELECT tenant_id, id, 'IMMEDIATE', 'Improve report writing', 'SKILL', 'ACTIVE', now() - interval '30 days'
                     FROM users WHERE role = 'CLIENT'`);
    await c.query(`ANALYZE`);
    // Write the seed out now, so a checkpoint does not land in the middle of either measurement.
    await c.query(`CHECKPOINT`);
  });
}

/**
 * The SMTP sink runs in its own process, as a real SMTP server would, so receiving mail does not take the
 * worker's event loop. It is a minimal SMTP server offering what Postfix does by default for this (PIPELINING,
 * CHUNKING; MAIL, RCPT, DATA, BDAT, RSET, QUIT) that counts and discards what it is sent: on a two-core machine
 * a full server (smtp-server) took as much CPU as the worker's sending did. It answers the parent's `count` messages with how many emails it has received.
 */
function runSink(): void {
  let received = 0;
  const server = createServer((socket) => {
    let buffer = '';
    let inData = false;
    let bdatBytes = 0;
    socket.setEncoding('latin1');
    socket.write('220 bench-sink ESMTP\r\n');
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      let replies = '';
      for (;;) {
        if (bdatBytes > 0) {
          // latin1: one character per byte, as BDAT counts.
          if (buffer.length < bdatBytes) break;
          buffer = buffer.slice(bdatBytes);
          bdatBytes = 0;
          received += 1;
          replies += '250 2.0.0 Accepted\r\n';
          continue;
        }
        if (inData) {
          const end = buffer.indexOf('\r\n.\r\n');
          if (end < 0) break;
          buffer = buffer.slice(end + 5);
          inData = false;
          received += 1;
          replies += '250 2.0.0 Accepted\r\n';
          continue;
        }
        const eol = buffer.indexOf('\r\n');
        if (eol < 0) break;
        const verb = buffer.slice(0, 4).toUpperCase();
        const line = buffer.slice(0, eol);
        buffer = buffer.slice(eol + 2);
        if (verb === 'EHLO')
          replies += '250-bench-sink\r\n250-PIPELINING\r\n250-CHUNKING\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n';
        else if (verb === 'BDAT')
          bdatBytes = Number(line.split(' ')[1]); // every chunk is LAST: one per message
        else if (verb === 'DATA') {
          // The message starts right after this line, ending at CRLF.CRLF (the CRLF before the dot is its own).
          buffer = `\r\n${buffer}`;
          inData = true;
          replies += '354 End data with <CR><LF>.<CR><LF>\r\n';
        } else if (verb === 'QUIT') {
          socket.end('221 Bye\r\n');
          return;
        } else replies += '250 OK\r\n';
      }
      if (replies) socket.write(replies);
    });
    socket.on('error', () => undefined);
  });
  server.listen(0, '127.0.0.1', () => process.send?.({ port: (server.address() as AddressInfo).port }));
  process.on('message', (message: string) => {
    if (message === 'count') process.send?.({ count: received });
    if (message === 'close') process.exit(0);
  });
}

async function startSink(): Promise<{
  url: string;
  count: () => Promise<number>;
  close: () => Promise<void>;
}> {
  const child = fork(fileURLToPath(import.meta.url), ['--sink'], { stdio: 'inherit' });
  const next = <T>(key: string) =>
    new Promise<T>((resolve) => {
      const listener = (message: Record<string, T>) => {
        if (!(key in message)) return;
        child.off('message', listener);
        resolve(message[key]);
      };
      child.on('message', listener);
    });
  const port = await next<number>('port');
  return {
    url: `smtp://127.0.0.1:${port}`,
    count: () => {
      const answer = next<number>('count');
      child.send('count');
      return answer;
    },
    close: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.send('close');
      }),
  };
}

async function flushRedis(): Promise<void> {
  const redis = new Redis({ ...redisConnection(), lazyConnect: true });
  await redis.connect();
  await redis.flushdb();
  redis.disconnect();
}

/** The baseline: add `n` empty jobs in bulk and process them with a no-op worker of the same concurrency. */
async function rawBullmqRate(n: number): Promise<{ ms: number; perSecond: number }> {
  await flushRedis();
  const queue = new Queue('bench-raw', { connection: redisConnection() });
  let done = 0;
  let finish: () => void = () => undefined;
  const drained = new Promise<void>((resolve) => (finish = resolve));
  const started = Date.now();
  const worker = new Worker('bench-raw', async () => undefined, {
    connection: redisConnection(),
    concurrency: CONCURRENCY,
    removeOnComplete: { count: 0 },
  });
  worker.on('completed', () => {
    if (++done === n) finish();
  });
  for (let i = 0; i < n; i += 1000) {
    await queue.addBulk(
      Array.from({ length: Math.min(1000, n - i) }, (_, k) => ({ name: 'noop', data: { i: i + k } })),
    );
  }
  await drained;
  const ms = Date.now() - started;
  await worker.close();
  await queue.close();
  return { ms, perSecond: n / (ms / 1000) };
}

/** One nudge window: boot the worker (its scheduler runs the sweep at once) and wait for every email. */
async function nudgeWindow(n: number): Promise<{ ms: number; perSecond: number }> {
  await flushRedis();
  const sink = await startSink();
  const config = loadConfig({
    ...process.env,
    NODE_ENV: 'production',
    DATA_ENCRYPTION_KEY:
      process.env.DATA_ENCRYPTION_KEY ?? Buffer.alloc(32, 'cairn-bench-key').toString('base64'),
    DATABASE_URL,
    REDIS_URL,
    SMTP_URL: sink.url,
    JWT_SECRET: process.env.JWT_SECRET ?? 'bench-secret-that-is-long-enough-for-hs256',
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'error',
    NUDGES_PAUSED: 'false',
    REPORTS_PAUSED: 'true',
    DATABASE_POOL_MAX: '20',
  });
  const started = Date.now();
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { logger: ['error'] });
  const deadline = started + 30 * 60_000;
  const trace = process.env.BENCH_TRACE === '1';
  let traced = Date.now();
  let elu = performance.eventLoopUtilization();
  for (let received = 0; received < n; received = await sink.count()) {
    if (Date.now() > deadline) throw new Error(`Timed out: ${received} of ${n} emails after 30 minutes`);
    if (trace && Date.now() - traced >= 1000) {
      traced = Date.now();
      const now = performance.eventLoopUtilization(elu);
      elu = performance.eventLoopUtilization();
      console.log(
        `  ${seconds(traced - started)} s: ${received} emails, event loop ${(now.utilization * 100).toFixed(0)}% busy`,
      );
    }
    if (process.stdout.isTTY) process.stdout.write(`\r  ${received} / ${n} emails`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const ms = Date.now() - started;
  if (process.stdout.isTTY) process.stdout.write('\r');
  const planned = await admin(
    async (c) =>
      (await c.query(`SELECT min(created_at) AS first, max(created_at) AS last FROM messages`)).rows[0] as {
        first: Date;
        last: Date;
      },
  );
  console.log(
    `  messages composed from ${seconds(planned.first.getTime() - started)} s to ${seconds(planned.last.getTime() - started)} s`,
  );
  // As the worker's own shutdown does: active send jobs finish and record their attempts before the pool closes.
  await closeWorkerGracefully(app);
  await sink.close();
  const sent = await admin(async (c) =>
    Number(
      (
        await c.query(
          `SELECT count(*) AS n FROM message_deliveries WHERE channel = 'EMAIL' AND status = 'SENT'`,
        )
      ).rows[0].n,
    ),
  );
  if (sent !== n) throw new Error(`Expected ${n} SENT email deliveries, found ${sent}`);
  return { ms, perSecond: n / (ms / 1000) };
}

/**
 * The second baseline: the nudge window's own messages (read first, not timed) sent straight to a fresh sink
 * through nodemailer's pooled SMTP transport with the pool and encoding settings Cairn's SMTP provider uses.
 */
async function nodemailerRate(n: number): Promise<{ ms: number; perSecond: number }> {
  const messages = await admin(
    async (c) =>
      (
        await c.query(
          `SELECT m.id, m.subject, m.text_body, m.html_body, u.email, u.display_name
             FROM messages m JOIN users u ON u.tenant_id = m.tenant_id AND u.id = m.recipient_user_id`,
        )
      ).rows as {
        id: string;
        subject: string;
        text_body: string;
        html_body: string | null;
        email: string;
        display_name: string;
      }[],
  );
  if (messages.length !== n) throw new Error(`Expected ${n} messages, found ${messages.length}`);
  const sink = await startSink();
  const transport = nodemailer.createTransport({
    pool: true,
    url: sink.url,
    maxConnections: 10,
    maxMessages: 1000,
  });
  const started = Date.now();
  await Promise.all(
    messages.map((m) =>
      transport.sendMail({
        from: 'Cairn <no-reply@cairn.localhost>',
        to: { name: m.display_name, address: m.email },
        subject: m.subject,
        text: m.text_body,
        html: m.html_body ?? undefined,
        messageId: `<${m.id}@cairn.localhost>`,
        textEncoding: 'base64',
      }),
    ),
  );
  const ms = Date.now() - started;
  transport.close();
  const received = await sink.count();
  await sink.close();
  if (received !== n) throw new Error(`The sink received ${received} of ${n} emails`);
  return { ms, perSecond: n / (ms / 1000) };
}

async function measure(n: number) {
  await seed(n, TENANTS);
  const raw = await rawBullmqRate(n);
  const nudges = await nudgeWindow(n);
  const mailer = await nodemailerRate(n);
  const ratio = nudges.perSecond / raw.perSecond;
  const mailerRatio = nudges.perSecond / mailer.perSecond;
  // What bare sending alone reaches against raw BullMQ: the ceiling for any path that sends through nodemailer.
  const mailerCeiling = mailer.perSecond / raw.perSecond;
  console.log(
    [
      `N=${n} clients across ${TENANTS} tenants`,
      `  raw BullMQ add+process: ${raw.perSecond.toFixed(0)} jobs/s (${seconds(raw.ms)} s)`,
      `  nodemailer pooled SMTP, same messages: ${mailer.perSecond.toFixed(0)} emails/s (${seconds(mailer.ms)} s)`,
      `  nudge window end to end: ${nudges.perSecond.toFixed(0)} nudges/s, drained in ${seconds(nudges.ms)} s`,
      `  ratio to raw BullMQ: ${ratio.toFixed(3)} (target ≥ 0.30) ${ratio >= 0.3 ? 'OK' : 'BELOW TARGET'}`,
      `  ratio to bare nodemailer: ${mailerRatio.toFixed(3)} (bare nodemailer to raw BullMQ: ${mailerCeiling.toFixed(3)})`,
    ].join('\n'),
  );
  return { n, ms: nudges.ms, ratio, mailerRatio, mailerCeiling };
}

if (args.includes('--sink')) {
  runSink();
} else {
  await main();
}

async function main(): Promise<void> {
  await recreateDatabase(DATABASE_URL);
  const small = await measure(Math.max(TENANTS, Math.round(CLIENTS / 4)));
  const runs: Awaited<ReturnType<typeof measure>>[] = [];
  for (let run = 0; run < RUNS; run++) runs.push(await measure(CLIENTS));
  const median = <T>(values: T[], by: (v: T) => number) =>
    [...values].sort((a, b) => by(a) - by(b))[values.length >> 1];
  const full = median(runs, (r) => r.ratio);
  if (RUNS > 1) {
    const ratios = runs.map((r) => r.ratio.toFixed(3)).join(', ');
    console.log(
      `Median of ${RUNS} runs at N=${CLIENTS}: ratio ${full.ratio.toFixed(3)} (runs: ${ratios}) ${full.ratio >= 0.3 ? 'OK' : 'BELOW TARGET'}`,
    );
    const mailer = median(runs, (r) => r.mailerRatio);
    const mailerRatios = runs.map((r) => r.mailerRatio.toFixed(3)).join(', ');
    console.log(`Median ratio to bare nodemailer: ${mailer.mailerRatio.toFixed(3)} (runs: ${mailerRatios})`);
    const ceiling = median(runs, (r) => r.mailerCeiling);
    const ceilings = runs.map((r) => r.mailerCeiling.toFixed(3)).join(', ');
    console.log(
      `Median ratio of bare nodemailer to raw BullMQ: ${ceiling.mailerCeiling.toFixed(3)} (runs: ${ceilings})`,
    );
  }
  const growth = median(runs, (r) => r.ms).ms / small.ms;
  console.log(
    `Scaling: ${full.n / small.n}× the clients took ${growth.toFixed(2)}× the time (linear would be ${(full.n / small.n).toFixed(0)}×).`,
  );
  await flushRedis();
  process.exit(0);
}
