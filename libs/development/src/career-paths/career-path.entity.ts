import { Field, GraphQLISODateTime, ID, Int, ObjectType } from '@nestjs/graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/**
 * A client's career ladder (e.g. Sales Representative → … → Chief Sales Officer). A client has at most one
 * active path; archiving it keeps it as read-only history and makes room for a new one.
 */
@ObjectType({ description: 'An ordered ladder of roles a client intends to climb, with where they stand on it.' })
@Entity('career_paths')
export class CareerPath {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  tenantId: string;

  @Field(() => ID)
  @Column('uuid')
  clientId: string;

  @Field()
  @Column()
  title: string;

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Field(() => ID, { nullable: true, description: 'The step the client holds now; null while not on the ladder yet.' })
  @Column({ type: 'uuid', nullable: true })
  currentStepId: string | null;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'Set once archived; the path is then read-only.' })
  @Column({ type: 'timestamptz', nullable: true })
  archivedAt: Date | null;

  @Column({ type: 'uuid', nullable: true })
  createdByUserId: string | null;

  @Column({ type: 'uuid', nullable: true })
  createdByApiKeyId: string | null;

  @Field(() => Int, {
    description:
      'Version of the whole ladder (path, steps, order, current step): pass back as `expectedVersion` to any ' +
      'change of this path or its steps.',
  })
  @Column({ type: 'integer' })
  version: number;

  @Field(() => GraphQLISODateTime)
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Field(() => GraphQLISODateTime)
  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
