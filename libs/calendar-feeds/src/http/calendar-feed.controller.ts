import { Controller, Get, HttpStatus, Logger, Param, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Public } from '#cairn/shared/auth';
import { plainReply as plain } from '#cairn/shared/observability';
import { RequestContext } from '#cairn/shared/tenancy';
import { FeedCalendarService } from '../calendar/feed-calendar.service.js';
import { CalendarFeedService } from '../feeds/calendar-feed.service.js';
import { etagOf, ifNoneMatchHits } from './conditional-get.js';

const ICS_SUFFIX = '.ics';
/** Calendar apps poll on their own schedule; five minutes of private caching spares us bursts of refreshes. */
const CACHE_CONTROL = 'private, max-age=300';

/**
 * `GET /calendar/<token>.ics`: the token in the address is the credential, so the route is public. Anything
 * that is not a live feed's current token (malformed, unknown, rotated, revoked, of a deactivated person) gets
 * the same 404, so a guess learns nothing. Failures are logged and answered without details.
 */
@Public()
@Controller('calendar')
export class CalendarFeedController {
  private readonly logger = new Logger('CalendarFeeds');

  constructor(
    private readonly feeds: CalendarFeedService,
    private readonly calendars: FeedCalendarService,
  ) {}

  @Get(':file')
  async feed(@Param('file') file: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    try {
      const token = file.endsWith(ICS_SUFFIX) ? file.slice(0, -ICS_SUFFIX.length) : null;
      const feed = token ? await this.feeds.resolve(token) : null;
      // The tenant is known only now, from the token; RLS applies to everything the calendar reads.
      const body = feed
        ? await RequestContext.runAs({ tenantId: feed.tenantId, userId: feed.userId }, () =>
            this.calendars.build(feed),
          )
        : null;
      if (body === null) return plain(res, HttpStatus.NOT_FOUND, 'Not found');

      const etag = etagOf(body);
      res.setHeader('ETag', etag);
      res.setHeader('Cache-Control', CACHE_CONTROL);
      if (ifNoneMatchHits(req.headers['if-none-match'], etag)) {
        res.status(HttpStatus.NOT_MODIFIED).end();
        return;
      }
      res.status(HttpStatus.OK);
      res.setHeader('Content-Type', 'text/calendar; charset=utf-8');
      res.setHeader('Content-Disposition', 'inline; filename="cairn.ics"');
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.setHeader('Content-Length', Buffer.byteLength(body, 'utf8'));
      res.end(body);
    } catch (error) {
      this.logger.error(error instanceof Error ? error : new Error(String(error)));
      if (!res.headersSent)
        plain(res, HttpStatus.INTERNAL_SERVER_ERROR, 'The calendar could not be produced; try again later');
    }
  }
}
