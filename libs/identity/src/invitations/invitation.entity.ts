import { Field, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Check, Column, Entity, Index } from 'typeorm';
import { AuditColumns, FirmForeignKey, TenantForeignKey } from '#cairn/shared/database';
import { Role } from '#cairn/shared/auth';

export enum InvitationStatus {
  PENDING = 'PENDING',
  ACCEPTED = 'ACCEPTED',
  REVOKED = 'REVOKED',
  EXPIRED = 'EXPIRED',
}
registerEnumType(InvitationStatus, { name: 'InvitationStatus' });

@ObjectType({
  description: 'An invitation for a coach, client or admin to join the firm and set a password.',
})
@Check('invitations_display_name_check', '((length(display_name) >= 1) AND (length(display_name) <= 120))')
@Check('invitations_email_check', '((email = lower(email)) AND (length(email) <= 254))')
@Check('invitations_role_check', `(role = ANY (ARRAY['ADMIN'::text, 'COACH'::text, 'CLIENT'::text]))`)
@FirmForeignKey('invitations_tenant_id_fkey')
@TenantForeignKey('User', 'invitedByUserId', 'invitations_tenant_id_invited_by_user_id_fkey')
@Index('invitations_tenant_created', ['tenantId', 'createdAt', 'id'])
@Index('invitations_tenant_open_email', ['tenantId', 'email'], {
  unique: true,
  where: '((accepted_at IS NULL) AND (revoked_at IS NULL))',
})
@Entity('invitations')
export class Invitation extends AuditColumns({ id: 'field', tenantId: 'column', createdAt: 'field' }) {
  @Field()
  @Column({ type: 'text' })
  email: string;

  @Field()
  @Column({ type: 'text' })
  displayName: string;

  @Field(() => Role)
  @Column({ type: 'text' })
  role: Role;

  @Column({ type: 'text', select: false })
  secretHash: string;

  @Column('uuid')
  invitedByUserId: string;

  @Field()
  @Column({ type: 'timestamptz' })
  expiresAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  acceptedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  @Field(() => InvitationStatus)
  get status(): InvitationStatus {
    if (this.acceptedAt) return InvitationStatus.ACCEPTED;
    if (this.revokedAt) return InvitationStatus.REVOKED;
    if (this.expiresAt.getTime() <= Date.now()) return InvitationStatus.EXPIRED;
    return InvitationStatus.PENDING;
  }
}
