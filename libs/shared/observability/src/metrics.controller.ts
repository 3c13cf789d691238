import { Controller, Get, Headers, HttpStatus, Res } from '@nestjs/common';
import type { Response } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';
import { Public } from '#cairn/shared/auth';
import { AppConfig } from '#cairn/shared/config';
import { MetricsService } from './metrics.service.js';

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/**
 * Whether an Authorization header carries `Bearer <token>`. Both sides are hashed first, so the comparison takes
 * the same time whatever the length or content of the guess.
 */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const match = /^Bearer +(\S+) *$/i.exec(header ?? '');
  const presented = match?.[1] ?? '';
  return timingSafeEqual(digest(presented), digest(token)) && match !== null;
}

/**
 * Prometheus scrape endpoint. The numbers are operational and cross-tenant, so no tenant credential opens it
 * (it is @Public to the credential guard, which would otherwise accept any firm's token): with METRICS_TOKEN set
 * it takes only `Authorization: Bearer <METRICS_TOKEN>`; without it, it is open and must be reachable only on an
 * internal network.
 */
@Public()
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: MetricsService,
    private readonly config: AppConfig,
  ) {}

  @Get()
  async scrape(
    @Headers('authorization') authorization: string | undefined,
    @Res() res: Response,
  ): Promise<void> {
    const token = this.config.METRICS_TOKEN;
    if (token !== undefined && !bearerMatches(authorization, token)) {
      res
        .status(HttpStatus.UNAUTHORIZED)
        .setHeader('WWW-Authenticate', 'Bearer realm="metrics"')
        .json({ statusCode: HttpStatus.UNAUTHORIZED, message: 'A valid metrics token is required' });
      return;
    }
    const body = await this.metrics.render();
    res
      .status(HttpStatus.OK)
      .setHeader('Content-Type', this.metrics.contentType)
      .setHeader('Cache-Control', 'no-store')
      .send(body);
  }
}
