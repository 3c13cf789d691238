import 'reflect-metadata';
import {
  taskSchedule as cached,
  TaskStatus,
  uncachedSchedule,
  type ActionTask,
  type TaskSchedule,
} from '#cairn/action-plans';
import { addDays, zoneClock } from '#cairn/shared/calendar';

/**
 * `npm run bench:schedule [-- --clients 50 --tasks 8 --requests 200 --runs 5]`: the schedule maths of one coach
 * dashboard read (what TaskSummaryService does per task once rows and counts are loaded: the last past
 * occurrence, the occurrences that may have counts, overdue since and next due) for `clients` × `tasks`, in
 * memory, repeated `requests` times. It is timed twice per run: through the memoised schedule functions (the
 * production path) and through `uncachedSchedule` (the same calls expanding every RRULE with rrule + luxon, as
 * every read did before issue 12). The ratio cached / uncached is the figure; the median of `runs` counts.
 * A "cold" line times the first read of a new day (every entry a miss) against the uncached path.
 *
 * No database, no Redis: the statements around this maths are unchanged, and measured elsewhere.
 */
const args = process.argv.slice(2);
const flag = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const CLIENTS = flag('clients', 50);
const TASKS = flag('tasks', 8);
const REQUESTS = flag('requests', 200);
const RUNS = Math.max(1, flag('runs', 5));

const ZONES = [
  'Europe/London',
  'America/New_York',
  'Australia/Lord_Howe',
  'Pacific/Kiritimati',
  'Etc/GMT+12',
  'Asia/Kathmandu',
  'America/St_Johns',
  'Europe/Berlin',
];
const RULES = [
  'FREQ=DAILY',
  'FREQ=DAILY;INTERVAL=2',
  'FREQ=WEEKLY;BYDAY=MO,WE,FR',
  'FREQ=WEEKLY;BYDAY=MO',
  'FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH',
  'FREQ=MONTHLY;BYMONTHDAY=1,15,-1',
  'FREQ=MONTHLY;BYDAY=-1FR',
  'FREQ=YEARLY;BYMONTH=4;BYDAY=1FR',
];

/** A small deterministic generator, so every run measures the same caseload. */
function random(seed: number) {
  let state = seed;
  return (n: number) => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state % n;
  };
}

interface Client {
  id: string;
  zone: string;
}

/** Clients across zones, each with `TASKS` tasks: mostly habits, some with an edited rule, some one-off. */
function caseload(today: string): {
  clients: Client[];
  tasks: ActionTask[];
  counts: Map<string, Map<string, number>>;
} {
  const pick = random(42);
  const clients = Array.from({ length: CLIENTS }, (_, i) => ({
    id: `client-${i}`,
    zone: ZONES[i % ZONES.length],
  }));
  const tasks: ActionTask[] = [];
  const counts = new Map<string, Map<string, number>>();
  for (const client of clients) {
    for (let t = 0; t < TASKS; t++) {
      const id = `${client.id}-task-${t}`;
      const startDate = addDays(today, -pick(3 * 365));
      const oneOff = t % 4 === 3;
      const edited = !oneOff && pick(4) === 0;
      tasks.push({
        id,
        clientId: client.id,
        status: pick(5) === 0 ? TaskStatus.TODO : TaskStatus.IN_PROGRESS,
        startDate,
        dueDate: oneOff ? addDays(today, pick(30) - 15) : pick(3) === 0 ? addDays(today, pick(120)) : null,
        recurrence: oneOff ? null : RULES[pick(RULES.length)],
        recurrenceHistory: edited
          ? [{ rule: RULES[pick(RULES.length)], until: addDays(today, -1 - pick(60)) }]
          : [],
        countTarget: 1 + pick(3),
      } as ActionTask);
      const logged = new Map<string, number>();
      for (let day = -7; day <= 1; day++) if (pick(2) === 0) logged.set(addDays(today, day), 1 + pick(3));
      counts.set(id, logged);
    }
  }
  return { clients, tasks, counts };
}

/** One dashboard read's schedule maths, as TaskSummaryService does it; returns a digest of the answers. */
function dashboardRead(schedule: TaskSchedule, load: ReturnType<typeof caseload>, now: Date): string {
  const clock = zoneClock(now);
  const zones = new Map(load.clients.map((c) => [c.id, c.zone]));
  // Rows arrive fresh from the database on every request: no object identity carries over.
  const tasks = load.tasks.map((t) => ({
    ...t,
    recurrenceHistory: t.recurrenceHistory.map((p) => ({ ...p })),
  }));
  let digest = '';
  for (const task of tasks) {
    const today = clock(zones.get(task.clientId)!).date;
    const logged = (date: string | null) => load.counts.get(task.id)?.get(date ?? 'total') ?? 0;
    const last = schedule.lastPastOccurrence(task, today);
    const ahead = schedule.occurrencesThatMayHaveCounts(task, today);
    const since = schedule.overdueSince(task, today, logged);
    const due = schedule.nextDueOn(task, today, logged);
    digest += `${last}${ahead.length}${since}${due};`;
  }
  return digest;
}

function timed(work: () => string): { ms: number; digest: string } {
  const started = performance.now();
  const digest = work();
  return { ms: performance.now() - started, digest };
}

const NOW = new Date('2026-12-05T15:00:00Z');
const load = caseload(NOW.toISOString().slice(0, 10));
const perRequest = (ms: number) => `${(ms / REQUESTS).toFixed(3)} ms/request`;
const repeat = (schedule: TaskSchedule) => () => {
  let digest = '';
  for (let r = 0; r < REQUESTS; r++) digest = dashboardRead(schedule, load, NOW);
  return digest;
};

console.log(
  `Schedule maths of one dashboard read: ${CLIENTS} clients × ${TASKS} tasks, ${REQUESTS} requests per measurement`,
);
const runs: number[] = [];
for (let run = 1; run <= RUNS; run++) {
  const uncached = timed(repeat(uncachedSchedule));
  const memo = timed(repeat(cached));
  if (memo.digest !== uncached.digest) throw new Error('The cached and uncached paths disagree');
  const ratio = memo.ms / uncached.ms;
  runs.push(ratio);
  console.log(
    `  run ${run}: uncached ${perRequest(uncached.ms)}, cached ${perRequest(memo.ms)}; ratio ${ratio.toFixed(4)} (${(1 / ratio).toFixed(0)}× faster)`,
  );
}
const median = [...runs].sort((a, b) => a - b)[runs.length >> 1];
console.log(`Median ratio cached / uncached: ${median.toFixed(4)} (${(1 / median).toFixed(0)}× faster)`);

// The first read of a day finds nothing cached: each of these days is new to the cache.
const cold: number[] = [];
for (let day = 1; day <= RUNS; day++) {
  const next = new Date(NOW.getTime() + day * 86_400_000);
  const miss = timed(() => dashboardRead(cached, load, next));
  const raw = timed(() => dashboardRead(uncachedSchedule, load, next));
  if (miss.digest !== raw.digest) throw new Error('The cached and uncached paths disagree on a cold read');
  cold.push(miss.ms / raw.ms);
}
const coldMedian = [...cold].sort((a, b) => a - b)[cold.length >> 1];
console.log(`Cold read (first of a new day, all misses) / uncached: median ${coldMedian.toFixed(2)}`);
