import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { AppConfig } from '#cairn/shared/config';
import { AfterCommit, TenantTransaction } from '#cairn/shared/database';
import { NOTIFICATIONS_CHANNEL, NotificationAddedMessage } from './notification-added.message.js';
import { closeRedis, openRedis, type RedisClient } from '#cairn/shared/queue';

/** Held while Redis is not connected (mostly the first moments after boot); beyond this the oldest go. */
export const MAX_UNSENT = 1000;

/**
 * Announces committed notifications on Redis pub/sub, right after the outermost transaction commits, so
 * every API process (this one included) can push them to live subscribers. Best effort: Redis being down
 * never fails or slows the change, and the feed row is the durable copy.
 */
@Injectable()
export class NotificationPublisher implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('NotificationPublisher');
  private readonly batch = Symbol('live-notifications');
  private redis?: RedisClient;
  private unsent: NotificationAddedMessage[] = [];

  constructor(
    private readonly afterCommit: AfterCommit,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    // No offline queue: while disconnected, commands fail at once instead of piling up without bound.
    this.redis = openRedis(this.config, 'cairn-notifications-pub', this.logger, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
    });
    this.redis.on('ready', () => this.flush());
  }

  async onApplicationShutdown(): Promise<void> {
    await closeRedis(this.redis);
  }

  publishAfterCommit(tx: TenantTransaction, messages: NotificationAddedMessage[]): void {
    this.afterCommit.collect(tx, this.batch, messages, (all) => this.publish(all));
  }

  /** Never awaited by the change that produced the notifications. */
  publish(messages: NotificationAddedMessage[]): void {
    const redis = this.redis;
    if (redis?.status !== 'ready') {
      this.unsent.push(...messages);
      const excess = this.unsent.length - MAX_UNSENT;
      if (excess > 0) {
        this.unsent.splice(0, excess);
        this.logger.warn(`Redis unavailable: ${excess} live notifications dropped (they are in the feed)`);
      }
      return;
    }
    // One pipeline per batch: a nudge run announces thousands, and a write per PUBLISH would cost more than
    // composing them did.
    const pipeline = redis.pipeline();
    for (const message of messages) pipeline.publish(NOTIFICATIONS_CHANNEL, JSON.stringify(message));
    pipeline.exec().then(
      (results) => {
        const failed = (results ?? []).filter(([error]) => error).length;
        if (failed > 0) this.logger.warn(`Could not publish ${failed} notifications live (they are in the feed)`);
      },
      (error: Error) =>
        this.logger.warn(`Could not publish ${messages.length} notifications live (they are in the feed): ${error.message}`),
    );
  }

  private flush(): void {
    const messages = this.unsent;
    this.unsent = [];
    if (messages.length > 0) this.publish(messages);
  }
}
