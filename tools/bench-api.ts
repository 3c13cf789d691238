import 'reflect-metadata';
import { type ChildProcess, fork } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { existsSync, mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { NestFactory } from '@nestjs/core';
import autocannon from 'autocannon';
import pg from 'pg';
import { ApiModule } from '#cairn-app/api';
import { loadConfig } from '#cairn/shared/config';
import { closeGracefully, configureHttpApp } from '#cairn/shared/observability';
import {
  backdateRecaps,
  bulkFirms,
  type Gql,
  graphqlClient,
  inParallel,
  type MeasuredFirm,
  openCheckIns,
  seedLightFirm,
  seedMeasuredFirm,
} from './bench-api-seed.js';
import {
  describe,
  installCapture,
  type Plan,
  planOf,
  replay,
  type Statement,
  substitutions,
} from './bench-api-replay.js';
import { recreateDatabase, withClient } from './bench-db.js';

/**
 * `npm run bench:api [-- --seconds=10 --warmup=3 --connections=16 --clients=50 --firms=20 --large-firms=10000
 * --rounds=2 --latency-seconds=5 --pool-max=10 --api-node=/path/to/node
 * --compare-node=/usr/bin/node --only=dashboard,goal-tree,submit-check-in --profile=DIR --keep-db]`: how close the API comes to the database work it
 * asks for. It seeds a firm through the API, then measures three operations — the coach dashboard (50
 * clients), a client's goal tree and submitCheckIn — at fixed concurrency against the API, and against a
 * baseline: a bare node:http + pg server replaying exactly the statements the API issued for one request of
 * that kind (captured from pg at run time, BEGIN/set_config/COMMIT included). API rps / baseline rps is the
 * figure. Then it grows the database to --large-firms firms in bulk SQL and compares the dashboard's latency,
 * with EXPLAIN (ANALYZE, BUFFERS) of its statements.
 *
 * API and baseline each run in a child process; the load generator (autocannon) runs in this one.
 * Uses its own database (BENCH_API_DATABASE_URL, recreated, dropped at the end unless --keep-db) and Redis
 * (BENCH_REDIS_URL).
 */
const args = process.argv.slice(2);
const flag = (name: string, fallback: string) =>
  args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const SECONDS = Number(flag('seconds', '10'));
const WARMUP = Number(flag('warmup', '3'));
const CONNECTIONS = Number(flag('connections', '16'));
const CLIENTS = Number(flag('clients', '50'));
const FIRMS = Number(flag('firms', '20'));
const LARGE_FIRMS = Number(flag('large-firms', '10000'));
const LATENCY_SECONDS = Number(flag('latency-seconds', '5'));
const ROUNDS = Math.max(1, Number(flag('rounds', '2')));
const API_NODE = flag('api-node', process.execPath);
/** Operations to measure under load (all by default); `--latency-seconds=0` skips the one-at-a-time dashboard. */
const ONLY = flag('only', '').split(',').filter(Boolean);
/** Writes a CPU profile of the API per operation, over its measured rounds under load, to DIR/<op>.cpuprofile. */
const PROFILE_DIR = flag('profile', '');
/** A second Node binary to serve the dashboard with, for a Node-versus-Node figure ('' to skip). */
const COMPARE_NODE = flag(
  'compare-node',
  existsSync('/usr/bin/node') && realpathSync('/usr/bin/node') !== realpathSync(API_NODE)
    ? '/usr/bin/node'
    : '',
);
const POOL_MAX = flag('pool-max', process.env.BENCH_POOL_MAX ?? '10');
const DATABASE_URL =
  process.env.BENCH_API_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/cairn_bench_api';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/14';

const DASHBOARD = `query ($first: Int) { coachDashboard(first: $first) { edges { cursor node {
  client { id displayName effectiveTimezone }
  activeGoals { progress goal { id title status priority targetDate measures { id title kind currentValue progress } } }
  averageProgress overdueTaskCount overdueTasks { id title dueDate } nextDueOn nextDueTasks { id title dueDate }
} } pageInfo { hasNextPage endCursor } } }`;
const GOAL_TREE = `query { goals(rootsOnly: true, first: 20) { edges { node { ...G children { ...G children { ...G } } } } } }
fragment G on Goal { id title horizon status targetDate progress measures { id title kind currentValue progress } }`;
const SUBMIT = `mutation ($input: SubmitCheckInInput!) { submitCheckIn(input: $input) {
  id late answers { key scale yesNo number } progressUpdateIds progressIssues } }`;

type Operation = 'dashboard' | 'goal-tree' | 'submit-check-in';
interface Request {
  query: string;
  variables: Record<string, unknown>;
  token: string;
}

/** The submitCheckIn body for one open check-in (each is answered once). */
const submission = (checkInId: string) => ({
  input: {
    checkInId,
    idempotencyKey: `bench-${checkInId}`,
    answers: [
      { key: 'energy', scale: 8 },
      { key: 'report_started', yesNo: true },
      { key: 'clients_surveyed', number: 6 },
    ],
  },
});

// ---------------------------------------------------------------------------------------------------------
// Child processes: the API and the baseline, each answering the parent's calls over IPC.

type Handlers = Record<string, (arg: never) => unknown>;
function answerCalls(handlers: Handlers): void {
  process.on('message', async (message: { id: number; cmd: string; arg: never }) => {
    const result = await handlers[message.cmd](message.arg);
    process.send?.({ id: message.id, result });
  });
  process.on('disconnect', () => process.exit(0));
}

interface Child {
  call<T = unknown>(cmd: string, arg?: unknown): Promise<T>;
  process: ChildProcess;
}
function startChild(role: string, env: Record<string, string>, execPath = process.execPath): Child {
  const child = fork(fileURLToPath(import.meta.url), [`--role=${role}`], {
    execPath,
    env: { ...process.env, ...env },
    stdio: 'inherit',
  });
  let next = 0;
  let exited: Error | undefined;
  const waiting = new Map<number, { resolve: (result: unknown) => void; reject: (error: Error) => void }>();
  child.on('message', (message: { id: number; result: unknown }) => {
    waiting.get(message.id)?.resolve(message.result);
    waiting.delete(message.id);
  });
  // A child that dies (a crash, or a Node binary that cannot load the app) fails its calls instead of hanging.
  child.on('exit', (code, signal) => {
    exited = new Error(`The ${role} process on ${execPath} exited (${signal ?? `code ${code}`})`);
    for (const { reject } of waiting.values()) reject(exited);
    waiting.clear();
  });
  return {
    process: child,
    call: <T>(cmd: string, arg?: unknown) =>
      new Promise<T>((resolve, reject) => {
        if (exited) return reject(exited);
        const id = ++next;
        waiting.set(id, { resolve: resolve as (result: unknown) => void, reject });
        child.send({ id, cmd, arg }, (error) => error && reject(error));
      }),
  };
}

async function serveApi(): Promise<void> {
  const capture = installCapture();
  const app = configureHttpApp(await NestFactory.create(ApiModule.forRoot(loadConfig()), { logger: false }));
  await app.listen(0, '127.0.0.1');
  // Requests received, and statements once the database work has gone quiet (requests the load generator gave
  // up on at the end of a run still finish): per-request figures without edge effects.
  let received = 0;
  (app.getHttpServer() as Server).on('request', () => received++);
  const inspector = new Session();
  inspector.connect();
  const idle = async () => {
    for (let seen = -1; seen !== capture.total();) {
      seen = capture.total();
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  };
  answerCalls({
    port: () => (app.getHttpServer().address() as AddressInfo).port,
    node: () => process.version,
    cpu: () => process.cpuUsage(),
    'profile-start': async () => {
      await inspector.post('Profiler.enable');
      await inspector.post('Profiler.start');
    },
    'profile-stop': async (path: string) => {
      const { profile } = await inspector.post('Profiler.stop');
      writeFileSync(path, JSON.stringify(profile));
    },
    tally: async () => (await idle(), { requests: received, statements: capture.tally() }),
    'capture-start': () => capture.start(),
    'capture-stop': () => capture.stop(),
    close: () => closeGracefully(app),
  });
}

async function serveBaseline(): Promise<void> {
  // The API's pool settings (buildDataSourceOptions), so both wait for connections alike.
  const pool = new pg.Pool({
    connectionString: DATABASE_URL,
    max: Number(POOL_MAX),
    idleTimeoutMillis: 10_000,
    connectionTimeoutMillis: 10_000,
    application_name: 'cairn-bench-baseline',
  });
  let plans: Record<string, { plan: Plan; variables: unknown }> = {};
  const reported = new Set<string>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const name = (req.url ?? '').slice(1);
      try {
        const op = plans[name];
        const { variables } = JSON.parse(Buffer.concat(chunks).toString()) as { variables: unknown };
        const rows = await replay(pool, op.plan, substitutions(op.variables, variables));
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(rows));
      } catch (error) {
        if (!reported.has(name)) console.error(`baseline ${name}: ${String(error)}`);
        reported.add(name);
        res
          .writeHead(500, { 'content-type': 'application/json' })
          .end(JSON.stringify({ errors: [String(error)] }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  answerCalls({
    port: () => (server.address() as AddressInfo).port,
    cpu: () => process.cpuUsage(),
    plans: (next: typeof plans) => void (plans = next),
    close: async () => {
      server.close();
      await pool.end();
    },
  });
}

// ---------------------------------------------------------------------------------------------------------
// Load and measurement.

interface Target {
  url: string;
  token?: string;
  request: Request;
  /** Per-request variables (submitCheckIn needs a fresh check-in each time); static body when absent. */
  variables?: () => Record<string, unknown>;
}
type Tally = { requests: number; statements: Record<string, number> };

/** What the runs of one side measured: requests, time, failures and every response's latency. */
interface Runs {
  requests: number;
  seconds: number;
  failed: number;
  latencies: number[];
  /** CPU time (user + system) the serving process spent during the runs, in ms. */
  cpuMs: number;
}
const noRuns = (): Runs => ({ requests: 0, seconds: 0, failed: 0, latencies: [], cpuMs: 0 });

function load(target: Target, seconds: number, connections: number, into: Runs): Promise<void> {
  const body = (variables: Record<string, unknown>) =>
    JSON.stringify({ query: target.request.query, variables });
  const { variables } = target;
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: target.url,
        connections,
        duration: seconds,
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(target.token ? { authorization: `Bearer ${target.token}` } : {}),
        },
        body: body(target.request.variables),
        requests: [
          {
            ...(variables ? { setupRequest: (req) => ({ ...req, body: body(variables()) }) } : {}),
            // GraphQL answers errors with HTTP 200 too: every response is checked.
            onResponse: (status, text) => {
              if (status !== 200 || text.startsWith('{"errors"') || text.includes('"errors":['))
                into.failed++;
            },
          },
        ],
      },
      (error, result) => {
        if (error) return reject(error);
        into.requests += result.requests.total;
        into.seconds += result.duration;
        into.failed += result.errors + result.timeouts;
        resolve();
      },
    );
    instance.on('response', (_client, _status, _bytes, ms) => into.latencies.push(ms));
  });
}

function summary(runs: Runs) {
  const sorted = runs.latencies.sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  return {
    rps: runs.requests / runs.seconds,
    p50: at(0.5),
    p99: at(0.99),
    requests: runs.requests,
    failed: runs.failed,
    /** The serving process's CPU per request: what the server costs, less sensitive to a busy machine. */
    cpuMsPerRequest: runs.cpuMs / runs.requests,
  };
}
type Summary = ReturnType<typeof summary>;

/**
 * Warm-up on both sides, then `ROUNDS` alternating runs of API and baseline (so a neighbour's burst of load on
 * the shared machine hits both), and the API's statements per request under load, by statement text.
 */
async function compare(
  api: Child,
  viaApi: Target,
  other: Child,
  viaBaseline: Target,
  seconds = SECONDS,
  connections = CONNECTIONS,
  profileAs?: string,
) {
  /** One run, with the CPU the serving process spent in it. */
  const measured = async (server: Child, target: Target, into: Runs) => {
    const before = await server.call<NodeJS.CpuUsage>('cpu');
    await load(target, seconds / ROUNDS, connections, into);
    const after = await server.call<NodeJS.CpuUsage>('cpu');
    into.cpuMs += (after.user - before.user + after.system - before.system) / 1000;
  };
  if (WARMUP > 0) {
    await load(viaApi, WARMUP, connections, noRuns());
    await load(viaBaseline, WARMUP, connections, noRuns());
  }
  const apiRuns = noRuns();
  const baselineRuns = noRuns();
  const perRequest: Record<string, number> = {};
  let requests = 0;
  if (profileAs) await api.call('profile-start');
  for (let round = 0; round < ROUNDS; round++) {
    const before = await api.call<Tally>('tally');
    await measured(api, viaApi, apiRuns);
    const after = await api.call<Tally>('tally');
    requests += after.requests - before.requests;
    for (const [text, n] of Object.entries(after.statements))
      perRequest[text] = (perRequest[text] ?? 0) + n - (before.statements[text] ?? 0);
    await measured(other, viaBaseline, baselineRuns);
  }
  if (profileAs) {
    mkdirSync(PROFILE_DIR, { recursive: true });
    await api.call('profile-stop', `${PROFILE_DIR}/${profileAs}.cpuprofile`);
  }
  for (const text of Object.keys(perRequest)) perRequest[text] /= requests;
  return { api: summary(apiRuns), baseline: summary(baselineRuns), perRequest };
}

/** Statements the API ran under load more often than in the captured request (per request), if any. */
function beyondCapture(perRequest: Record<string, number>, captured: Statement[]): string[] {
  return Object.entries(perRequest)
    .map(([text, n]) => [text, n - captured.filter((s) => s.text === text).length] as const)
    .filter(([, extra]) => Math.abs(extra) >= 0.05)
    .map(
      ([text, extra]) =>
        `    ${extra > 0 ? '+' : ''}${extra.toFixed(2)}  ${text.replace(/\s+/g, ' ').trim().slice(0, 110)}`,
    );
}

const fmt = (n: number, digits = 1) => n.toFixed(digits);

const admin = <T>(work: (client: pg.Client) => Promise<T>) => withClient(DATABASE_URL, work);

/** Runs `request` once against the API with pg capture on; fails on any GraphQL error. */
async function capture(api: Child, apiUrl: string, request: Request): Promise<Statement[]> {
  await api.call('capture-start');
  const res = await fetch(apiUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${request.token}` },
    body: JSON.stringify({ query: request.query, variables: request.variables }),
  });
  const statements = await api.call<Statement[]>('capture-stop');
  const body = (await res.json()) as { errors?: unknown[] };
  if (body.errors?.length) throw new Error(`Capture request failed: ${JSON.stringify(body.errors)}`);
  return statements;
}

// ---------------------------------------------------------------------------------------------------------
// EXPLAIN of captured statements.

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Shared Hit Blocks'?: number;
  'Shared Read Blocks'?: number;
  Plans?: PlanNode[];
}

/**
 * EXPLAIN (ANALYZE, BUFFERS) of every read the request made, inside its own transaction with the same
 * set_config (role and tenant) as the API, rolled back. Prints each scan and whether its index leads with
 * tenant_id.
 */
async function explain(statements: Statement[]): Promise<string[]> {
  return admin(async (db) => {
    const firstColumn = new Map(
      (
        await db.query<{ index: string; first: string }>(
          `SELECT i.relname AS index, a.attname AS first FROM pg_index x
             JOIN pg_class i ON i.oid = x.indexrelid
             JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = x.indkey[0]
             JOIN pg_namespace n ON n.oid = i.relnamespace WHERE n.nspname = 'public'`,
        )
      ).rows.map((r) => [r.index, r.first]),
    );
    const tenantTables = new Set(
      (
        await db.query<{ table_name: string }>(
          `SELECT table_name FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'tenant_id'`,
        )
      ).rows.map((r) => r.table_name),
    );
    const lines: string[] = [];
    for (const wave of planOf(statements).waves) {
      for (const unit of wave) {
        await db.query('BEGIN');
        try {
          for (const s of unit) {
            if (/set_config\(/i.test(s.text)) await db.query(s.text, s.values);
            if (!/^\s*(SELECT|WITH)\b/i.test(s.text) || /set_config\(/i.test(s.text)) continue;
            const { rows } = await db.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${s.text}`, s.values);
            const [result] = rows[0]['QUERY PLAN'] as [{ Plan: PlanNode; 'Execution Time': number }];
            const scans: string[] = [];
            const walk = (node: PlanNode) => {
              const table = node['Relation Name'];
              const index = node['Index Name'];
              const rows = `${node['Actual Rows'] ?? 0} rows × ${node['Actual Loops'] ?? 1} loops`;
              if (index) {
                const verdict =
                  firstColumn.get(index) === 'tenant_id'
                    ? 'tenant-first'
                    : `NOT tenant-first (leads with ${firstColumn.get(index)})`;
                scans.push(
                  `${node['Node Type']} ${index}${table ? ` on ${table}` : ''}: ${verdict}, ${rows}`,
                );
              } else if (node['Node Type'] === 'Seq Scan' && table) {
                scans.push(
                  `Seq Scan on ${table}${tenantTables.has(table) ? ' (a tenant table)' : ''}, ${rows}`,
                );
              }
              node.Plans?.forEach(walk);
            };
            walk(result.Plan);
            const sql = s.text.replace(/\s+/g, ' ').trim();
            lines.push(
              `  ${fmt(result['Execution Time'], 2).padStart(7)} ms  buffers hit ${result.Plan['Shared Hit Blocks'] ?? 0} read ${result.Plan['Shared Read Blocks'] ?? 0}  ${sql.slice(0, 90)}…`,
              ...scans.map((scan) => `             ${scan}`),
            );
          }
        } finally {
          await db.query('ROLLBACK');
        }
      }
    }
    return lines;
  });
}

// ---------------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const started = Date.now();
  const elapsed = () => `${fmt((Date.now() - started) / 1000, 0)} s`;
  const log = (line: string) => console.log(`[${elapsed()}] ${line}`);
  if (!new URL(DATABASE_URL).pathname.startsWith('/cairn_bench'))
    throw new Error('BENCH_API_DATABASE_URL must name a cairn_bench* database: it is dropped and recreated');
  await recreateDatabase(DATABASE_URL);
  const env = {
    NODE_ENV: 'production',
    LOG_LEVEL: 'silent',
    DATABASE_URL,
    REDIS_URL,
    DATABASE_POOL_MAX: POOL_MAX,
    JWT_SECRET: process.env.JWT_SECRET ?? 'bench-secret-that-is-long-enough-for-hs256',
    DATA_ENCRYPTION_KEY:
      process.env.DATA_ENCRYPTION_KEY ?? Buffer.alloc(32, 'cairn-bench-key').toString('base64'),
    JWT_ACCESS_TTL_SECONDS: '3600',
    SIGN_IN_LIMIT_PER_ADDRESS: '1000000',
  };
  const api = startChild('api', env, API_NODE);
  const apiUrl = `http://127.0.0.1:${await api.call<number>('port')}/graphql`;
  const baseline = startChild('baseline', { BENCH_API_DATABASE_URL: DATABASE_URL, BENCH_POOL_MAX: POOL_MAX });
  const baselineUrl = `http://127.0.0.1:${await baseline.call<number>('port')}`;
  const gql: Gql = graphqlClient(apiUrl);
  log(
    `API on Node ${await api.call<string>('node')} (pool ${POOL_MAX}), baseline and load generator on Node ${process.version}`,
  );

  // The measured firm and light firms up to 10, through the API.
  const firm: MeasuredFirm = await seedMeasuredFirm(gql, CLIENTS);
  await admin((db) => backdateRecaps(db, firm.tenantId));
  const lightFirms = (from: number, to: number) =>
    inParallel(
      Array.from({ length: Math.max(0, to - from) }, (_, i) => `bench-light-${from + i}`),
      3,
      (slug) => seedLightFirm(gql, slug, 3),
    );
  await lightFirms(1, Math.min(10, FIRMS));
  await admin((db) => db.query('ANALYZE'));
  log(
    `seeded the measured firm (${CLIENTS} clients) and ${Math.min(10, FIRMS) - 1} light firms through the API`,
  );

  const requests: Record<Operation, Request> = {
    dashboard: { query: DASHBOARD, variables: { first: CLIENTS }, token: firm.coachToken },
    'goal-tree': { query: GOAL_TREE, variables: {}, token: firm.clientToken },
    'submit-check-in': { query: SUBMIT, variables: {}, token: firm.clientToken },
  };
  const apiTarget = (op: Operation, variables?: () => Record<string, unknown>): Target => ({
    url: apiUrl,
    token: requests[op].token,
    request: requests[op],
    variables,
  });
  const baselineTarget = (op: Operation, variables?: () => Record<string, unknown>): Target => ({
    url: `${baselineUrl}/${op}`,
    request: requests[op],
    variables,
  });
  const captured = {} as Record<Operation, Statement[]>;
  /** Warm requests first (caches, prepared plans), then capture one and hand the baseline its plan. */
  const captureAll = async (ops: Operation[]) => {
    for (const op of ops) {
      if (op !== 'submit-check-in')
        for (let i = 0; i < 3; i++) await gql(requests[op].query, requests[op].variables, requests[op].token);
      captured[op] = await capture(api, apiUrl, requests[op]);
    }
    await baseline.call(
      'plans',
      Object.fromEntries(
        Object.entries(captured).map(([op, s]) => {
          const { variables } = requests[op as Operation];
          return [op, { plan: planOf(s, variables), variables }];
        }),
      ),
    );
  };

  // Dashboard latency, one request at a time, at 10 firms.
  const latencyAt = async (firms: number) => {
    await captureAll(['dashboard']);
    const result = await compare(
      api,
      apiTarget('dashboard'),
      baseline,
      baselineTarget('dashboard'),
      LATENCY_SECONDS,
      1,
    );
    return { firms, ...result, statements: captured.dashboard.length };
  };
  const ops = (Object.keys(requests) as Operation[]).filter((op) => !ONLY.length || ONLY.includes(op));
  const withDashboard = ops.includes('dashboard');
  const latencies = [];
  if (withDashboard && LATENCY_SECONDS > 0) {
    latencies.push(await latencyAt(Math.min(10, FIRMS)));
    log(`dashboard latency at ${latencies[0].firms} firms measured`);
  }

  await lightFirms(10, FIRMS);
  await admin(async (db) => {
    await db.query('ANALYZE');
    await db.query('CHECKPOINT');
  });
  log(`seeded light firms up to ${FIRMS} firms`);

  // Open check-ins: one to capture with, and disjoint pools for the API and the baseline.
  const pool = (size: number, tag: string) =>
    ops.includes('submit-check-in') ? admin((db) => openCheckIns(db, firm.assignmentId, size, tag)) : [];
  const runSeconds = WARMUP + SECONDS;
  const [captureCheckIn] = await pool(1, 'capture');
  const apiCheckIns = await pool(runSeconds * 1_000, 'api');
  const baselineCheckIns = await pool(runSeconds * 5_000, 'baseline');
  requests['submit-check-in'].variables = submission(captureCheckIn);
  const drawFrom = (ids: string[]) => {
    let next = 0;
    return () => submission(ids[Math.min(next++, ids.length - 1)]);
  };
  await captureAll(ops);
  log(`captured one request of each operation (${ops.join(', ')})`);

  const results = {} as Record<
    Operation,
    { api: Summary; baseline: Summary; perRequest: Record<string, number> }
  >;
  for (const op of ops) {
    const draw = op === 'submit-check-in';
    results[op] = await compare(
      api,
      apiTarget(op, draw ? drawFrom(apiCheckIns) : undefined),
      baseline,
      baselineTarget(op, draw ? drawFrom(baselineCheckIns) : undefined),
      SECONDS,
      CONNECTIONS,
      PROFILE_DIR ? op : undefined,
    );
    log(`${op}: API ${fmt(results[op].api.rps)} rps, baseline ${fmt(results[op].baseline.rps)} rps`);
  }
  let nodes: { other: string; result: Awaited<ReturnType<typeof compare>> } | undefined;
  if (COMPARE_NODE && withDashboard) {
    const other = startChild('api', env, COMPARE_NODE);
    try {
      const otherUrl = `http://127.0.0.1:${await other.call<number>('port')}/graphql`;
      nodes = {
        other: await other.call<string>('node'),
        result: await compare(api, apiTarget('dashboard'), other, { ...apiTarget('dashboard'), url: otherUrl }),
      };
      await other.call('close');
      other.process.disconnect();
      log(`dashboard on Node ${nodes.other} measured`);
    } catch (error) {
      // An older Node the app no longer runs on (Node 20 is end of life) skips the figure, not the report.
      log(`no Node-versus-Node figure: ${(error as Error).message}`);
    }
  }

  // Submissions recorded progress on the client's measure: take it back so later dashboards read what they did before.
  await admin((db) => db.query(`DELETE FROM progress_updates WHERE source LIKE 'check-in:%'`));

  let explained: string[] = [];
  if (LARGE_FIRMS > FIRMS && withDashboard && LATENCY_SECONDS > 0) {
    const t = Date.now();
    await admin(async (db) => {
      await bulkFirms(db, LARGE_FIRMS);
      await db.query('CHECKPOINT');
    });
    log(`bulk-inserted firms up to ${LARGE_FIRMS} in ${fmt((Date.now() - t) / 1000)} s`);
    latencies.push(await latencyAt(LARGE_FIRMS));
    explained = await explain(captured.dashboard);
  }

  // Report.
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const pgVersion = await admin(
    async (db) => (await db.query('SHOW server_version')).rows[0].server_version as string,
  );
  const statementsUnderLoad = (perRequest: Record<string, number>) =>
    Object.values(perRequest).reduce((a, b) => a + b, 0);
  const out: string[] = [
    '',
    `Machine: ${os.cpus().length} × ${cpu}, ${fmt(os.totalmem() / 2 ** 30, 0)} GiB; PostgreSQL ${pgVersion}; API Node ${await api.call<string>('node')}`,
    `Load: ${CONNECTIONS} connections, ${WARMUP} s warm-up, then ${ROUNDS} alternating rounds of ${fmt(SECONDS / ROUNDS)} s per side; pool ${POOL_MAX} on both sides; ${FIRMS} firms, ${CLIENTS} clients on the dashboard`,
    '',
    `${'operation'.padEnd(16)} ${'API rps'.padStart(8)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'stmts/req'.padStart(9)} ${'under load'.padStart(10)} | ${'baseline rps'.padStart(12)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)} | ${'API/baseline'.padStart(12)} ${'failed API/base'.padStart(15)}`,
  ];
  for (const [op, r] of Object.entries(results)) {
    out.push(
      `${op.padEnd(16)} ${fmt(r.api.rps).padStart(8)} ${fmt(r.api.p50).padStart(7)} ${fmt(r.api.p99).padStart(7)} ${String(captured[op as Operation].length).padStart(9)} ${fmt(statementsUnderLoad(r.perRequest)).padStart(10)} | ${fmt(r.baseline.rps).padStart(12)} ${fmt(r.baseline.p50).padStart(7)} ${fmt(r.baseline.p99).padStart(7)} | ${fmt(r.api.rps / r.baseline.rps, 3).padStart(12)} ${`${r.api.failed}/${r.baseline.failed}`.padStart(15)}`,
    );
  }
  out.push(
    '',
    'CPU per request of the serving process (user + system; the database\'s own CPU is not counted):',
    ...Object.entries(results).map(
      ([op, r]) =>
        `  ${op.padEnd(16)} API ${fmt(r.api.cpuMsPerRequest, 2)} ms, baseline ${fmt(r.baseline.cpuMsPerRequest, 2)} ms; baseline/API ${fmt(r.baseline.cpuMsPerRequest / r.api.cpuMsPerRequest, 3)}`,
    ),
  );
  if (latencies.length) out.push('', 'Dashboard, one request at a time:');
  for (const l of latencies) {
    out.push(
      `  ${String(l.firms).padStart(6)} firms: API p50 ${fmt(l.api.p50)} ms p99 ${fmt(l.api.p99)} ms (${fmt(l.api.rps)} rps, ${l.statements} statements); baseline p50 ${fmt(l.baseline.p50)} ms p99 ${fmt(l.baseline.p99)} ms (${fmt(l.baseline.rps)} rps); API/baseline ${fmt(l.api.rps / l.baseline.rps, 3)}`,
    );
  }
  if (nodes) {
    const { api: a, baseline: b } = nodes.result;
    out.push(
      '',
      `Dashboard (${CONNECTIONS} connections) on Node ${await api.call<string>('node')}: ${fmt(a.rps)} rps, p50 ${fmt(a.p50)} ms, p99 ${fmt(a.p99)} ms; on Node ${nodes.other}: ${fmt(b.rps)} rps, p50 ${fmt(b.p50)} ms, p99 ${fmt(b.p99)} ms; ratio ${fmt(a.rps / b.rps, 3)}`,
    );
  }
  for (const op of Object.keys(captured) as Operation[]) {
    out.push('', `Statements of one ${op} request (${captured[op].length}):`, ...describe(captured[op]));
    const extra = results[op] ? beyondCapture(results[op].perRequest, captured[op]) : [];
    if (extra.length) out.push('  Under load, per request, beyond the captured request:', ...extra);
  }
  if (explained.length)
    out.push(
      '',
      `EXPLAIN (ANALYZE, BUFFERS) of the dashboard's reads at ${LARGE_FIRMS} firms:`,
      ...explained,
    );
  console.log(out.join('\n'));

  await api.call('close');
  await baseline.call('close');
  api.process.disconnect();
  baseline.process.disconnect();
  if (!args.includes('--keep-db')) await recreateDatabase(DATABASE_URL, { dropOnly: true });
}

const role = flag('role', 'main');
if (role === 'api') await serveApi();
else if (role === 'baseline') await serveBaseline();
else await main();
