import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { JOB_STATES, QueueHealth, QueueJobCounts, SchedulerStatus } from '#cairn/shared/queue';

/** Bounds each Redis read of a scrape, as readiness does. */
const SCRAPE_TIMEOUT_MS = 1000;

let processRegistry: Registry | undefined;
/**
 * Process metrics (CPU, memory, event loop, GC, handles), registered once per process: they describe the process,
 * and each registration adds an event-loop monitor and a GC observer that are never removed.
 */
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

interface Snapshot {
  queues?: QueueJobCounts[];
  schedulers?: SchedulerStatus[];
}

/**
 * The API's Prometheus registry. Queue and scheduler gauges are read from Redis at scrape time (collect
 * callbacks); the gauges of one scrape share a single read, and each read is bounded by a timeout, so a scrape
 * while Redis is down answers promptly with `cairn_queue_metrics_up 0` and no queue or scheduler samples.
 */
@Injectable()
export class MetricsService {
  readonly registry: Registry;
  readonly httpDuration: Histogram<'route' | 'method' | 'status_code'>;
  private inflight?: Promise<Snapshot>;

  constructor(private readonly queueHealth: QueueHealth) {
    const own = new Registry();
    const registers = [own];
    const snapshot = () => this.snapshot();

    new Gauge({
      name: 'cairn_queue_metrics_up',
      help: 'Whether this scrape read the queue counts and scheduler state from Redis (1) or not (0).',
      registers,
      async collect() {
        const { queues, schedulers } = await snapshot();
        this.set(queues && schedulers ? 1 : 0);
      },
    });
    new Gauge({
      name: 'cairn_queue_jobs',
      help: 'Jobs per queue and state.',
      labelNames: ['queue', 'state'] as const,
      registers,
      async collect() {
        const { queues } = await snapshot();
        this.reset();
        for (const queue of queues ?? []) {
          for (const state of JOB_STATES) this.set({ queue: queue.name, state }, queue.counts[state]);
        }
      },
    });
    const perScheduler = (
      name: string,
      help: string,
      value: (s: SchedulerStatus) => number | null,
    ): Gauge<'job'> =>
      new Gauge({
        name,
        help,
        labelNames: ['job'] as const,
        registers,
        async collect() {
          const { schedulers } = await snapshot();
          this.reset();
          for (const s of schedulers ?? []) {
            const v = value(s);
            if (v !== null) this.set({ job: s.job }, v);
          }
        },
      });
    perScheduler(
      'cairn_scheduler_last_run_timestamp_seconds',
      'When the last run of a periodic job finished (Unix time); absent until one was recorded.',
      (s) => (s.lastRunAt === null ? null : s.lastRunAt / 1000),
    );
    perScheduler(
      'cairn_scheduler_last_run_success',
      'Whether the last run of a periodic job completed (1) or failed (0); absent until one was recorded.',
      (s) => (s.lastOutcome === null ? null : s.lastOutcome === 'completed' ? 1 : 0),
    );
    perScheduler(
      'cairn_scheduler_last_run_duration_seconds',
      'How long the last run of a periodic job took.',
      (s) => (s.lastDurationMs === null ? null : s.lastDurationMs / 1000),
    );
    perScheduler(
      'cairn_scheduler_next_run_timestamp_seconds',
      "When a periodic job's scheduler runs next (Unix time); absent while no scheduler is registered.",
      (s) => (s.nextRunAt === null ? null : s.nextRunAt / 1000),
    );
    perScheduler(
      'cairn_scheduler_late',
      'Whether a periodic job is late (1): its last run finished more than 3 intervals ago, or it never ran for that long.',
      (s) => (s.late ? 1 : 0),
    );
    this.httpDuration = new Histogram({
      name: 'cairn_http_request_duration_seconds',
      help: 'Duration of HTTP requests, by route (only /graphql: queries and mutations, not WebSocket subscriptions).',
      labelNames: ['route', 'method', 'status_code'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.registry = Registry.merge([processMetrics(), own]);
  }

  /** The whole exposition, in the Prometheus text format. */
  render(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** One Redis read shared by every gauge of a scrape (and by concurrent scrapes). */
  private snapshot(): Promise<Snapshot> {
    this.inflight ??= Promise.allSettled([
      this.queueHealth.jobCounts(SCRAPE_TIMEOUT_MS),
      this.queueHealth.schedulerStatuses(SCRAPE_TIMEOUT_MS),
    ])
      .then(([queues, schedulers]) => ({
        queues: queues.status === 'fulfilled' ? queues.value : undefined,
        schedulers: schedulers.status === 'fulfilled' ? schedulers.value : undefined,
      }))
      .finally(() => {
        this.inflight = undefined;
      });
    return this.inflight;
  }
}
