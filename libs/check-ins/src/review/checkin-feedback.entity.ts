import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Check, Column, Entity, Index } from 'typeorm';
import { AuditColumns, TenantForeignKey } from '#cairn/shared/database';

/** A coach's objective feedback on a check-in; the client reads it. */
@ObjectType()
@Check('checkin_feedback_body_check', '((length(body) >= 1) AND (length(body) <= 4000))')
@TenantForeignKey('User', 'authorUserId', 'checkin_feedback_tenant_id_author_user_id_fkey')
@TenantForeignKey('CheckIn', 'checkInId', 'checkin_feedback_tenant_id_check_in_id_fkey', 'CASCADE')
@Index('checkin_feedback_tenant_check_in', ['tenantId', 'checkInId', 'createdAt'])
@Entity('checkin_feedback')
export class CheckInFeedback extends AuditColumns({ id: 'field', tenantId: 'column', createdAt: 'field' }) {
  @Field(() => ID)
  @Column('uuid')
  checkInId: string;

  @Field(() => ID)
  @Column('uuid')
  authorUserId: string;

  @Field()
  @Column({ type: 'text' })
  body: string;
}
