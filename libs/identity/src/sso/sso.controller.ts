import { Controller, Get, HttpStatus, Logger, Param, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Public } from '#cairn/shared/auth';
import { AppConfig } from '#cairn/shared/config';
import { plainReply as plain } from '#cairn/shared/observability';
import { SsoService } from './sso.service.js';

/** Binds a sign-in to the browser that started it (checked at the callback). */
const STATE_COOKIE = 'cairn_sso_state';

function cookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return decodeURIComponent(value.join('='));
  }
  return undefined;
}

/**
 * The browser's side of single sign-on: a firm's sign-in button links to `/auth/sso/<firmSlug>/start`, which
 * redirects to the identity provider; the provider redirects back to `/auth/sso/callback`, which redirects to the
 * firm's return page with `?code=` (for completeSsoSignIn) or `?error=`. Public routes: the state is the
 * credential, and the tenant comes from the sign-in it names.
 */
@Public()
@Controller('auth/sso')
export class SsoController {
  private readonly logger = new Logger('SingleSignOn');

  constructor(
    private readonly sso: SsoService,
    private readonly config: AppConfig,
  ) {}

  @Get('callback')
  async callback(@Req() req: Request, @Res() res: Response): Promise<void> {
    try {
      const query = new URL(req.originalUrl, 'http://cairn').searchParams;
      const outcome = await this.sso.callback(query, cookie(req, STATE_COOKIE));
      res.clearCookie(STATE_COOKIE, { path: '/auth/sso' });
      if ('refused' in outcome) return plain(res, HttpStatus.BAD_REQUEST, outcome.refused);
      res.setHeader('Cache-Control', 'no-store');
      res.redirect(HttpStatus.SEE_OTHER, outcome.redirect);
    } catch (error) {
      this.logger.error(error instanceof Error ? error : new Error(String(error)));
      if (!res.headersSent) plain(res, HttpStatus.INTERNAL_SERVER_ERROR, 'Signing in failed; try again later');
    }
  }

  @Get(':firmSlug/start')
  async start(@Param('firmSlug') firmSlug: string, @Res() res: Response): Promise<void> {
    try {
      const started = await this.sso.start(firmSlug);
      if (!started) return plain(res, HttpStatus.NOT_FOUND, 'This firm has no single sign-on');
      res.cookie(STATE_COOKIE, started.state, {
        httpOnly: true,
        sameSite: 'lax', // sent on the provider's top-level redirect back
        secure: this.config.publicBaseUrl.startsWith('https://'),
        path: '/auth/sso',
        maxAge: 10 * 60_000,
      });
      res.setHeader('Cache-Control', 'no-store');
      res.redirect(HttpStatus.FOUND, started.url);
    } catch (error) {
      this.logger.error(error instanceof Error ? error : new Error(String(error)));
      if (!res.headersSent) plain(res, HttpStatus.BAD_GATEWAY, 'The identity provider could not be reached; try again later');
    }
  }
}
