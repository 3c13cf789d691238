import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Check, Column, Entity, Index } from 'typeorm';
import { AuditColumns, TenantForeignKey } from '#cairn/shared/database';
import { GoalRevisionAction } from './revision-action.enum.js';

@ObjectType({ description: 'One changed field of a revision, with its value before and after.' })
export class GoalFieldChange {
  @Field({
    description:
      'The goal field ("title", "targetDate", "status", "why.values"…), "measure" for an added or removed measure, or "measure.<field>" for a changed one.',
  })
  field: string;

  @Field(() => String, {
    nullable: true,
    description:
      'Before the change, as text (dates YYYY-MM-DD, enums by name, lists as JSON); null when empty.',
  })
  previousValue: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'After the change, in the same form; null when cleared.',
  })
  newValue: string | null;
}

/** One step of a goal's history: the goal's version after the change, what changed, who and why. */
@ObjectType({ description: 'A recorded change of a goal; `version` is the goal’s version it produced.' })
@Check(
  'goal_revisions_action_check',
  `(action = ANY (ARRAY['CREATED'::text, 'UPDATED'::text, 'STATUS_CHANGED'::text, 'MEASURE_ADDED'::text, 'MEASURE_UPDATED'::text, 'MEASURE_REMOVED'::text, 'VISIBILITY_CHANGED'::text]))`,
)
@Check('goal_revisions_changes_check', `(jsonb_typeof(changes) = 'array'::text)`)
@Check('goal_revisions_check', '((changed_by_user_id IS NOT NULL) OR (changed_by_api_key_id IS NOT NULL))')
@Check('goal_revisions_reason_check', '(length(reason) <= 500)')
@Check('goal_revisions_version_check', '(version >= 1)')
@TenantForeignKey('User', 'changedByUserId', 'goal_revisions_tenant_id_changed_by_user_id_fkey')
@TenantForeignKey('Goal', 'goalId', 'goal_revisions_tenant_id_goal_id_fkey', 'CASCADE')
@TenantForeignKey('GoalMeasure', 'measureId', 'goal_revisions_tenant_id_measure_id_fkey')
@Index('goal_revisions_tenant_goal_version', ['tenantId', 'goalId', 'version'], { unique: true })
@Entity('goal_revisions')
export class GoalRevision extends AuditColumns({ id: 'field', tenantId: 'column', createdAt: 'field' }) {
  @Field(() => ID)
  @Column('uuid')
  goalId: string;

  @Field(() => Int)
  @Column({ type: 'integer' })
  version: number;

  @Field(() => GoalRevisionAction)
  @Column({ type: 'text' })
  action: GoalRevisionAction;

  @Field(() => [GoalFieldChange])
  @Column({ type: 'jsonb', default: () => `'[]'` })
  changes: GoalFieldChange[];

  @Field(() => ID, { nullable: true, description: 'The measure added, changed or removed.' })
  @Column({ type: 'uuid', nullable: true })
  measureId: string | null;

  @Field(() => String, { nullable: true, description: 'Why it changed, up to 500 characters.' })
  @Column({ type: 'text', nullable: true })
  reason: string | null;

  @Field(() => ID, { nullable: true })
  @Column({ type: 'uuid', nullable: true })
  changedByUserId: string | null;

  @Field(() => ID, { nullable: true, description: 'Set when a partner integration made the change.' })
  @Column({ type: 'uuid', nullable: true })
  changedByApiKeyId: string | null;
}
