export * from './calendar-feeds.errors.js';
export * from './calendar-feeds.module.js';
export * from './feeds/calendar-feed.entity.js';
export * from './feeds/calendar-feed-with-url.type.js';
export * from './feeds/calendar-feed.service.js';
export * from './calendar/feed-calendar.service.js';
export * from './calendar/feed-events.js';
export * from './ics/ics-writer.js';
