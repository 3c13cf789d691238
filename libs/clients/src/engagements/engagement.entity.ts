import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Check, Column, Entity, Index } from 'typeorm';
import { AuditColumns, TenantForeignKey } from '#cairn/shared/database';

export enum EngagementStatus {
  ACTIVE = 'ACTIVE',
  PAUSED = 'PAUSED',
  ENDED = 'ENDED',
}
registerEnumType(EngagementStatus, {
  name: 'EngagementStatus',
  description: 'ACTIVE and PAUSED engagements give the coach access to the client; ENDED ones no longer do.',
});

/** A coach working with a client. A client may have several coaches; at most one open engagement is primary. */
@ObjectType()
@Check('engagements_check', '(ends_on >= starts_on)')
@Check('engagements_check1', '(client_id <> coach_id)')
@Check('engagements_check2', `((status = 'ENDED'::text) = (ends_on IS NOT NULL))`)
@Check('engagements_status_check', `(status = ANY (ARRAY['ACTIVE'::text, 'PAUSED'::text, 'ENDED'::text]))`)
@TenantForeignKey('User', 'clientId', 'engagements_tenant_id_client_id_fkey', 'CASCADE')
@TenantForeignKey('User', 'coachId', 'engagements_tenant_id_coach_id_fkey', 'CASCADE')
@Index('engagements_open_pair', ['tenantId', 'clientId', 'coachId'], {
  unique: true,
  where: `(status <> 'ENDED'::text)`,
})
@Index('engagements_open_primary', ['tenantId', 'clientId'], {
  unique: true,
  where: `((status <> 'ENDED'::text) AND is_primary)`,
})
@Index('engagements_tenant_client', ['tenantId', 'clientId', 'status'])
@Index('engagements_tenant_coach', ['tenantId', 'coachId', 'status'])
@Index('engagements_tenant_created', ['tenantId', 'createdAt', 'id'])
@Entity('engagements')
export class Engagement extends AuditColumns({
  id: 'field',
  tenantId: 'column',
  createdAt: 'field',
  updatedAt: 'column',
}) {
  @Field(() => ID)
  @Column('uuid')
  clientId: string;

  @Field(() => ID)
  @Column('uuid')
  coachId: string;

  @Field({
    description: 'The primary coach is the client’s accountability partner and receives their reports.',
  })
  @Column()
  isPrimary: boolean;

  @Field(() => EngagementStatus)
  @Column({ type: 'text' })
  status: EngagementStatus;

  @Field({ description: 'ISO date (YYYY-MM-DD).' })
  @Column({ type: 'date' })
  startsOn: string;

  @Field(() => String, {
    nullable: true,
    description: 'ISO date (YYYY-MM-DD); set when the engagement ends.',
  })
  @Column({ type: 'date', nullable: true })
  endsOn: string | null;
}
