import { Field, GraphQLISODateTime, ID, ObjectType } from '@nestjs/graphql';
import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { TenantForeignKey } from '#cairn/shared/database';
import { CheckInAnswer } from '../answers/checkin-answer.model.js';

/** Answers as submitted. Never updated: an amendment is a new submission. */
@ObjectType()
@Check('checkin_submissions_amend_reason_check', '(length(amend_reason) <= 500)')
@Check('checkin_submissions_answers_check', `(jsonb_typeof(answers) = 'array'::text)`)
@Check(
  'checkin_submissions_idempotency_key_check',
  '((length(idempotency_key) >= 8) AND (length(idempotency_key) <= 100))',
)
@Unique('checkin_submissions_tenant_id_id_key', ['tenantId', 'id'])
@TenantForeignKey(
  'CheckInSubmission',
  'amendsSubmissionId',
  'checkin_submissions_tenant_id_amends_submission_id_fkey',
)
@TenantForeignKey('CheckIn', 'checkInId', 'checkin_submissions_tenant_id_check_in_id_fkey', 'CASCADE')
@TenantForeignKey('User', 'clientId', 'checkin_submissions_tenant_id_client_id_fkey', 'CASCADE')
@Index('checkin_submissions_idempotency', ['tenantId', 'clientId', 'idempotencyKey'], { unique: true })
@Index('checkin_submissions_tenant_check_in', ['tenantId', 'checkInId', 'createdAt'])
@Entity('checkin_submissions')
export class CheckInSubmission {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  tenantId: string;

  @Field(() => ID)
  @Column('uuid')
  checkInId: string;

  @Column('uuid')
  clientId: string;

  @Field(() => [CheckInAnswer], { description: 'In the order of the prompts; unanswered optional prompts are left out.' })
  @Column({ type: 'jsonb' })
  answers: CheckInAnswer[];

  @Column({ type: 'text' })
  idempotencyKey: string;

  @Field({ description: 'Submitted after the check-in’s window closed.' })
  @Column()
  late: boolean;

  @Field(() => ID, { nullable: true, description: 'The submission this one amends; the original is kept.' })
  @Column({ type: 'uuid', nullable: true })
  amendsSubmissionId: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', nullable: true })
  amendReason: string | null;

  @Field(() => [ID], {
    description:
      'Progress updates this submission recorded on bound goal measures; an amendment records one only for a changed value.',
  })
  @Column({ type: 'uuid', array: true, default: () => `'{}'` })
  progressUpdateIds: string[];

  @Field(() => [String], { description: 'Bound measures that could not take an answer, and why (the answer is kept).' })
  @Column({ type: 'text', array: true, default: () => `'{}'` })
  progressIssues: string[];

  @Column({ type: 'uuid', nullable: true })
  submittedByUserId: string | null;

  @Column({ type: 'uuid', nullable: true })
  submittedByApiKeyId: string | null;

  @Field(() => GraphQLISODateTime)
  @CreateDateColumn({ type: 'timestamptz', default: () => 'clock_timestamp()' })
  createdAt: Date;
}
