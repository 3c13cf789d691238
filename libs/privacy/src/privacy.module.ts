import { Module, type Type } from '@nestjs/common';
import { SecretBox } from '#cairn/shared/auth';
import { EventsModule } from '#cairn/shared/events';
import { EraseClientJob } from './erasure/erasure.job.js';
import { ErasureResolver } from './erasure/erasure.resolver.js';
import { ErasureService } from './erasure/erasure.service.js';
import { RedisScrubber } from './erasure/redis-scrubber.js';
import { DataExportJobs } from './export/data-export.job.js';
import { DataExportResolver } from './export/data-export.resolver.js';
import { DataExportService } from './export/data-export.service.js';
import { DataExportController } from './http/data-export.controller.js';
import { Privacy1763900002950 } from './migrations/1763900002950-privacy.js';
import { PrivacySweepJob } from './sweep/privacy-sweep.job.js';

/** Tables are read and written with typed SQL only (no entities). */
export const privacyMigrations: Type[] = [Privacy1763900002950];
export const privacyResolvers: Type[] = [DataExportResolver, ErasureResolver];

const services = [DataExportService, ErasureService, RedisScrubber];

@Module({ imports: [EventsModule], providers: [...services, SecretBox], exports: services })
export class PrivacyCoreModule {}

/** The API's part: the operations and the download route. */
@Module({ imports: [PrivacyCoreModule], providers: privacyResolvers, controllers: [DataExportController] })
export class PrivacyModule {}

/** The worker's part: one handler per privacy job. */
@Module({ imports: [PrivacyCoreModule], providers: [DataExportJobs, EraseClientJob, PrivacySweepJob] })
export class PrivacyJobsModule {}
