import { Injectable } from '@nestjs/common';
import type { Job } from 'bullmq';
import { JobHandler } from '#cairn/shared/queue';
import type { ExportJobData } from '../privacy-jobs.js';
import { DataExportService } from './data-export.service.js';

@Injectable()
export class DataExportJobs {
  constructor(private readonly exports: DataExportService) {}

  @JobHandler('privacy.export-client')
  async build(job: Job<ExportJobData>): Promise<{ status: string }> {
    return { status: await this.exports.build(job.data) };
  }
}
