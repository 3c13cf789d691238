import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { sql } from 'kysely';
import { SystemDatabase } from '#cairn/shared/database';
import { JobHandler, QueueName } from '#cairn/shared/queue';
import { DataExportStatus } from '../export/data-export.model.js';
import { DataExportService } from '../export/data-export.service.js';
import { ErasureStatus } from '../erasure/erasure.model.js';
import { addOrRetry, eraseJob, exportJob, type PrivacyJob } from '../privacy-jobs.js';

/** Work untouched this long is taken to have lost its job (Redis emptied, an enqueue that failed). */
const STALLED_AFTER = '10 minutes';

/**
 * Every 15 minutes, across firms (maintenance, so the owner's connection): expired exports lose their document,
 * and exports and erasures nobody has moved for a while get their job again (same ids: one still queued or
 * running is left alone, one that failed for good is retried). So neither depends on Redis keeping its jobs.
 */
@Injectable()
export class PrivacySweepJob {
  constructor(
    private readonly systemDb: SystemDatabase,
    private readonly exports: DataExportService,
    @InjectQueue(QueueName.PRIVACY) private readonly queue: Queue,
  ) {}

  @JobHandler('privacy.sweep')
  async sweep(): Promise<{ expired: number; requeued: number }> {
    const expired = await this.exports.expire();
    const stalled = await this.stalled();
    await addOrRetry(this.queue, stalled);
    return { expired, requeued: stalled.length };
  }

  async stalled(): Promise<PrivacyJob[]> {
    return this.systemDb.transaction(async (_m, db) => {
      const idle = sql<Date>`clock_timestamp() - ${STALLED_AFTER}::interval`;
      const erasures = await db
        .selectFrom('erasure_requests')
        .select(['tenant_id as tenantId', 'id as erasureId'])
        .where('status', '=', ErasureStatus.RUNNING)
        .where('updated_at', '<', idle)
        .execute();
      const exports = await db
        .selectFrom('data_exports')
        .select(['tenant_id as tenantId', 'id as exportId'])
        .where('status', 'in', [DataExportStatus.QUEUED, DataExportStatus.RUNNING])
        .where('updated_at', '<', idle)
        .where('expires_at', '>', sql<Date>`clock_timestamp()`)
        .execute();
      return [...erasures.map(eraseJob), ...exports.map(exportJob)];
    });
  }
}
