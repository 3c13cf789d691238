import { Field, ObjectType } from '@nestjs/graphql';
import { CalendarFeed } from './calendar-feed.entity.js';

@ObjectType()
export class CalendarFeedWithUrl {
  @Field(() => CalendarFeed)
  feed: CalendarFeed;

  @Field({
    description:
      'The secret address to subscribe to in a calendar app. Shown only now: it is stored hashed. Anyone with it ' +
      'can read the calendar, so rotate the feed if it leaks.',
  })
  url: string;
}
