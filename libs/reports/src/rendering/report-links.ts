import { Injectable } from '@nestjs/common';
import { AppConfig } from '#cairn/shared/config';
import { fillUrlPattern } from '#cairn/shared/templates';
import type { ClientUrl } from './report-view.js';

/**
 * Where a report links each client: the firm's own pattern (its report policy), else CLIENT_URL_PATTERN, filled
 * with the client's id and the firm's slug; no link without either.
 */
@Injectable()
export class ReportLinks {
  constructor(private readonly config: AppConfig) {}

  clientUrl(firmSlug: string, firmPattern: string | null): ClientUrl {
    const pattern = firmPattern ?? this.config.CLIENT_URL_PATTERN;
    return pattern ? (clientId) => fillUrlPattern(pattern, { clientId, firmSlug }) : () => null;
  }
}
