import { Field, GraphQLISODateTime, ID, Int, ObjectType } from '@nestjs/graphql';
import { Check, Column, Entity, Index, Unique } from 'typeorm';
import { AuditColumns, EXPECTED_VERSION_DESCRIPTION, TenantForeignKey } from '#cairn/shared/database';
import { DevelopmentCategory, DevelopmentItemStatus, DevelopmentSource } from './development-item.enums.js';

/** One finding of the client's fact-finding mission: something to develop, scored for value and motivation. */
@ObjectType({ description: 'An entry of a client’s development list (the fact-finding step).' })
@Check(
  'development_items_category_check',
  `(category = ANY (ARRAY['SKILL'::text, 'TRAINING'::text, 'RELATIONSHIP'::text, 'JOB_THRESHOLD'::text, 'WEAKNESS'::text, 'STRENGTH'::text]))`,
)
@Check('development_items_check', `((status = 'CONVERTED'::text) = (converted_at IS NOT NULL))`)
@Check('development_items_check1', `((status = 'DISMISSED'::text) = (dismissed_at IS NOT NULL))`)
@Check('development_items_check2', `((goal_id IS NULL) OR (status = 'CONVERTED'::text))`)
@Check('development_items_dismiss_reason_check', '(length(dismiss_reason) <= 500)')
@Check('development_items_motivation_score_check', '((motivation_score >= 1) AND (motivation_score <= 5))')
@Check('development_items_notes_check', '(length(notes) <= 2000)')
@Check(
  'development_items_source_check',
  `(source = ANY (ARRAY['SELF_REFLECTION'::text, 'COACH'::text, 'MENTOR'::text, 'BOSS'::text, 'PEER'::text, 'DIRECT_REPORT'::text, 'FRIEND'::text, 'PERFORMANCE_REVIEW'::text]))`,
)
@Check(
  'development_items_status_check',
  `(status = ANY (ARRAY['OPEN'::text, 'CONVERTED'::text, 'DISMISSED'::text]))`,
)
@Check('development_items_title_check', '((length(title) >= 1) AND (length(title) <= 200))')
@Check('development_items_value_score_check', '((value_score >= 1) AND (value_score <= 5))')
@Unique('development_items_tenant_id_id_key', ['tenantId', 'id'])
@TenantForeignKey('User', 'clientId', 'development_items_tenant_id_client_id_fkey', 'CASCADE')
@TenantForeignKey('User', 'createdByUserId', 'development_items_tenant_id_created_by_user_id_fkey')
@TenantForeignKey('Goal', 'goalId', 'development_items_tenant_id_goal_id_fkey', 'SET NULL')
@Index('development_items_tenant_client_status', ['tenantId', 'clientId', 'status'])
@Index('development_items_tenant_created', ['tenantId', 'createdAt', 'id'])
@Index('development_items_tenant_goal', ['tenantId', 'goalId'], { unique: true })
@Entity('development_items')
export class DevelopmentItem extends AuditColumns({
  id: 'field',
  tenantId: 'column',
  createdAt: 'field',
  updatedAt: 'field',
  version: { description: EXPECTED_VERSION_DESCRIPTION },
}) {
  @Field(() => ID)
  @Column('uuid')
  clientId: string;

  @Field(() => DevelopmentCategory)
  @Column({ type: 'text' })
  category: DevelopmentCategory;

  @Field(() => DevelopmentSource)
  @Column({ type: 'text' })
  source: DevelopmentSource;

  @Field()
  @Column({ type: 'text' })
  title: string;

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', nullable: true })
  notes: string | null;

  @Field(() => Int, {
    description: 'How much it would help the client reach their goal: 1 (little) to 5 (most).',
  })
  @Column({ type: 'smallint' })
  valueScore: number;

  @Field(() => Int, { description: 'How motivated the client feels to act on it: 1 (barely) to 5 (eager).' })
  @Column({ type: 'smallint' })
  motivationScore: number;

  @Field(() => DevelopmentItemStatus)
  @Column({ type: 'text', default: 'OPEN' })
  status: DevelopmentItemStatus;

  @Field(() => ID, {
    nullable: true,
    description: 'The goal it became. Null unless CONVERTED (and also if that goal was later deleted).',
  })
  @Column({ type: 'uuid', nullable: true })
  goalId: string | null;

  @Field(() => GraphQLISODateTime, { nullable: true })
  @Column({ type: 'timestamptz', nullable: true })
  convertedAt: Date | null;

  @Field(() => GraphQLISODateTime, { nullable: true })
  @Column({ type: 'timestamptz', nullable: true })
  dismissedAt: Date | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', nullable: true })
  dismissReason: string | null;

  @Column({ type: 'uuid', nullable: true })
  createdByUserId: string | null;

  @Column({ type: 'uuid', nullable: true })
  createdByApiKeyId: string | null;

  /** Set by the prioritized view, which computes ranks in the same statement; not a column. */
  knownRank?: number;
}
