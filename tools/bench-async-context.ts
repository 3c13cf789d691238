import { AsyncLocalStorage } from 'node:async_hooks';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * `npm run bench:async-context [-- --nodes=/usr/bin/node,/opt/node24/bin/node --iterations=200000 --runs=5]`:
 * what an AsyncLocalStorage context costs awaited work, the way Cairn uses it (RequestContext and the
 * active tenant transaction are both AsyncLocalStorage). Each scenario awaits the same chain of small async
 * steps `iterations` times; the figure is its time over the time without any context, per Node binary.
 * Node 24 moved AsyncLocalStorage onto AsyncContextFrame (no async_hooks), which should make the ratio ≈ 1.
 *
 * With `--child --scenario=…` it times one scenario on the current Node and prints JSON; otherwise it runs itself
 * under each binary.
 */
const args = process.argv.slice(2);
const flag = (name: string, fallback: string) =>
  args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const ITERATIONS = Number(flag('iterations', '200000'));
const RUNS = Number(flag('runs', '5'));
const NODES = flag('nodes', '/usr/bin/node,/opt/node24/bin/node')
  .split(',')
  .filter((node) => existsSync(node));
if (NODES.length === 0) NODES.push(process.execPath);

/** A request's worth of awaiting: a resolver awaiting a service awaiting a (simulated) query, three deep. */
async function query(n: number): Promise<number> {
  await null;
  return n + 1;
}
async function service(n: number): Promise<number> {
  const a = await query(n);
  return query(a);
}
async function resolver(n: number): Promise<number> {
  return (await service(n)) + (await Promise.all([query(n), query(n + 1)])).length;
}

const requestContext = new AsyncLocalStorage<{ tenantId: string }>();
const transaction = new AsyncLocalStorage<{ id: number }>();

const scenarios: Record<string, () => Promise<number>> = {
  'no context': async () => {
    let sum = 0;
    for (let i = 0; i < ITERATIONS; i++) sum += await resolver(i);
    return sum;
  },
  // One context around the whole loop: every await inside propagates it.
  'inside one run()': () =>
    requestContext.run({ tenantId: 't' }, async () => {
      let sum = 0;
      for (let i = 0; i < ITERATIONS; i++) sum += await resolver(i);
      return sum;
    }),
  // As Cairn serves requests: a request context per request and a transaction context inside it, each read.
  'run() per request, nested': async () => {
    let sum = 0;
    for (let i = 0; i < ITERATIONS; i++) {
      sum += await requestContext.run({ tenantId: 't' }, () =>
        transaction.run({ id: i }, async () => {
          const tenant = requestContext.getStore()?.tenantId.length ?? 0;
          return (await resolver(i)) + tenant + (transaction.getStore()?.id ?? 0);
        }),
      );
    }
    return sum;
  },
};

/** One scenario's time in this process, after a warm-up run. */
async function timeScenario(name: string): Promise<number> {
  await scenarios[name]();
  const started = performance.now();
  await scenarios[name]();
  return performance.now() - started;
}

if (args.includes('--child')) {
  console.log(JSON.stringify({ node: process.version, ms: await timeScenario(flag('scenario', '')) }));
} else {
  console.log(
    `${ITERATIONS} iterations of a three-deep awaited call chain (5 awaits), best of ${RUNS} runs:`,
  );
  // A process per scenario: on Node 20 the first AsyncLocalStorage turns on async_hooks for every promise of
  // the process, so "no context" must run where no context ever existed. Runs interleave scenarios and
  // binaries, so a neighbour's load on a shared machine hits them alike; the best run counts.
  const best = new Map<string, Record<string, number>>();
  for (let run = 0; run < RUNS; run++) {
    for (const node of NODES) {
      for (const scenario of Object.keys(scenarios)) {
        const out = execFileSync(
          node,
          [fileURLToPath(import.meta.url), '--child', `--scenario=${scenario}`, ...args],
          {
            encoding: 'utf8',
          },
        );
        const { node: version, ms } = JSON.parse(out) as { node: string; ms: number };
        const times = best.get(version) ?? {};
        times[scenario] = Math.min(times[scenario] ?? Number.POSITIVE_INFINITY, ms);
        best.set(version, times);
      }
    }
  }
  for (const [version, ms] of best) {
    const base = ms['no context'];
    console.log(`Node ${version}`);
    for (const [name, time] of Object.entries(ms)) {
      console.log(
        `  ${name.padEnd(28)} ${time.toFixed(0).padStart(6)} ms  ${((ITERATIONS / time) * 1000).toFixed(0).padStart(8)} iterations/s  ×${(time / base).toFixed(2)} of no context`,
      );
    }
  }
  const versions = [...best.keys()];
  if (versions.length > 1) {
    const [first, last] = [best.get(versions[0]) ?? {}, best.get(versions[versions.length - 1]) ?? {}];
    console.log(`Node ${versions[versions.length - 1]} time / Node ${versions[0]} time, per scenario:`);
    for (const name of Object.keys(first))
      console.log(`  ${name.padEnd(28)} ×${(last[name] / first[name]).toFixed(2)}`);
  }
}
