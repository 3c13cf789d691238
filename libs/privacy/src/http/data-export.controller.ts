import { Controller, Get, HttpStatus, Logger, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Public } from '#cairn/shared/auth';
import { plainReply } from '#cairn/shared/observability';
import { DataExportService } from '../export/data-export.service.js';


/**
 * `GET /exports/<token>`: the token in the address is the credential (single use), so the route is public.
 * 404 for anything that is not an export's token; 409 while it is being built; 410 once downloaded or expired.
 */
@Public()
@Controller('exports')
export class DataExportController {
  private readonly logger = new Logger('Privacy');

  constructor(private readonly exports: DataExportService) {}

  @Get(':token')
  async download(@Param('token') token: string, @Res() res: Response): Promise<void> {
    try {
      const result = await this.exports.download(token);
      if (result.kind === 'not-found') return plainReply(res, HttpStatus.NOT_FOUND, 'Not found');
      if (result.kind === 'not-ready') return plainReply(res, HttpStatus.CONFLICT, 'The export is not ready yet; try again shortly');
      if (result.kind === 'gone') return plainReply(res, HttpStatus.GONE, 'This export was already downloaded, or has expired');
      res.status(HttpStatus.OK);
      res.setHeader('Content-Type', 'application/json; charset=utf-8');
      res.setHeader('Content-Disposition', `attachment; filename="cairn-export-${result.clientId}.json"`);
      res.setHeader('Cache-Control', 'no-store');
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.setHeader('Content-Length', Buffer.byteLength(result.json, 'utf8'));
      res.end(result.json);
    } catch (error) {
      this.logger.error(error instanceof Error ? error : new Error(String(error)));
      if (!res.headersSent) plainReply(res, HttpStatus.INTERNAL_SERVER_ERROR, 'The export could not be served; try again later');
    }
  }
}
