import { Injectable } from '@nestjs/common';
import { AppConfig } from '#cairn/shared/config';
import { fillUrlPattern } from '#cairn/shared/templates';
import type { ClientUrl } from './report-view.js';

/** Where a report links each client: CLIENT_URL_PATTERN filled with the client's id and the firm's slug. */
@Injectable()
export class ReportLinks {
  constructor(private readonly config: AppConfig) {}

  clientUrl(firmSlug: string): ClientUrl {
    const pattern = this.config.CLIENT_URL_PATTERN;
    return pattern ? (clientId) => fillUrlPattern(pattern, { clientId, firmSlug }) : () => null;
  }
}
