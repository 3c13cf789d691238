import { Column, Entity, Index } from 'typeorm';
import { AuditColumns, TenantForeignKey } from '#cairn/shared/database';

/**
 * One link in a rotating refresh-token chain. All tokens descended from one login share a family; presenting
 * an already-used token means it leaked, so the whole family is revoked.
 */
@TenantForeignKey('User', 'userId', 'refresh_tokens_tenant_id_user_id_fkey', 'CASCADE')
@Index('refresh_tokens_expires', ['expiresAt'])
@Index('refresh_tokens_tenant_family', ['tenantId', 'familyId'])
@Index('refresh_tokens_tenant_user', ['tenantId', 'userId'])
@Entity('refresh_tokens')
export class RefreshToken extends AuditColumns({ id: 'column', tenantId: 'column', createdAt: 'column' }) {
  @Column('uuid')
  userId: string;

  @Column('uuid')
  familyId: string;

  @Column({ type: 'text' })
  secretHash: string;

  @Column({ type: 'timestamptz' })
  expiresAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  usedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null;
}
