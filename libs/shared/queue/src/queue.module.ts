import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { AppConfig } from '#cairn/shared/config';
import { QueueName } from './job-catalog.js';
import { JobHandlerRegistry } from './job-handler.registry.js';
import { JobSchedulerRegistrar } from './job-scheduler.registrar.js';
import { queueProcessor } from './queue-processor.js';
import { allQueuesProvider, QueueHealth } from './queue-health.js';
import { redisOptions } from './redis-connection.js';

const queues = Object.values(QueueName).map((name) => ({ name }));

@Global()
@Module({})
export class QueueModule {
  /** Connection plus every queue, as producers. Both the API and the worker import it. */
  static forRoot(): DynamicModule {
    return {
      module: QueueModule,
      imports: [
        BullModule.forRootAsync({
          inject: [AppConfig],
          useFactory: (config: AppConfig) => {
            return {
              connection: redisOptions(config.REDIS_URL),
              defaultJobOptions: {
                attempts: 5,
                backoff: { type: 'exponential', delay: 1000 },
                removeOnComplete: { age: 86_400, count: 10_000 },
                removeOnFail: { age: 7 * 86_400 },
              },
            };
          },
        }),
        BullModule.registerQueue(...queues),
      ],
      providers: [allQueuesProvider, QueueHealth],
      exports: [BullModule, QueueHealth],
    };
  }

  /** Worker side: one processor per queue, the handler registry, and the periodic job schedulers. */
  static forWorker(): DynamicModule {
    const root = QueueModule.forRoot();
    return {
      ...root,
      imports: [...(root.imports ?? []), DiscoveryModule],
      providers: [
        ...(root.providers ?? []),
        JobHandlerRegistry,
        JobSchedulerRegistrar,
        ...Object.values(QueueName).map((name) => queueProcessor(name)),
      ],
      exports: [...(root.exports ?? []), JobHandlerRegistry],
    };
  }
}
