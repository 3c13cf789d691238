import { Field, Float, GraphQLISODateTime, ID, Int, ObjectType } from '@nestjs/graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

// numeric comes back from pg as a string.
const numericYears = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};

/** One rung of a career ladder. */
@ObjectType({ description: 'A role on a career path.' })
@Entity('career_steps')
export class CareerStep {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  tenantId: string;

  @Field(() => ID)
  @Column('uuid')
  pathId: string;

  @Field(() => Int, { description: '1 for the first rung (lowest), increasing towards the top.' })
  @Column({ type: 'integer' })
  position: number;

  @Field({ description: 'The role, e.g. "Sales Manager".' })
  @Column()
  title: string;

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Field(() => Float, {
    description:
      'Estimated years to reach this step from the step before it (the first step’s is usually 0), 0 to 50 in ' +
      'steps of 0.1.',
  })
  @Column({ type: 'numeric', precision: 4, scale: 1, transformer: numericYears })
  estimatedYears: number;

  @Field(() => GraphQLISODateTime)
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Field(() => GraphQLISODateTime)
  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
