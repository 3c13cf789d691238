import { Resolver, Subscription } from '@nestjs/graphql';
import { ApiScope, CurrentPrincipal, type Principal, RequireScopes } from '#cairn/shared/auth';
import { Notification } from '../feed/notification.entity.js';
import { NotificationErrors } from '../notifications.errors.js';
import { NotificationHub } from './notification-hub.js';

@Resolver(() => Notification)
export class NotificationSubscriptionResolver {
  constructor(private readonly hub: NotificationHub) {}

  @RequireScopes(ApiScope.CHECKINS_READ)
  @Subscription(() => Notification, {
    description:
      'Your own new notifications, live, once the change that made each one has committed (graphql-ws on ' +
      '/graphql). Best effort: after a reconnect, re-read `notifications` for what happened in between.',
    resolve: (notification: Notification) => notification,
  })
  notificationAdded(@CurrentPrincipal() principal: Principal): AsyncIterableIterator<Notification> {
    if (!principal.userId) throw NotificationErrors.noPerson();
    return this.hub.subscribe(principal.tenantId, principal.userId);
  }
}
