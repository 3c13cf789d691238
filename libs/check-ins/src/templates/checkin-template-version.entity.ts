import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Check, Column, Entity, Unique } from 'typeorm';
import { AuditColumns, TenantForeignKey } from '#cairn/shared/database';
import { CheckInPrompt } from './checkin-prompt.model.js';

/**
 * The prompts of a template as they were at one point. Never updated: check-ins point at the version they were
 * sent with, so editing a template cannot change what a client already answered.
 */
@ObjectType()
@Check(
  'checkin_template_versions_prompts_check',
  `((jsonb_typeof(prompts) = 'array'::text) AND ((jsonb_array_length(prompts) >= 1) AND (jsonb_array_length(prompts) <= 30)))`,
)
@Check('checkin_template_versions_version_check', '(version >= 1)')
@Unique('checkin_template_versions_tenant_id_id_key', ['tenantId', 'id'])
@Unique('checkin_template_versions_tenant_id_template_id_version_key', ['tenantId', 'templateId', 'version'])
@TenantForeignKey('User', 'createdByUserId', 'checkin_template_versions_tenant_id_created_by_user_id_fkey')
@TenantForeignKey(
  'CheckInTemplate',
  'templateId',
  'checkin_template_versions_tenant_id_template_id_fkey',
  'CASCADE',
)
@Entity('checkin_template_versions')
export class CheckInTemplateVersion extends AuditColumns({
  id: 'field',
  tenantId: 'column',
  createdAt: 'field',
}) {
  @Field(() => ID)
  @Column('uuid')
  templateId: string;

  @Field(() => Int)
  @Column({ type: 'integer' })
  version: number;

  @Field(() => [CheckInPrompt])
  @Column({ type: 'jsonb' })
  prompts: CheckInPrompt[];

  @Column({ type: 'uuid', nullable: true })
  createdByUserId: string | null;
}
