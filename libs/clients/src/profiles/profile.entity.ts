import { Check, Column, Entity, PrimaryColumn, VersionColumn } from 'typeorm';
import { AuditColumns, TenantForeignKey } from '#cairn/shared/database';

/**
 * What a firm records about a person beyond their login: job title and organization, and for clients
 * whether they are archived. Optional: users invited before they had a profile simply have none yet.
 */
@Check('profiles_archive_reason_check', '(length(archive_reason) <= 500)')
@Check('profiles_job_title_check', '(length(job_title) <= 120)')
@Check('profiles_organization_check', '(length(organization) <= 120)')
@TenantForeignKey('User', 'archivedByUserId', 'profiles_tenant_id_archived_by_user_id_fkey')
@TenantForeignKey('User', 'userId', 'profiles_tenant_id_user_id_fkey', 'CASCADE')
@Entity('profiles')
export class Profile extends AuditColumns({ createdAt: 'column', updatedAt: 'column' }) {
  // Tenant first, as the migration keys it (profiles_pkey on tenant_id, user_id).
  @PrimaryColumn('uuid')
  tenantId: string;

  @PrimaryColumn('uuid')
  userId: string;

  @Column({ type: 'text', nullable: true })
  jobTitle: string | null;

  @Column({ type: 'text', nullable: true })
  organization: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  archivedAt: Date | null;

  @Column({ type: 'uuid', nullable: true })
  archivedByUserId: string | null;

  @Column({ type: 'text', nullable: true })
  archiveReason: string | null;

  @VersionColumn({ default: 1 })
  version: number;
}
