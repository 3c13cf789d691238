import { Field, GraphQLISODateTime, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export enum CheckInStatus {
  PENDING = 'PENDING',
  SUBMITTED = 'SUBMITTED',
  MISSED = 'MISSED',
  EXCUSED = 'EXCUSED',
}
registerEnumType(CheckInStatus, {
  name: 'CheckInStatus',
  description: 'PENDING until answered (SUBMITTED), until its window passes unanswered (MISSED), or excused.',
});

/** One occurrence of an assignment: what the client is asked to answer, and when. */
@ObjectType()
@Entity('check_ins')
export class CheckIn {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  tenantId: string;

  @Field(() => ID)
  @Column('uuid')
  assignmentId: string;

  @Field(() => ID)
  @Column('uuid')
  clientId: string;

  @Field(() => ID, { description: 'The template version the check-in was sent with; it never changes.' })
  @Column('uuid')
  templateVersionId: string;

  @Field({
    description:
      'The local wall-clock time (YYYY-MM-DDTHH:mm) the schedule names for this occurrence; one check-in per slot of an assignment, kept when the client’s zone changes.',
  })
  @Column({ type: 'text' })
  slot: string;

  @Field(() => GraphQLISODateTime)
  @Column({ type: 'timestamptz' })
  opensAt: Date;

  @Field(() => GraphQLISODateTime, { description: 'After this, an unanswered check-in is MISSED (late answers are still accepted and flagged).' })
  @Column({ type: 'timestamptz' })
  closesAt: Date;

  @Field(() => CheckInStatus)
  @Column({ type: 'text' })
  status: CheckInStatus;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When it was first submitted.' })
  @Column({ type: 'timestamptz', nullable: true })
  submittedAt: Date | null;

  @Field({ description: 'Submitted after its window closed.' })
  @Column({ default: false })
  late: boolean;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When the worker marked it MISSED.' })
  @Column({ type: 'timestamptz', nullable: true })
  missedAt: Date | null;

  @Field(() => GraphQLISODateTime, { nullable: true })
  @Column({ type: 'timestamptz', nullable: true })
  excusedAt: Date | null;

  @Field(() => ID, { nullable: true, description: 'The coach or admin who excused it.' })
  @Column({ type: 'uuid', nullable: true })
  excusedByUserId: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', nullable: true })
  excuseReason: string | null;

  /** When `checkin.due` was announced; null until the worker sees it open. */
  @Column({ type: 'timestamptz', nullable: true })
  announcedAt: Date | null;

  @Field({ description: 'Marked by a coach for discussion at the next session.' })
  @Column({ default: false })
  needsFollowUp: boolean;

  @Field(() => GraphQLISODateTime)
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
