import { ForeignKey, type RelationOptions } from 'typeorm';

/**
 * A tenant-first foreign key, as every migration writes them: `(tenant_id, <column>)` references the target's
 * `(tenant_id, id)`, so a row can only point at a row of its own firm. Named as in the database, so the schema
 * diff (test/entities-match-migrations) matches it; the target by entity name, so no lib imports another's entity.
 */
export function TenantForeignKey(target: string, column: string, name: string, onDelete?: RelationOptions['onDelete']): ClassDecorator {
  return ForeignKey(target, ['tenantId', column], ['tenantId', 'id'], { name, ...(onDelete && { onDelete }) });
}

/** The row's firm: `tenant_id` references `tenants (id)`; the firm's rows go with it. */
export function FirmForeignKey(name: string): ClassDecorator {
  return ForeignKey('Firm', ['tenantId'], ['id'], { name, onDelete: 'CASCADE' });
}
