import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { AppConfig } from '#cairn/shared/config';
import { TenantDatabase } from '#cairn/shared/database';
import { RequestContext } from '#cairn/shared/tenancy';
import { Notification } from '../feed/notification.entity.js';
import { NOTIFICATIONS_CHANNEL, parseNotificationAdded } from './notification-added.message.js';
import { NotificationHub } from './notification-hub.js';
import { closeRedis, openRedis, type RedisClient } from '#cairn/shared/queue';

/**
 * The API process's one subscriber connection. Each announced notification is loaded once, under its own
 * tenant, and only when someone here is listening for its recipient, then handed to the hub.
 */
@Injectable()
export class NotificationListener implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('NotificationListener');
  private redis?: RedisClient;
  private subscribed = false;
  private delivering: Promise<void> = Promise.resolve();

  constructor(
    private readonly config: AppConfig,
    private readonly tenantDb: TenantDatabase,
    private readonly hub: NotificationHub,
  ) {}

  onModuleInit(): void {
    const redis = openRedis(this.config, 'cairn-notifications-sub', this.logger);
    redis.on('message', (channel: string, raw: string) => {
      if (channel !== NOTIFICATIONS_CHANNEL) return;
      // One at a time, in arrival order: a subscriber sees notifications in the order they were announced.
      this.delivering = this.delivering.then(() => this.deliver(raw));
    });
    // Not awaited, so boot never waits on Redis; ioredis subscribes once connected and again after reconnects.
    redis.subscribe(NOTIFICATIONS_CHANNEL).then(
      () => (this.subscribed = true),
      (error: Error) => this.logger.warn(`Could not subscribe to live notifications: ${error.message}`),
    );
    this.redis = redis;
  }

  /** Subscribed and connected: announcements made from now on reach this process. */
  get listening(): boolean {
    return this.subscribed && this.redis?.status === 'ready';
  }

  async onApplicationShutdown(): Promise<void> {
    await closeRedis(this.redis);
  }

  async deliver(raw: string): Promise<void> {
    const message = parseNotificationAdded(raw);
    if (!message || !this.hub.hasSubscribers(message.tenantId, message.recipientUserId)) return;
    try {
      const notification = await RequestContext.runAs({ tenantId: message.tenantId }, () =>
        this.tenantDb.transaction((tx) =>
          tx
            .repo(Notification)
            .findOne({ id: message.notificationId, recipientUserId: message.recipientUserId }),
        ),
      );
      // Not found: announced by processes of another database sharing this Redis. Nothing to do.
      if (notification) this.hub.publish(notification);
    } catch (error) {
      this.logger.warn(
        `Could not load notification ${message.notificationId} for live delivery: ${(error as Error).message}`,
      );
    }
  }
}
