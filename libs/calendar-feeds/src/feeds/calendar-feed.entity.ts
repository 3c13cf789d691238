import { Field, GraphQLISODateTime, ObjectType } from '@nestjs/graphql';
import { Check, Column, Entity, Index } from 'typeorm';
import { AuditColumns, FirmForeignKey, TenantForeignKey } from '#cairn/shared/database';

/**
 * A person's secret calendar (ICS) address. Only a SHA-256 of the secret is stored; the URL is shown once, when
 * the secret is made. At most one feed per person is live (not revoked).
 */
@ObjectType({
  description:
    'Your calendar feed: a secret address calendar apps subscribe to. The address itself is shown only by ' +
    '`rotateMyCalendarFeed`.',
})
@Check('calendar_feeds_secret_hash_check', `(secret_hash ~ '^[0-9a-f]{64}$'::text)`)
@FirmForeignKey('calendar_feeds_tenant_id_fkey')
@TenantForeignKey('User', 'userId', 'calendar_feeds_tenant_id_user_id_fkey', 'CASCADE')
@Index('calendar_feeds_tenant_user_live', ['tenantId', 'userId'], {
  unique: true,
  where: '(revoked_at IS NULL)',
})
@Entity('calendar_feeds')
export class CalendarFeed extends AuditColumns({ id: 'field', tenantId: 'column', createdAt: 'field' }) {
  @Column('uuid')
  userId: string;

  @Column({ type: 'text', select: false })
  secretHash: string;

  @Field(() => GraphQLISODateTime, {
    nullable: true,
    description: 'When the address last changed; every earlier address stopped working then.',
  })
  @Column({ type: 'timestamptz', nullable: true })
  rotatedAt: Date | null;

  @Field(() => GraphQLISODateTime, {
    nullable: true,
    description: 'Set once revoked; the address no longer works.',
  })
  @Column({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  @Field(() => GraphQLISODateTime, {
    nullable: true,
    description: 'When a calendar app last fetched the feed (to the minute); null if never.',
  })
  @Column({ type: 'timestamptz', nullable: true })
  lastAccessedAt: Date | null;
}
