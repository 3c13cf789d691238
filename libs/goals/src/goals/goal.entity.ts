import { Field, GraphQLISODateTime, ID, Int, ObjectType } from '@nestjs/graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { LocalDateScalar } from '#cairn/shared/graphql';
import { ChallengeLevel, GoalCategory, GoalHorizon, GoalProposer, GoalStatus } from './goal.enums.js';

/** A client's goal, a node in their goal tree (long-term → mid-term → immediate). */
@ObjectType()
@Entity('goals')
export class Goal {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  tenantId: string;

  @Field(() => ID, { description: 'The client who owns the goal.' })
  @Column('uuid')
  clientId: string;

  @Field(() => ID, { nullable: true, description: 'The goal this one supports.' })
  @Column({ type: 'uuid', nullable: true })
  parentId: string | null;

  @Field(() => GoalHorizon)
  @Column({ type: 'text' })
  horizon: GoalHorizon;

  @Field({ description: 'The outcome, 1 to 200 characters; the SPECIFIC check reads it.' })
  @Column({ type: 'text' })
  title: string;

  @Field(() => String, { nullable: true, description: 'Up to 4000 characters.' })
  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Field(() => GoalCategory)
  @Column({ type: 'text' })
  category: GoalCategory;

  @Field(() => GoalStatus)
  @Column({ type: 'text' })
  status: GoalStatus;

  @Field(() => Int, { description: '1 (highest) to 5 (lowest).' })
  @Column({ type: 'smallint' })
  priority: number;

  @Field(() => LocalDateScalar, { nullable: true })
  @Column({ type: 'date', nullable: true })
  startDate: string | null;

  @Field(() => LocalDateScalar, { nullable: true })
  @Column({ type: 'date', nullable: true })
  targetDate: string | null;

  // The why (motivation and the seeds' three questions, strength, values and strengths).
  @Column({ type: 'text', nullable: true })
  motivation: string | null;

  @Column({ type: 'text', nullable: true })
  whyEnergizes: string | null;

  @Column({ type: 'text', nullable: true })
  whyFulfils: string | null;

  @Column({ type: 'text', nullable: true })
  whyAlignsValues: string | null;

  @Column({ type: 'smallint', nullable: true })
  whyStrength: number | null;

  @Column({ type: 'text', array: true, default: () => `'{}'` })
  linkedValues: string[];

  @Column({ type: 'text', array: true, default: () => `'{}'` })
  linkedStrengths: string[];

  // Attainability inputs of the SMART check.
  @Field(() => String, {
    nullable: true,
    description: 'What it takes and whether the client has it. Up to 2000 characters.',
  })
  @Column({ type: 'text', nullable: true })
  attainabilityNotes: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Skills or experience still missing. Up to 2000 characters.',
  })
  @Column({ type: 'text', nullable: true })
  skillsGap: string | null;

  @Field(() => ChallengeLevel, { nullable: true })
  @Column({ type: 'text', nullable: true })
  challengeLevel: ChallengeLevel | null;

  @Field(() => GoalProposer, { description: 'Who first put the goal forward (the OWN_DESIRE tip).' })
  @Column({ type: 'text' })
  proposedBy: GoalProposer;

  @Field(() => ID, {
    nullable: true,
    description: 'The career-path step this goal moves the client towards.',
  })
  @Column({ type: 'uuid', nullable: true })
  careerStepId: string | null;

  @Column({ type: 'uuid', nullable: true })
  createdByUserId: string | null;

  @Field(() => ID, {
    nullable: true,
    description: 'Set when a partner integration created the goal with an API key.',
  })
  @Column({ type: 'uuid', nullable: true })
  createdByApiKeyId: string | null;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When the goal last became ACHIEVED.' })
  @Column({ type: 'timestamptz', nullable: true })
  achievedAt: Date | null;

  @Field(() => Int, { description: 'Pass back as `expectedVersion` to detect concurrent edits.' })
  @Column({ type: 'integer' })
  version: number;

  @Field(() => GraphQLISODateTime)
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Field(() => GraphQLISODateTime)
  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
