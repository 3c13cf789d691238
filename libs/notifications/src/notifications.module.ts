import { Module, type Type } from '@nestjs/common';
import { ClientsCoreModule } from '#cairn/clients';
import { NotificationFanOut } from './feed/notification-fan-out.js';
import { Notification } from './feed/notification.entity.js';
import { NotificationResolver } from './feed/notification.resolver.js';
import { NotificationService } from './feed/notification.service.js';
import { NotificationHub } from './live/notification-hub.js';
import { NotificationListener } from './live/notification-listener.js';
import { NotificationPublisher } from './live/notification-publisher.js';
import { NotificationSubscriptionResolver } from './live/notification-subscription.resolver.js';
import { Notifications1763900000700 } from './migrations/1763900000700-notifications.js';
import { NotificationKinds1763900000710 } from './migrations/1763900000710-notification-kinds.js';

export const notificationsEntities: Type[] = [Notification];
export const notificationsMigrations: Type[] = [Notifications1763900000700, NotificationKinds1763900000710];
export const notificationsResolvers: Type[] = [NotificationResolver, NotificationSubscriptionResolver];

/**
 * In-app notifications, written by subscribing to domain events (NotificationFanOut): no domain imports this,
 * the apps wire it (API and worker alike). It reads clients (names, zones, coaches) and nothing above.
 */
@Module({
  imports: [ClientsCoreModule],
  providers: [NotificationService, NotificationPublisher, NotificationFanOut],
  exports: [NotificationService],
})
export class NotificationsCoreModule {}

/** The API's side: the feed and the live subscription, with this process's Redis listener and hub. */
@Module({
  imports: [NotificationsCoreModule],
  providers: [...notificationsResolvers, NotificationHub, NotificationListener],
  exports: [NotificationHub],
})
export class NotificationsModule {}
