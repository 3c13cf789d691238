import { Mutation, Query, Resolver } from '@nestjs/graphql';
import { ApiScope, CurrentPrincipal, type Principal, RequireScopes, Role, Roles } from '#cairn/shared/auth';
import { CalendarFeed } from './calendar-feed.entity.js';
import { CalendarFeedWithUrl } from './calendar-feed-with-url.type.js';
import { CalendarFeedService } from './calendar-feed.service.js';

/**
 * A person's own feed. Clients get their own plan; coaches, and admins who coach, the clients they coach
 * themselves (an admin's feed is not the whole firm). Partner tokens acting as a client need GOALS_READ; pure API
 * keys have no person and are refused.
 */
@Roles(Role.CLIENT, Role.COACH, Role.ADMIN)
@RequireScopes(ApiScope.GOALS_READ)
@Resolver(() => CalendarFeed)
export class CalendarFeedResolver {
  constructor(private readonly feeds: CalendarFeedService) {}

  @Query(() => CalendarFeed, {
    nullable: true,
    description: 'Your live calendar feed; null if you have none.',
  })
  myCalendarFeed(@CurrentPrincipal() principal: Principal): Promise<CalendarFeed | null> {
    return this.feeds.mine(principal);
  }

  @Mutation(() => CalendarFeedWithUrl, {
    description:
      'Creates your calendar feed, or gives it a new secret address: the previous address stops working at once. ' +
      'The address is returned only here.',
  })
  rotateMyCalendarFeed(@CurrentPrincipal() principal: Principal): Promise<CalendarFeedWithUrl> {
    return this.feeds.rotate(principal);
  }

  @Mutation(() => CalendarFeed, {
    nullable: true,
    description:
      'Ends your calendar feed; its address stops working. Returns the ended feed, or null if there was none.',
  })
  revokeMyCalendarFeed(@CurrentPrincipal() principal: Principal): Promise<CalendarFeed | null> {
    return this.feeds.revoke(principal);
  }
}
