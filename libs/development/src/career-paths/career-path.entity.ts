import { Field, GraphQLISODateTime, ID, ObjectType } from '@nestjs/graphql';
import { Check, Column, Entity, ForeignKey, Index, Unique } from 'typeorm';
import { AuditColumns, TenantForeignKey } from '#cairn/shared/database';

/**
 * A client's career ladder (e.g. Sales Representative → … → Chief Sales Officer). A client has at most one
 * active path; archiving it keeps it as read-only history and makes room for a new one.
 */
@ObjectType({
  description: 'An ordered ladder of roles a client intends to climb, with where they stand on it.',
})
@Check('career_paths_description_check', '(length(description) <= 2000)')
@Check('career_paths_title_check', '((length(title) >= 1) AND (length(title) <= 200))')
@Unique('career_paths_tenant_id_id_key', ['tenantId', 'id'])
@ForeignKey('CareerStep', ['tenantId', 'id', 'currentStepId'], ['tenantId', 'pathId', 'id'], {
  name: 'career_paths_current_step',
  onDelete: 'SET NULL',
})
@TenantForeignKey('User', 'clientId', 'career_paths_tenant_id_client_id_fkey', 'CASCADE')
@TenantForeignKey('User', 'createdByUserId', 'career_paths_tenant_id_created_by_user_id_fkey')
@Index('career_paths_one_active', ['tenantId', 'clientId'], { unique: true, where: '(archived_at IS NULL)' })
@Index('career_paths_tenant_client', ['tenantId', 'clientId', 'createdAt', 'id'])
@Index('career_paths_tenant_created', ['tenantId', 'createdAt', 'id'])
@Entity('career_paths')
export class CareerPath extends AuditColumns({
  id: 'field',
  tenantId: 'column',
  createdAt: 'field',
  updatedAt: 'field',
  version: {
    description:
      'Version of the whole ladder (path, steps, order, current step): pass back as `expectedVersion` to any ' +
      'change of this path or its steps.',
  },
}) {
  @Field(() => ID)
  @Column('uuid')
  clientId: string;

  @Field()
  @Column({ type: 'text' })
  title: string;

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Field(() => ID, {
    nullable: true,
    description: 'The step the client holds now; null while not on the ladder yet.',
  })
  @Column({ type: 'uuid', nullable: true })
  currentStepId: string | null;

  @Field(() => GraphQLISODateTime, {
    nullable: true,
    description: 'Set once archived; the path is then read-only.',
  })
  @Column({ type: 'timestamptz', nullable: true })
  archivedAt: Date | null;

  @Column({ type: 'uuid', nullable: true })
  createdByUserId: string | null;

  @Column({ type: 'uuid', nullable: true })
  createdByApiKeyId: string | null;
}
