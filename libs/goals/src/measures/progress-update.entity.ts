import { Field, Float, GraphQLISODateTime, ID, ObjectType } from '@nestjs/graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { LocalDateScalar } from '#cairn/shared/graphql';

@ObjectType({ description: 'One recorded step of progress on a measure.' })
@Entity('progress_updates')
export class ProgressUpdate {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  tenantId: string;

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

  @Field(() => ID, { nullable: true })
  @Column({ type: 'uuid', nullable: true })
  recordedByUserId: string | null;

  @Field(() => ID, {
    nullable: true,
    description: 'Set when a partner integration recorded it (API key or a token minted with one).',
  })
  @Column({ type: 'uuid', nullable: true })
  recordedByApiKeyId: string | null;

  @Field(() => GraphQLISODateTime, { description: 'When it was recorded.' })
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
