import { Field, GraphQLISODateTime, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Check, Column, Entity, Index, Unique } from 'typeorm';
import { AuditColumns, TenantForeignKey } from '#cairn/shared/database';

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
@Check('check_ins_check', '(closes_at > opens_at)')
@Check('check_ins_check1', `((status = 'SUBMITTED'::text) = (submitted_at IS NOT NULL))`)
@Check('check_ins_excuse_reason_check', '(length(excuse_reason) <= 500)')
@Check('check_ins_excused_consistent', `((status = 'EXCUSED'::text) = (excused_at IS NOT NULL))`)
@Check(
  'check_ins_status_check',
  `(status = ANY (ARRAY['PENDING'::text, 'SUBMITTED'::text, 'MISSED'::text, 'EXCUSED'::text]))`,
)
@Unique('check_ins_tenant_id_id_key', ['tenantId', 'id'])
@TenantForeignKey('CheckInAssignment', 'assignmentId', 'check_ins_tenant_id_assignment_id_fkey', 'CASCADE')
@TenantForeignKey('User', 'clientId', 'check_ins_tenant_id_client_id_fkey', 'CASCADE')
@TenantForeignKey('User', 'excusedByUserId', 'check_ins_tenant_id_excused_by_user_id_fkey')
@TenantForeignKey(
  'CheckInTemplateVersion',
  'templateVersionId',
  'check_ins_tenant_id_template_version_id_fkey',
)
@Index('check_ins_assignment_opens', ['tenantId', 'assignmentId', 'opensAt'])
@Index('check_ins_pending_closes', ['closesAt'], { where: `(status = 'PENDING'::text)` })
@Index('check_ins_pending_unannounced', ['opensAt'], {
  where: `((status = 'PENDING'::text) AND (announced_at IS NULL))`,
})
@Index('check_ins_slot', ['tenantId', 'assignmentId', 'slot'], { unique: true })
@Index('check_ins_tenant_client_status', ['tenantId', 'clientId', 'status', 'opensAt'])
@Index('check_ins_tenant_created', ['tenantId', 'createdAt', 'id'])
@Entity('check_ins')
export class CheckIn extends AuditColumns({ id: 'field', tenantId: 'column', createdAt: 'field' }) {
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

  @Field(() => GraphQLISODateTime, {
    description:
      'After this, an unanswered check-in is MISSED (late answers are still accepted and flagged).',
  })
  @Column({ type: 'timestamptz' })
  closesAt: Date;

  @Field(() => CheckInStatus)
  @Column({ type: 'text', default: 'PENDING' })
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
}
