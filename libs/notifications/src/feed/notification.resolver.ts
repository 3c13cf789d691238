import { Args, Int, Mutation, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { ApiScope, CurrentPrincipal, type Principal, RequireScopes } from '#cairn/shared/auth';
import { Connection, type ConnectionShape } from '#cairn/shared/graphql';
import { MarkNotificationsReadInput } from './dto/mark-notifications-read.input.js';
import { NotificationsArgs } from './dto/notifications.args.js';
import { Notification } from './notification.entity.js';
import { NotificationService } from './notification.service.js';

@ObjectType()
export class NotificationConnection extends Connection(Notification) {}

/** Any signed-in person, for their own feed; partner tokens acting as a client need CHECKINS_READ. */
@RequireScopes(ApiScope.CHECKINS_READ)
@Resolver(() => Notification)
export class NotificationResolver {
  constructor(private readonly feed: NotificationService) {}

  @Query(() => NotificationConnection, { description: 'Your own notifications, newest first.' })
  notifications(
    @CurrentPrincipal() principal: Principal,
    @Args() args: NotificationsArgs,
  ): Promise<ConnectionShape<Notification>> {
    return this.feed.list(principal, args);
  }

  @Query(() => Int, { description: 'How many of your own notifications are unread.' })
  unreadNotificationCount(@CurrentPrincipal() principal: Principal): Promise<number> {
    return this.feed.unreadCount(principal);
  }

  @Mutation(() => [Notification], {
    description:
      'Marks your own notifications read, all or nothing: an id that is not yours is NOT_FOUND and nothing ' +
      'changes. One already read keeps its readAt.',
  })
  markNotificationsRead(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: MarkNotificationsReadInput,
  ): Promise<Notification[]> {
    return this.feed.markRead(principal, input.ids);
  }

  @Mutation(() => Int, {
    description: 'Marks every unread notification of yours read; returns how many changed.',
  })
  markAllNotificationsRead(@CurrentPrincipal() principal: Principal): Promise<number> {
    return this.feed.markAllRead(principal);
  }
}
