import type { Type } from '@nestjs/common';
import { AuditTrail1763900002900 } from './migrations/1763900002900-audit-trail.js';

/** The table is written with typed SQL through AuditTrail (no entity); the query side lives in identity. */
export const auditMigrations: Type[] = [AuditTrail1763900002900];
