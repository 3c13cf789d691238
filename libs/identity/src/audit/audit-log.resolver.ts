import { Args, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { Role, Roles } from '#cairn/shared/auth';
import { Connection, type ConnectionShape } from '#cairn/shared/graphql';
import { AuditEntry } from './audit-entry.type.js';
import { AuditLogService } from './audit-log.service.js';
import { AuditLogArgs } from './dto/audit-log.args.js';

@ObjectType()
export class AuditEntryConnection extends Connection(AuditEntry) {}

@Resolver()
export class AuditLogResolver {
  constructor(private readonly entries: AuditLogService) {}

  @Roles(Role.ADMIN)
  @Query(() => AuditEntryConnection, { description: 'The firm’s audit trail, newest first.' })
  auditLog(@Args() args: AuditLogArgs): Promise<ConnectionShape<AuditEntry>> {
    return this.entries.list(args);
  }
}
