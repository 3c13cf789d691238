import { Field, GraphQLISODateTime, ID, Int, ObjectType } from '@nestjs/graphql';
import { Check, Column, Entity, Index, Unique } from 'typeorm';
import { AuditColumns, EXPECTED_VERSION_DESCRIPTION, TenantForeignKey } from '#cairn/shared/database';
import { LocalDateScalar } from '#cairn/shared/graphql';
import { ChallengeLevel, GoalCategory, GoalHorizon, GoalProposer, GoalStatus } from './goal.enums.js';

/** A client's goal, a node in their goal tree (long-term → mid-term → immediate). */
@ObjectType()
@Check('goals_attainability_notes_check', '(length(attainability_notes) <= 2000)')
@Check(
  'goals_category_check',
  `(category = ANY (ARRAY['SKILL'::text, 'TRAINING'::text, 'RELATIONSHIP'::text, 'JOB_THRESHOLD'::text, 'WEAKNESS'::text, 'POSITION'::text, 'OTHER'::text, 'STRENGTH'::text]))`,
)
@Check(
  'goals_challenge_level_check',
  `(challenge_level = ANY (ARRAY['COMFORTABLE'::text, 'STRETCH'::text, 'AMBITIOUS'::text]))`,
)
@Check('goals_check', '(target_date >= start_date)')
@Check('goals_check1', '(parent_id <> id)')
@Check('goals_check2', `((status = 'ACHIEVED'::text) = (achieved_at IS NOT NULL))`)
@Check('goals_description_check', '(length(description) <= 4000)')
@Check(
  'goals_horizon_check',
  `(horizon = ANY (ARRAY['LONG_TERM'::text, 'MID_TERM'::text, 'IMMEDIATE'::text]))`,
)
@Check('goals_linked_strengths_check', '(cardinality(linked_strengths) <= 20)')
@Check('goals_linked_values_check', '(cardinality(linked_values) <= 20)')
@Check('goals_motivation_check', '(length(motivation) <= 2000)')
@Check('goals_priority_check', '((priority >= 1) AND (priority <= 5))')
@Check(
  'goals_proposed_by_check',
  `(proposed_by = ANY (ARRAY['CLIENT'::text, 'COACH'::text, 'MANAGER'::text, 'MENTOR'::text, 'OTHER'::text]))`,
)
@Check('goals_skills_gap_check', '(length(skills_gap) <= 2000)')
@Check(
  'goals_status_check',
  `(status = ANY (ARRAY['DRAFT'::text, 'ACTIVE'::text, 'ON_HOLD'::text, 'ACHIEVED'::text, 'ABANDONED'::text]))`,
)
@Check('goals_title_check', '((length(title) >= 1) AND (length(title) <= 200))')
@Check('goals_why_aligns_values_check', '(length(why_aligns_values) <= 2000)')
@Check('goals_why_energizes_check', '(length(why_energizes) <= 2000)')
@Check('goals_why_fulfils_check', '(length(why_fulfils) <= 2000)')
@Check('goals_why_strength_check', '((why_strength >= 1) AND (why_strength <= 10))')
@Unique('goals_tenant_id_id_key', ['tenantId', 'id'])
@TenantForeignKey('CareerStep', 'careerStepId', 'goals_career_step', 'SET NULL')
@TenantForeignKey('User', 'clientId', 'goals_tenant_id_client_id_fkey', 'CASCADE')
@TenantForeignKey('User', 'createdByUserId', 'goals_tenant_id_created_by_user_id_fkey')
@TenantForeignKey('Goal', 'parentId', 'goals_tenant_id_parent_id_fkey')
@Index('goals_tenant_career_step', ['tenantId', 'careerStepId'], { where: '(career_step_id IS NOT NULL)' })
@Index('goals_tenant_client_status', ['tenantId', 'clientId', 'status'])
@Index('goals_tenant_created', ['tenantId', 'createdAt', 'id'])
@Index('goals_tenant_parent', ['tenantId', 'parentId'])
@Entity('goals')
export class Goal extends AuditColumns({
  id: 'field',
  tenantId: 'column',
  createdAt: 'field',
  updatedAt: 'field',
  version: { description: EXPECTED_VERSION_DESCRIPTION },
}) {
  @Field(() => ID, { description: 'The client who owns the goal.' })
  @Column('uuid')
  clientId: string;

  @Field(() => ID, { nullable: true, description: 'The goal this one supports.' })
  @Column({ type: 'uuid', nullable: true })
  parentId: string | null;

  @Field(() => GoalHorizon)
  @Column({ type: 'text' })
  horizon: GoalHorizon;

  @Field({ description: 'The outcome, 1 to 200 characters; the SPECIFIC check reads it.' })
  @Column({ type: 'text' })
  title: string;

  @Field(() => String, { nullable: true, description: 'Up to 4000 characters.' })
  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Field(() => GoalCategory)
  @Column({ type: 'text' })
  category: GoalCategory;

  @Field(() => GoalStatus)
  @Column({ type: 'text', default: 'DRAFT' })
  status: GoalStatus;

  @Field(() => Int, { description: '1 (highest) to 5 (lowest).' })
  @Column({ type: 'smallint', default: 3 })
  priority: number;

  @Field(() => LocalDateScalar, { nullable: true })
  @Column({ type: 'date', nullable: true })
  startDate: string | null;

  @Field(() => LocalDateScalar, { nullable: true })
  @Column({ type: 'date', nullable: true })
  targetDate: string | null;

  // The why (motivation and the seeds' three questions, strength, values and strengths).
  @Column({ type: 'text', nullable: true })
  motivation: string | null;

  @Column({ type: 'text', nullable: true })
  whyEnergizes: string | null;

  @Column({ type: 'text', nullable: true })
  whyFulfils: string | null;

  @Column({ type: 'text', nullable: true })
  whyAlignsValues: string | null;

  @Column({ type: 'smallint', nullable: true })
  whyStrength: number | null;

  @Column({ type: 'text', array: true, default: () => `'{}'` })
  linkedValues: string[];

  @Column({ type: 'text', array: true, default: () => `'{}'` })
  linkedStrengths: string[];

  // Attainability inputs of the SMART check.
  @Field(() => String, {
    nullable: true,
    description: 'What it takes and whether the client has it. Up to 2000 characters.',
  })
  @Column({ type: 'text', nullable: true })
  attainabilityNotes: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Skills or experience still missing. Up to 2000 characters.',
  })
  @Column({ type: 'text', nullable: true })
  skillsGap: string | null;

  @Field(() => ChallengeLevel, { nullable: true })
  @Column({ type: 'text', nullable: true })
  challengeLevel: ChallengeLevel | null;

  @Field(() => GoalProposer, { description: 'Who first put the goal forward (the OWN_DESIRE tip).' })
  @Column({ type: 'text', default: 'CLIENT' })
  proposedBy: GoalProposer;

  @Field(() => ID, {
    nullable: true,
    description: 'The career-path step this goal moves the client towards.',
  })
  @Column({ type: 'uuid', nullable: true })
  careerStepId: string | null;

  @Column({ type: 'uuid', nullable: true })
  createdByUserId: string | null;

  @Field(() => ID, {
    nullable: true,
    description: 'Set when a partner integration created the goal with an API key.',
  })
  @Column({ type: 'uuid', nullable: true })
  createdByApiKeyId: string | null;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When the goal last became ACHIEVED.' })
  @Column({ type: 'timestamptz', nullable: true })
  achievedAt: Date | null;

  // Who besides the client may see the goal (see visibility/goal-visibility.ts); shown as `audiences`.
  @Column({ type: 'boolean', default: true })
  visibleToCoaches: boolean;

  @Column({ type: 'boolean', default: true })
  visibleToFirm: boolean;

  @Field({
    description:
      'The client chose to let this sub-goal be seen by more people than its parent; otherwise a sub-goal is never more visible than its parent.',
  })
  @Column({ type: 'boolean', default: false })
  exceedsParent: boolean;
}
