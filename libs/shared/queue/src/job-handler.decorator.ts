import { SetMetadata } from '@nestjs/common';
import { JobName } from './job-catalog.js';

export const JOB_HANDLER = 'cairn:job-handler';

/** Marks a provider method as the handler of one job name; it receives the BullMQ job. */
export const JobHandler = (name: JobName) => SetMetadata(JOB_HANDLER, name);
