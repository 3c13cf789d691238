import { Field, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Check, Column, Entity, Index, Unique } from 'typeorm';
import { AuditColumns, FirmForeignKey } from '#cairn/shared/database';
import { Role } from '#cairn/shared/auth';

export enum UserStatus {
  ACTIVE = 'ACTIVE',
  DEACTIVATED = 'DEACTIVATED',
}
registerEnumType(UserStatus, { name: 'UserStatus' });

@ObjectType({ description: 'A person who signs in: an admin, a coach or a client of the firm.' })
@Check('users_display_name_check', '((length(display_name) >= 1) AND (length(display_name) <= 120))')
@Check('users_email_check', '((email = lower(email)) AND (length(email) <= 254))')
@Check('users_role_check', `(role = ANY (ARRAY['ADMIN'::text, 'COACH'::text, 'CLIENT'::text]))`)
@Check('users_status_check', `(status = ANY (ARRAY['ACTIVE'::text, 'DEACTIVATED'::text]))`)
@Unique('users_tenant_id_id_key', ['tenantId', 'id'])
@FirmForeignKey('users_tenant_id_fkey')
@Index('users_tenant_created', ['tenantId', 'createdAt', 'id'])
@Index('users_tenant_email', ['tenantId', 'email'], { unique: true })
@Index('users_tenant_role_created', ['tenantId', 'role', 'createdAt', 'id'])
@Entity('users')
export class User extends AuditColumns({
  id: 'field',
  tenantId: 'column',
  createdAt: 'field',
  updatedAt: 'column',
}) {
  @Field({ description: 'Stored lower-case; unique within the firm.' })
  @Column({ type: 'text' })
  email: string;

  @Field()
  @Column({ type: 'text' })
  displayName: string;

  @Field(() => Role)
  @Column({ type: 'text' })
  role: Role;

  @Field(() => UserStatus)
  @Column({ type: 'text', default: UserStatus.ACTIVE })
  status: UserStatus;

  @Column({ type: 'text', nullable: true, select: false })
  passwordHash: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'IANA time zone; the firm default applies when empty.',
  })
  @Column({ type: 'text', nullable: true })
  timezone: string | null;

  @Field(() => Date, { nullable: true })
  @Column({ type: 'timestamptz', nullable: true })
  lastLoginAt: Date | null;
}
