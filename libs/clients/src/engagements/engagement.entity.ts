import { Field, GraphQLISODateTime, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

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
@Entity('engagements')
export class Engagement {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  tenantId: string;

  @Field(() => ID)
  @Column('uuid')
  clientId: string;

  @Field(() => ID)
  @Column('uuid')
  coachId: string;

  @Field({ description: 'The primary coach is the client’s accountability partner and receives their reports.' })
  @Column()
  isPrimary: boolean;

  @Field(() => EngagementStatus)
  @Column({ type: 'text' })
  status: EngagementStatus;

  @Field({ description: 'ISO date (YYYY-MM-DD).' })
  @Column({ type: 'date' })
  startsOn: string;

  @Field(() => String, { nullable: true, description: 'ISO date (YYYY-MM-DD); set when the engagement ends.' })
  @Column({ type: 'date', nullable: true })
  endsOn: string | null;

  @Field(() => GraphQLISODateTime)
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
