import { Field, GraphQLISODateTime, ID, ObjectType } from '@nestjs/graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A person's secret calendar (ICS) address. Only a SHA-256 of the secret is stored; the URL is shown once, when
 * the secret is made. At most one feed per person is live (not revoked).
 */
@ObjectType({
  description:
    'Your calendar feed: a secret address calendar apps subscribe to. The address itself is shown only by ' +
    '`rotateMyCalendarFeed`.',
})
@Entity('calendar_feeds')
export class CalendarFeed {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  tenantId: string;

  @Column('uuid')
  userId: string;

  @Column({ select: false })
  secretHash: string;

  @Field(() => GraphQLISODateTime)
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

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
