import { Field, Float, GraphQLISODateTime, ID, ObjectType } from '@nestjs/graphql';
import { Check, Column, Entity, Index, Unique } from 'typeorm';
import { AuditColumns, TenantForeignKey } from '#cairn/shared/database';
import { LocalDateScalar } from '#cairn/shared/graphql';

@ObjectType({ description: 'One recorded step of progress on a measure.' })
@Check(
  'progress_updates_check',
  '((recorded_by_user_id IS NOT NULL) OR (recorded_by_api_key_id IS NOT NULL))',
)
@Check('progress_updates_note_check', '(length(note) <= 1000)')
@Check('progress_updates_source_check', '(length(source) <= 200)')
@Check('progress_updates_supersedes_own_source', '((supersedes_id IS NULL) OR (source IS NOT NULL))')
@Unique('progress_updates_tenant_id_key', ['tenantId', 'id'])
@TenantForeignKey('ProgressUpdate', 'supersedesId', 'progress_updates_supersedes_fk', 'CASCADE')
@TenantForeignKey('Goal', 'goalId', 'progress_updates_tenant_id_goal_id_fkey', 'CASCADE')
@TenantForeignKey('GoalMeasure', 'measureId', 'progress_updates_tenant_id_measure_id_fkey', 'CASCADE')
@TenantForeignKey('User', 'recordedByUserId', 'progress_updates_tenant_id_recorded_by_user_id_fkey')
@Index('progress_updates_one_correction', ['tenantId', 'supersedesId'], {
  unique: true,
  where: '(supersedes_id IS NOT NULL)',
})
@Index('progress_updates_tenant_goal', ['tenantId', 'goalId'])
@Index('progress_updates_tenant_measure', ['tenantId', 'measureId', 'occurredOn', 'createdAt'])
@Index('progress_updates_tenant_measure_occurred', ['tenantId', 'measureId', 'occurredAt', 'createdAt'])
@Index('progress_updates_tenant_source', ['tenantId', 'source', 'measureId'], {
  where: '(source IS NOT NULL)',
})
@Entity('progress_updates')
export class ProgressUpdate extends AuditColumns({
  id: 'field',
  tenantId: 'column',
  createdAt: { description: 'When it was recorded.' },
}) {
  @Field(() => ID)
  @Column('uuid')
  measureId: string;

  @Field(() => ID)
  @Column('uuid')
  goalId: string;

  @Field(() => Float, {
    description:
      'MILESTONE: 1 done, 0 not done; NUMERIC/PERCENTAGE: the level reached; COUNT: occurrences added.',
  })
  @Column({ type: 'double precision' })
  value: number;

  @Field(() => String, { nullable: true, description: 'Up to 1000 characters.' })
  @Column({ type: 'text', nullable: true })
  note: string | null;

  @Field(() => LocalDateScalar, { description: 'The day it happened, in the client’s time zone.' })
  @Column({ type: 'date' })
  occurredOn: string;

  @Field(() => GraphQLISODateTime, {
    description:
      'The instant it describes: when it was recorded (a past occurredOn: that day’s end); from a check-in answer, when the check-in was first submitted. A measure’s current value is its latest update by this, ties by recording.',
  })
  @Column({ type: 'timestamptz' })
  occurredAt: Date;

  /** What it records, when it records an answer ("check-in:<id>:<prompt key>"); its next update replaces it. */
  @Column({ type: 'text', nullable: true })
  source: string | null;

  @Field(() => ID, {
    nullable: true,
    description: 'The update this one corrects (an amended check-in answer).',
  })
  @Column({ type: 'uuid', nullable: true })
  supersedesId: string | null;

  @Field(() => ID, {
    nullable: true,
    description: 'Set when a later update corrected this one: it no longer counts, and stays in the history.',
  })
  supersededById: string | null = null;

  @Field(() => ID, { nullable: true })
  @Column({ type: 'uuid', nullable: true })
  recordedByUserId: string | null;

  @Field(() => ID, {
    nullable: true,
    description: 'Set when a partner integration recorded it (API key or a token minted with one).',
  })
  @Column({ type: 'uuid', nullable: true })
  recordedByApiKeyId: string | null;
}
