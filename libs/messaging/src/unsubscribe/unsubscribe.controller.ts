import { Controller, Get, HttpStatus, Logger, Param, Post, Req, Res, UseInterceptors } from '@nestjs/common';
import { NoFilesInterceptor } from '@nestjs/platform-express';
import type { Request, Response } from 'express';
import { Public } from '#cairn/shared/auth';
import { EmailOptOuts } from './email-opt-outs.js';
import { unsubscribePage, type UnsubscribePageView } from './templates/unsubscribe-page.template.js';
import { UnsubscribeLinks, type UnsubscribeTarget } from './unsubscribe-links.js';

type Failure = { status: number; code: string; message: string };

const INVALID: Failure = {
  status: HttpStatus.BAD_REQUEST,
  code: 'UNSUBSCRIBE_LINK_INVALID',
  message: 'This unsubscribe link is not valid',
};
const EXPIRED: Failure = {
  status: HttpStatus.GONE,
  code: 'UNSUBSCRIBE_LINK_EXPIRED',
  message: 'This unsubscribe link has expired; use the link in a newer email',
};

/** A page that says one thing, from the escaping template; the token never appears on it. */
function page(res: Response, status: number, view: UnsubscribePageView): void {
  res.status(status);
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.setHeader('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'");
  res.end(unsubscribePage(view));
}

/**
 * One-click unsubscribe (RFC 8058) at `/email/unsubscribe/<token>`: the signed token is the credential, so the
 * route is public; the tenant, recipient and kind come from it alone. `POST` with `List-Unsubscribe=One-Click`
 * (urlencoded or multipart, as mail providers send it) turns the recipient's opt-out on, idempotently. `GET`
 * changes nothing (RFC 8058: link scanners follow GETs): it shows a page whose button makes that POST. A bad or
 * expired token is a 4xx with a stable code; failures are logged and answered without details.
 */
@Public()
@Controller('email/unsubscribe')
export class UnsubscribeController {
  private readonly logger = new Logger('Unsubscribe');

  constructor(
    private readonly links: UnsubscribeLinks,
    private readonly optOuts: EmailOptOuts,
  ) {}

  @Get(':token')
  confirm(@Param('token') token: string, @Res() res: Response): void {
    this.noCaching(res);
    const target = this.resolve(token);
    if ('code' in target) return page(res, target.status, { title: 'Unsubscribe', message: `${target.message}.` });
    const name = this.optOuts.listOf(target.kind)!.name;
    page(res, HttpStatus.OK, { title: 'Unsubscribe', message: `Stop receiving ${name}?`, confirm: true });
  }

  @Post(':token')
  @UseInterceptors(NoFilesInterceptor())
  async unsubscribe(@Param('token') token: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    this.noCaching(res);
    const html = req.accepts(['json', 'html']) === 'html';
    const fail = (f: Failure) =>
      html
        ? page(res, f.status, { title: 'Unsubscribe', message: `${f.message}.` })
        : void res.status(f.status).json({ error: { code: f.code, message: f.message } });
    const target = this.resolve(token);
    if ('code' in target) return fail(target);
    const body = req.body as Record<string, unknown> | undefined;
    if (body?.['List-Unsubscribe'] !== 'One-Click')
      return fail({
        status: HttpStatus.BAD_REQUEST,
        code: 'UNSUBSCRIBE_BODY_INVALID',
        message: 'The request body must be List-Unsubscribe=One-Click',
      });
    try {
      await this.optOuts.optOut(target);
    } catch (error) {
      this.logger.error(error instanceof Error ? error : new Error(String(error)));
      return fail({
        status: HttpStatus.SERVICE_UNAVAILABLE,
        code: 'UNAVAILABLE',
        message: 'Unsubscribing failed for now; try again later',
      });
    }
    const name = this.optOuts.listOf(target.kind)!.name;
    if (html) return page(res, HttpStatus.OK, { title: 'Unsubscribed', message: `You will no longer receive ${name}.` });
    res.status(HttpStatus.OK).json({ unsubscribed: true, kind: target.kind });
  }

  /** The target of a token that is valid and names a kind with an opt-out. */
  private resolve(token: string): UnsubscribeTarget | Failure {
    const target = this.links.verify(token);
    if (target === 'expired') return EXPIRED;
    if (target === 'invalid' || !this.optOuts.listOf(target.kind)) return INVALID;
    return target;
  }

  /** The token is a credential: not cached, not sent on as a referrer. */
  private noCaching(res: Response): void {
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Content-Type-Options', 'nosniff');
  }
}
