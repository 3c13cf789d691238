import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { INestApplicationContext, Injectable, Logger, Type } from '@nestjs/common';
import type { Job } from 'bullmq';
import { RequestContext } from '#cairn/shared/tenancy';
import { QueueName } from './job-catalog.js';
import { JobHandlerRegistry } from './job-handler.registry.js';

const processors = new Map<QueueName, Type<WorkerHost>>();

/** One BullMQ worker per queue; it only dispatches, by job name, to the single registered handler. */
export function queueProcessor(queue: QueueName, concurrency = 5): Type<WorkerHost> {
  const existing = processors.get(queue);
  if (existing) return existing;
  @Injectable()
  @Processor(queue, { concurrency })
  class QueueProcessor extends WorkerHost {
    private readonly logger = new Logger(`Queue:${queue}`);

    constructor(private readonly registry: JobHandlerRegistry) {
      super();
    }

    async process(job: Job): Promise<unknown> {
      // Each job gets a fresh context with no tenant: handlers that touch tenant data must name one.
      return RequestContext.run(() => this.registry.handlerFor(job.name)(job), `job-${job.id}`);
    }

    @OnWorkerEvent('failed')
    onFailed(job: Job | undefined, error: Error) {
      this.logger.warn({ jobId: job?.id, job: job?.name, attempt: job?.attemptsMade, err: error }, 'Job failed');
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
 * Stops taking jobs and waits for the active ones before the rest of the app (database pool included) is
 * torn down; Nest alone would close the pool first and fail jobs mid-way.
 */
export async function closeGracefully(app: INestApplicationContext): Promise<void> {
  await Promise.all(
    [...processors.values()].map(async (processor) => {
      const host = app.get(processor, { strict: false });
      await host.worker?.close();
    }),
  );
  await app.close();
}
