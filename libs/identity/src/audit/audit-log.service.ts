import { Injectable } from '@nestjs/common';
import { TenantDatabase } from '#cairn/shared/database';
import { ConnectionShape, paginate } from '#cairn/shared/graphql';
import { AppError } from '#cairn/shared/graphql';
import { AuditEntry } from './audit-entry.type.js';
import { AuditLogArgs } from './dto/audit-log.args.js';

/** Reads the firm's audit trail (written by AuditTrail, in #cairn/shared/audit), newest first. */
@Injectable()
export class AuditLogService {
  constructor(private readonly tenantDb: TenantDatabase) {}

  list(args: AuditLogArgs): Promise<ConnectionShape<AuditEntry>> {
    const filter = args.filter ?? {};
    if (filter.from && filter.to && filter.from >= filter.to) {
      throw AppError.badInput('Invalid input: to must be after from', [
        { field: 'to', messages: ['to must be after from'] },
      ]);
    }
    return this.tenantDb.read((tx) => {
      let query = tx.db
        .selectFrom('audit_entries as a')
        .select([
          'a.id',
          'a.action',
          'a.outcome',
          'a.actor_kind',
          'a.actor_id',
          'a.subject_type',
          'a.subject_id',
          'a.details',
          'a.created_at',
        ]);
      if (filter.actions?.length) query = query.where('a.action', 'in', filter.actions);
      if (filter.actorId) query = query.where('a.actor_id', '=', filter.actorId);
      if (filter.subjectId) query = query.where('a.subject_id', '=', filter.subjectId);
      if (filter.from) query = query.where('a.created_at', '>=', filter.from);
      if (filter.to) query = query.where('a.created_at', '<', filter.to);
      return paginate(query, 'a', args, { newestFirst: true, node: toEntry });
    });
  }
}

function toEntry(row: {
  id: string;
  action: string;
  outcome: string;
  actor_kind: string;
  actor_id: string | null;
  subject_type: string | null;
  subject_id: string | null;
  details: unknown;
  created_at: Date;
}): AuditEntry {
  const details = Object.entries((row.details ?? {}) as Record<string, unknown>).map(([name, value]) => ({
    name,
    values: (Array.isArray(value) ? value : [value]).map(String),
  }));
  return {
    id: row.id,
    action: row.action as AuditEntry['action'],
    outcome: row.outcome as AuditEntry['outcome'],
    actorKind: row.actor_kind as AuditEntry['actorKind'],
    actorId: row.actor_id,
    subjectType: row.subject_type as AuditEntry['subjectType'],
    subjectId: row.subject_id,
    details,
    createdAt: row.created_at,
  };
}
