import { Field, GraphQLISODateTime, ID, Int, ObjectType } from '@nestjs/graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { DevelopmentCategory, DevelopmentItemStatus, DevelopmentSource } from './development-item.enums.js';

/** One finding of the client's fact-finding mission: something to develop, scored for value and motivation. */
@ObjectType({ description: 'An entry of a client’s development list (the fact-finding step).' })
@Entity('development_items')
export class DevelopmentItem {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  tenantId: string;

  @Field(() => ID)
  @Column('uuid')
  clientId: string;

  @Field(() => DevelopmentCategory)
  @Column({ type: 'text' })
  category: DevelopmentCategory;

  @Field(() => DevelopmentSource)
  @Column({ type: 'text' })
  source: DevelopmentSource;

  @Field()
  @Column()
  title: string;

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', nullable: true })
  notes: string | null;

  @Field(() => Int, { description: 'How much it would help the client reach their goal: 1 (little) to 5 (most).' })
  @Column({ type: 'smallint' })
  valueScore: number;

  @Field(() => Int, { description: 'How motivated the client feels to act on it: 1 (barely) to 5 (eager).' })
  @Column({ type: 'smallint' })
  motivationScore: number;

  @Field(() => DevelopmentItemStatus)
  @Column({ type: 'text' })
  status: DevelopmentItemStatus;

  @Field(() => ID, {
    nullable: true,
    description: 'The goal it became. Null unless CONVERTED (and also if that goal was later deleted).',
  })
  @Column({ type: 'uuid', nullable: true })
  goalId: string | null;

  @Field(() => GraphQLISODateTime, { nullable: true })
  @Column({ type: 'timestamptz', nullable: true })
  convertedAt: Date | null;

  @Field(() => GraphQLISODateTime, { nullable: true })
  @Column({ type: 'timestamptz', nullable: true })
  dismissedAt: Date | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', nullable: true })
  dismissReason: string | null;

  @Column({ type: 'uuid', nullable: true })
  createdByUserId: string | null;

  @Column({ type: 'uuid', nullable: true })
  createdByApiKeyId: string | null;

  @Field(() => Int, { description: 'Pass back as `expectedVersion` to detect concurrent edits.' })
  @Column({ type: 'integer' })
  version: number;

  @Field(() => GraphQLISODateTime)
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Field(() => GraphQLISODateTime)
  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;

  /** Set by the prioritized view, which computes ranks in the same statement; not a column. */
  knownRank?: number;
}
