import { Field, ObjectType } from '@nestjs/graphql';
import { Check, Column, Entity, Index } from 'typeorm';
import { AuditColumns, FirmForeignKey, TenantForeignKey } from '#cairn/shared/database';
import { ApiScope } from '#cairn/shared/auth';

@ObjectType({ description: 'A credential for a partner backend. The secret is shown once, at creation.' })
@Check('api_keys_name_check', '((length(name) >= 1) AND (length(name) <= 120))')
@Check('api_keys_scopes_check', '(cardinality(scopes) > 0)')
@TenantForeignKey('User', 'createdByUserId', 'api_keys_tenant_id_created_by_user_id_fkey')
@FirmForeignKey('api_keys_tenant_id_fkey')
@Index('api_keys_tenant_created', ['tenantId', 'createdAt', 'id'])
@Entity('api_keys')
export class ApiKey extends AuditColumns({ id: 'field', tenantId: 'column', createdAt: 'field' }) {
  @Field()
  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text', select: false })
  secretHash: string;

  @Field(() => [ApiScope])
  @Column({ type: 'text', array: true })
  scopes: ApiScope[];

  @Column('uuid')
  createdByUserId: string;

  @Field(() => Date, { nullable: true })
  @Column({ type: 'timestamptz', nullable: true })
  lastUsedAt: Date | null;

  @Field(() => Date, { nullable: true })
  @Column({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null;
}
