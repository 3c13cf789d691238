import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Global, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import type { ConnectionOptions } from 'bullmq';
import { Cluster } from 'ioredis';
import { AppConfig } from '#cairn/shared/config';
import { QueueName } from './job-catalog.js';
import { JobHandlerRegistry } from './job-handler.registry.js';
import { JobSchedulerRegistrar } from './job-scheduler.registrar.js';
import { queueProcessor } from './queue-processor.js';
import { allQueuesProvider, QueueHealth } from './queue-health.js';
import { closeRedis } from './redis-client.js';
import { QUEUE_PREFIX, queueConnection } from './redis-connection.js';

const queues = Object.values(QueueName).map((name) => ({ name }));

/**
 * The queues' connection: options (standalone; BullMQ opens and closes a connection per Queue and Worker), or one
 * shared Redis Cluster client, which BullMQ leaves open, so it is closed here once the app shuts down.
 */
@Injectable()
export class QueueConnection implements OnApplicationShutdown {
  readonly connection: ConnectionOptions;

  constructor(config: AppConfig) {
    this.connection = queueConnection(config);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.connection instanceof Cluster) await closeRedis(this.connection);
  }
}

@Module({ providers: [QueueConnection], exports: [QueueConnection] })
class QueueConnectionModule {}

@Global()
@Module({})
export class QueueModule {
  /** Connection plus every queue, as producers. Both the API and the worker import it. */
  static forRoot(): DynamicModule {
    return {
      module: QueueModule,
      imports: [
        BullModule.forRootAsync({
          imports: [QueueConnectionModule],
          inject: [QueueConnection],
          useFactory: ({ connection }: QueueConnection) => {
            return {
              connection,
              prefix: QUEUE_PREFIX,
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
