import { Module, type Type } from '@nestjs/common';
import { ClientsCoreModule } from '#cairn/clients';
import { FeedCalendarService } from './calendar/feed-calendar.service.js';
import { CalendarFeed } from './feeds/calendar-feed.entity.js';
import { CalendarFeedResolver } from './feeds/calendar-feed.resolver.js';
import { CalendarFeedService } from './feeds/calendar-feed.service.js';
import { CalendarFeedController } from './http/calendar-feed.controller.js';
import { CalendarFeeds1763900000800 } from './migrations/1763900000800-calendar-feeds.js';

export const calendarFeedsEntities: Type[] = [CalendarFeed];
export const calendarFeedsMigrations: Type[] = [CalendarFeeds1763900000800];
export const calendarFeedsResolvers: Type[] = [CalendarFeedResolver];

const services = [CalendarFeedService, FeedCalendarService];

/** Secret-address ICS feeds of each person's tasks, check-ins and goal targets, for calendar apps. */
@Module({ imports: [ClientsCoreModule], providers: services, exports: services })
export class CalendarFeedsCoreModule {}

@Module({
  imports: [CalendarFeedsCoreModule],
  providers: calendarFeedsResolvers,
  controllers: [CalendarFeedController],
})
export class CalendarFeedsModule {}
