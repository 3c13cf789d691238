import { Field, GraphQLISODateTime, Int, ObjectType } from '@nestjs/graphql';
import { Check, Column, Entity, Index, Unique } from 'typeorm';
import { AuditColumns, FirmForeignKey, TenantForeignKey } from '#cairn/shared/database';

/** A reusable check-in in the firm's library. Its prompts live in immutable versions. */
@ObjectType()
@Check('checkin_templates_current_version_check', '(current_version >= 1)')
@Check('checkin_templates_description_check', '(length(description) <= 1000)')
@Check('checkin_templates_name_check', '((length(name) >= 1) AND (length(name) <= 120))')
@Unique('checkin_templates_tenant_id_id_key', ['tenantId', 'id'])
@TenantForeignKey('User', 'createdByUserId', 'checkin_templates_tenant_id_created_by_user_id_fkey')
@FirmForeignKey('checkin_templates_tenant_id_fkey')
@Index('checkin_templates_tenant_created', ['tenantId', 'createdAt', 'id'])
@Entity('checkin_templates')
export class CheckInTemplate extends AuditColumns({
  id: 'field',
  tenantId: 'column',
  createdAt: 'field',
  updatedAt: 'field',
}) {
  @Field()
  @Column({ type: 'text' })
  name: string;

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Field(() => Int, {
    description: 'The newest version number; pass it back as `expectedVersion` when editing.',
  })
  @Column({ type: 'integer' })
  currentVersion: number;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'Archived templates cannot be assigned.' })
  @Column({ type: 'timestamptz', nullable: true })
  archivedAt: Date | null;

  @Column({ type: 'uuid', nullable: true })
  createdByUserId: string | null;

  @Column({ type: 'uuid', nullable: true })
  createdByApiKeyId: string | null;
}
