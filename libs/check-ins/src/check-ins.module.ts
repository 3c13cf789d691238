import { Module, type Type } from '@nestjs/common';
import { CheckIns1763900000600 } from './migrations/1763900000600-check-ins.js';
import { CheckInTemplateVersion } from './templates/checkin-template-version.entity.js';
import { CheckInTemplate } from './templates/checkin-template.entity.js';
import { CheckInTemplateResolver } from './templates/checkin-template.resolver.js';
import { CheckInTemplateService } from './templates/checkin-template.service.js';

export const checkInsEntities: Type[] = [CheckInTemplate, CheckInTemplateVersion];
export const checkInsMigrations: Type[] = [CheckIns1763900000600];
export const checkInsResolvers: Type[] = [CheckInTemplateResolver];

const services = [CheckInTemplateService];

/** Accountability check-ins: the firm's template library (assignments and answers follow). */
@Module({ providers: services, exports: services })
export class CheckInsCoreModule {}

@Module({ imports: [CheckInsCoreModule], providers: checkInsResolvers })
export class CheckInsModule {}
