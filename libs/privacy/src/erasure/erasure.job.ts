import { Injectable, Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import { JobHandler } from '#cairn/shared/queue';
import type { EraseJobData } from '../privacy-jobs.js';
import { ErasureService } from './erasure.service.js';
import type { ClientErasure } from './erasure.model.js';

@Injectable()
export class EraseClientJob {
  private readonly logger = new Logger('Privacy');

  constructor(private readonly erasures: ErasureService) {}

  @JobHandler('privacy.erase-client')
  async erase(job: Job<EraseJobData>): Promise<Pick<ClientErasure, 'status' | 'stepsDone'>> {
    const done = await this.erasures.run(job.data);
    // Ids only: the log must not become a copy of what was erased.
    this.logger.log({ tenantId: job.data.tenantId, erasureId: job.data.erasureId, status: done.status }, 'Client erased');
    return { status: done.status, stepsDone: done.stepsDone };
  }
}
