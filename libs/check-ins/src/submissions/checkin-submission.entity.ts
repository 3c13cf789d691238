import { Field, GraphQLISODateTime, ID, ObjectType } from '@nestjs/graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { CheckInAnswer } from '../answers/checkin-answer.model.js';

/** Answers as submitted. Never updated: an amendment is a new submission. */
@ObjectType()
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
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
