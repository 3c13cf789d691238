import { Field, GraphQLISODateTime, ID, Int, ObjectType } from '@nestjs/graphql';
import { Check, Column, Entity, Index, Unique } from 'typeorm';
import { AuditColumns, TenantForeignKey } from '#cairn/shared/database';
import { LocalDateScalar } from '#cairn/shared/graphql';
import type { ReportData } from '../content/report-data.js';

@ObjectType({
  description:
    'A periodic progress report to a coach about their caseload: per client check-in completion, goal progress since ' +
    'the previous report, overdue tasks, stalled goals and notable answers, and an at-risk list.',
})
@Check('coach_reports_check', '(period_end > period_start)')
@Check('coach_reports_data_check', `(jsonb_typeof(data) = 'object'::text)`)
@Check('coach_reports_dedupe_key_check', '((length(dedupe_key) >= 1) AND (length(dedupe_key) <= 200))')
@Check('coach_reports_period_days_check', '(period_days = ANY (ARRAY[7, 14]))')
@Check('coach_reports_timezone_check', '((length(timezone) >= 1) AND (length(timezone) <= 100))')
@Unique('coach_reports_dedupe', ['tenantId', 'dedupeKey'])
@Unique('coach_reports_tenant_id_id_key', ['tenantId', 'id'])
@TenantForeignKey('User', 'coachId', 'coach_reports_tenant_id_coach_id_fkey', 'CASCADE')
@TenantForeignKey('Message', 'messageId', 'coach_reports_tenant_id_message_id_fkey', 'SET NULL')
// period_end DESC in the migration: @Index has no column order, and the schema diff compares columns only.
@Index('coach_reports_tenant_coach', ['tenantId', 'coachId', 'periodEnd'])
@Index('coach_reports_tenant_created', ['tenantId', 'createdAt', 'id'])
@Entity('coach_reports')
export class CoachReport extends AuditColumns({ id: 'field', tenantId: 'column', createdAt: 'field' }) {
  @Field(() => ID)
  @Column('uuid')
  coachId: string;

  @Field(() => LocalDateScalar, { description: 'The first day covered, in the coach’s zone.' })
  @Column({ type: 'date' })
  periodStart: string;

  @Field(() => LocalDateScalar, {
    description: 'The day after the last one covered: the day the report went out.',
  })
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

  @Field(() => ID, {
    nullable: true,
    description: 'The message that delivered it (email, in-app, webhook); see `messages`.',
  })
  @Column({ type: 'uuid', nullable: true })
  messageId: string | null;
}
