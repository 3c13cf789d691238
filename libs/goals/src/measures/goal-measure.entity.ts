import { Field, Float, GraphQLISODateTime, ID, Int, ObjectType } from '@nestjs/graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { LocalDateScalar } from '#cairn/shared/graphql';
import { MeasureDirection, MeasureKind } from './measure.enums.js';

/** How the client and coach will know the goal is progressing and when it is achieved. */
@ObjectType({
  description: 'A measure of success of a goal. Its current value and progress are derived from its updates.',
})
@Entity('goal_measures')
export class GoalMeasure {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  tenantId: string;

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

  @Field(() => GraphQLISODateTime)
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Field(() => GraphQLISODateTime)
  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;

  // Derived per read from the progress updates (see MeasureService.measuresOfGoals); not columns.
  latestValue: number | null = null;
  periodTotal: number | null = null;
}
