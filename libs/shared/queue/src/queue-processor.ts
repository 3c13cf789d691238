import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { INestApplicationContext, Injectable, Logger, Type } from '@nestjs/common';
import type { Job } from 'bullmq';
import { RequestContext } from '#cairn/shared/tenancy';
import { QueueName } from './job-catalog.js';
import { JobHandlerRegistry } from './job-handler.registry.js';
import { isScheduledJob, recordSchedulerRun, RunOutcome, runOf } from './scheduler-runs.js';
import { withTimeout } from './timeout.js';

const processors = new Map<QueueName, Type<WorkerHost>>();
const CONCURRENCY = 5;
/**
 * Delivery queues notice a dead worker's active jobs sooner than BullMQ's 30 s + 30 s: a job it took but had
 * not claimed all of keeps its deterministic id, so the sweep cannot enqueue that batch again until BullMQ
 * moves the job back to waiting. A live worker renews its lock every 5 s; should it miss, a second run of the
 * job is harmless (each delivery is claimed once in the database).
 */
const DELIVERY_QUEUES: ReadonlySet<QueueName> = new Set([QueueName.MESSAGES, QueueName.WEBHOOKS]);
const DELIVERY_LOCKS = { lockDuration: 10_000, stalledInterval: 5_000 };

/**
 * One BullMQ worker per queue; it only dispatches, by job name, to the single registered handler. Five jobs at
 * a time everywhere: email jobs are batches of up to 100 sends sharing the SMTP pool, so that already keeps
 * 500 emails in flight.
 */
export function queueProcessor(queue: QueueName): Type<WorkerHost> {
  const existing = processors.get(queue);
  if (existing) return existing;
  @Injectable()
  @Processor(queue, { concurrency: CONCURRENCY, ...(DELIVERY_QUEUES.has(queue) ? DELIVERY_LOCKS : {}) })
  class QueueProcessor extends WorkerHost {
    private readonly logger = new Logger(`Queue:${queue}`);

    constructor(private readonly registry: JobHandlerRegistry) {
      super();
    }

    async process(job: Job): Promise<unknown> {
      // Each job gets a fresh context with no tenant: handlers that touch tenant data must name one.
      return RequestContext.run(() => this.registry.handlerFor(job.name)(job), `job-${job.id}`);
    }

    @OnWorkerEvent('completed')
    onCompleted(job: Job) {
      this.recordRun(job, 'completed');
    }

    @OnWorkerEvent('failed')
    onFailed(job: Job | undefined, error: Error) {
      this.logger.warn({ jobId: job?.id, job: job?.name, attempt: job?.attemptsMade, err: error }, 'Job failed');
      if (job) this.recordRun(job, 'failed');
    }

    /**
     * A periodic job's run is noted in Redis for readiness and /metrics (one HSET; other jobs cost nothing).
     * In the background and bounded: bookkeeping never holds up or fails a job.
     */
    private recordRun(job: Job, outcome: RunOutcome) {
      if (!isScheduledJob(job.name)) return;
      withTimeout(recordSchedulerRun(this.worker, job.name, runOf(job, outcome)), 5000, 'Recording the run').catch(
        (error: unknown) => this.logger.warn({ jobId: job.id, job: job.name, err: error }, 'Could not record the run'),
      );
    }

    @OnWorkerEvent('error')
    onError(error: Error) {
      this.logger.error({ err: error }, 'Worker error');
    }
  }
  processors.set(queue, QueueProcessor);
  return QueueProcessor;
}

/**
 * Stops taking jobs and waits for the active ones before the rest of the app, database pool included, is torn
 * down, so the ordering does not depend on Nest's shutdown-hook order. A worker without a Redis connection has
 * no active job, and BullMQ's graceful close would wait forever for that connection (taskforcesh/bullmq#4656),
 * so it is force-closed. (Forcing later is impossible: close(true) returns the pending graceful close.)
 */
export async function closeWorkerGracefully(app: INestApplicationContext, readyProbeMs = 500): Promise<void> {
  const workers = [...processors.values()].map((processor) => app.get(processor, { strict: false }).worker);
  await Promise.all(
    workers.map(async (worker) => {
      if (!worker) return;
      const connected = await Promise.race([
        worker.waitUntilReady().then(
          () => true,
          () => false,
        ),
        new Promise<boolean>((resolve) => setTimeout(() => resolve(false), readyProbeMs).unref()),
      ]);
      await worker.close(!connected);
    }),
  );
  await app.close();
}
