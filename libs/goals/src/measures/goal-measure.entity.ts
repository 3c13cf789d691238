import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';
import { Check, Column, Entity, Index, Unique } from 'typeorm';
import { AuditColumns, TenantForeignKey } from '#cairn/shared/database';
import { LocalDateScalar } from '#cairn/shared/graphql';
import { MeasureDirection, MeasureKind } from './measure.enums.js';

/** How the client and coach will know the goal is progressing and when it is achieved. */
@ObjectType({
  description: 'A measure of success of a goal. Its current value and progress are derived from its updates.',
})
@Check(
  'goal_measures_check',
  `((kind <> 'MILESTONE'::text) OR ((target IS NULL) AND (baseline IS NULL) AND (direction IS NULL) AND (period_start IS NULL)))`,
)
@Check(
  'goal_measures_check1',
  `((kind <> ALL (ARRAY['NUMERIC'::text, 'PERCENTAGE'::text])) OR ((target IS NOT NULL) AND (baseline IS NOT NULL) AND (direction IS NOT NULL) AND (target <> baseline)))`,
)
@Check(
  'goal_measures_check2',
  `((kind <> 'PERCENTAGE'::text) OR (((target >= (0)::double precision) AND (target <= (100)::double precision)) AND ((baseline >= (0)::double precision) AND (baseline <= (100)::double precision))))`,
)
@Check(
  'goal_measures_check3',
  `((kind <> 'COUNT'::text) OR ((target >= (1)::double precision) AND (target = trunc(target)) AND (period_start IS NOT NULL) AND (period_end >= period_start) AND (period_months IS NOT NULL)))`,
)
@Check('goal_measures_direction_check', `(direction = ANY (ARRAY['INCREASE'::text, 'DECREASE'::text]))`)
@Check(
  'goal_measures_kind_check',
  `(kind = ANY (ARRAY['MILESTONE'::text, 'NUMERIC'::text, 'COUNT'::text, 'PERCENTAGE'::text]))`,
)
@Check('goal_measures_period_months_check', '((period_months >= 1) AND (period_months <= 120))')
@Check('goal_measures_title_check', '((length(title) >= 1) AND (length(title) <= 200))')
@Check('goal_measures_unit_check', '((length(unit) >= 1) AND (length(unit) <= 40))')
@Unique('goal_measures_tenant_id_id_key', ['tenantId', 'id'])
@TenantForeignKey('Goal', 'goalId', 'goal_measures_tenant_id_goal_id_fkey', 'CASCADE')
@Index('goal_measures_tenant_goal', ['tenantId', 'goalId', 'createdAt'])
@Entity('goal_measures')
export class GoalMeasure extends AuditColumns({
  id: 'field',
  tenantId: 'column',
  createdAt: 'field',
  updatedAt: 'field',
}) {
  @Field(() => ID)
  @Column('uuid')
  goalId: string;

  @Field(() => MeasureKind)
  @Column({ type: 'text' })
  kind: MeasureKind;

  @Field({ description: 'What is measured, 1 to 200 characters.' })
  @Column({ type: 'text' })
  title: string;

  @Field(() => String, {
    nullable: true,
    description: 'NUMERIC and COUNT: the unit ("reports", "conferences"). Up to 40 characters.',
  })
  @Column({ type: 'text', nullable: true })
  unit: string | null;

  @Field(() => Float, { nullable: true, description: 'NUMERIC and PERCENTAGE: the level at the start.' })
  @Column({ type: 'double precision', nullable: true })
  baseline: number | null;

  @Field(() => Float, {
    nullable: true,
    description: 'NUMERIC and PERCENTAGE: the level to reach; COUNT: occurrences within the period.',
  })
  @Column({ type: 'double precision', nullable: true })
  target: number | null;

  @Field(() => MeasureDirection, { nullable: true, description: 'NUMERIC and PERCENTAGE.' })
  @Column({ type: 'text', nullable: true })
  direction: MeasureDirection | null;

  @Field(() => LocalDateScalar, { nullable: true, description: 'COUNT: first day of the period.' })
  @Column({ type: 'date', nullable: true })
  periodStart: string | null;

  @Field(() => LocalDateScalar, {
    nullable: true,
    description: 'COUNT: last day of the period (periodStart + periodMonths − 1 day).',
  })
  @Column({ type: 'date', nullable: true })
  periodEnd: string | null;

  @Field(() => Int, { nullable: true, description: 'COUNT: length of the period in months.' })
  @Column({ type: 'smallint', nullable: true })
  periodMonths: number | null;

  @Column({ type: 'timestamptz', nullable: true })
  removedAt: Date | null;

  // Derived per read from the progress updates (see MeasureService.measuresOfGoals); not columns.
  latestValue: number | null = null;
  periodTotal: number | null = null;
}
