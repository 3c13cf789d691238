import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { getQueueToken } from '@nestjs/bullmq';
import { MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Queue } from 'bullmq';
import { AppConfig } from '#cairn/shared/config';
import { QueueName } from './job-catalog.js';
import { queueDashboardAuth } from './queue-dashboard-auth.middleware.js';

export const QUEUE_DASHBOARD_PATH = '/admin/queues';

/**
 * Bull Board at /admin/queues for the platform operator, when QUEUE_DASHBOARD_PASSWORD is set. Mounted as
 * middleware, so the credential guard and GraphQL never see these requests; Basic auth runs first. Read-only:
 * Bull Board answers 405 to every write on a read-only queue (retry, clean, promote, empty, pause, add, …), and
 * its "pause/resume all" skip such queues. It shows the Queue instances QueueModule registered, so it opens no
 * Redis connection of its own.
 */
@Module({})
export class QueueDashboardModule implements NestModule {
  constructor(
    private readonly config: AppConfig,
    private readonly moduleRef: ModuleRef,
  ) {}

  configure(consumer: MiddlewareConsumer): void {
    const password = this.config.QUEUE_DASHBOARD_PASSWORD;
    if (password === undefined) return;
    const serverAdapter = new ExpressAdapter().setBasePath(QUEUE_DASHBOARD_PATH);
    createBullBoard({
      queues: Object.values(QueueName).map(
        (name) =>
          new BullMQAdapter(this.moduleRef.get<Queue>(getQueueToken(name), { strict: false }), {
            readOnlyMode: true,
          }),
      ),
      serverAdapter,
      options: { uiConfig: { boardTitle: 'Cairn queues' } },
    });
    consumer.apply(queueDashboardAuth(password), serverAdapter.getRouter()).forRoutes(QUEUE_DASHBOARD_PATH);
  }
}
