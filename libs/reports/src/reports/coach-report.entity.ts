import { Field, GraphQLISODateTime, ID, Int, ObjectType } from '@nestjs/graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { LocalDateScalar } from '#cairn/shared/graphql';
import type { ReportData } from '../content/report-data.js';

@ObjectType({
  description:
    'A periodic progress report to a coach about their caseload: per client check-in completion, goal progress since ' +
    'the previous report, overdue tasks, stalled goals and notable answers, and an at-risk list.',
})
@Entity('coach_reports')
export class CoachReport {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  tenantId: string;

  @Field(() => ID)
  @Column('uuid')
  coachId: string;

  @Field(() => LocalDateScalar, { description: 'The first day covered, in the coach’s zone.' })
  @Column({ type: 'date' })
  periodStart: string;

  @Field(() => LocalDateScalar, { description: 'The day after the last one covered: the day the report went out.' })
  @Column({ type: 'date' })
  periodEnd: string;

  @Field(() => Int, { description: '7 (weekly) or 14 (fortnightly).' })
  @Column('smallint')
  periodDays: number;

  @Field({ description: 'The coach’s time zone the period was computed in.' })
  @Column({ type: 'text' })
  timezone: string;

  @Field(() => GraphQLISODateTime, { description: 'The moment the figures are as of.' })
  @Column({ type: 'timestamptz' })
  generatedAt: Date;

  /** `report/<coachId>/<periodStart>`: unique per tenant, so no run makes a second report for a period. */
  @Column({ type: 'text' })
  dedupeKey: string;

  @Column({ type: 'jsonb' })
  data: ReportData;

  @Field(() => ID, { nullable: true, description: 'The message that delivered it (email, in-app, webhook); see `messages`.' })
  @Column({ type: 'uuid', nullable: true })
  messageId: string | null;

  @Field(() => GraphQLISODateTime)
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
