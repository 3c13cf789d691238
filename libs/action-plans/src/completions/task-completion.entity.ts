import { Field, GraphQLISODateTime, ID, Int, ObjectType } from '@nestjs/graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { LocalDateScalar } from '#cairn/shared/graphql';

/** One entry of a task's completion log: "gave feedback to 2 people on Tuesday's occurrence". */
@ObjectType()
@Entity('task_completions')
export class TaskCompletion {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  tenantId: string;

  @Field(() => ID)
  @Column('uuid')
  taskId: string;

  @Column('uuid')
  clientId: string;

  @Field(() => LocalDateScalar, {
    nullable: true,
    description: 'The occurrence this counts towards (recurring tasks); null for a one-off task.',
  })
  @Column({ type: 'date', nullable: true })
  occurrenceOn: string | null;

  @Field(() => Int)
  @Column({ type: 'smallint' })
  count: number;

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', nullable: true })
  note: string | null;

  @Field(() => ID, { nullable: true, description: 'Who logged it (null when an API key did).' })
  @Column({ type: 'uuid', nullable: true })
  loggedByUserId: string | null;

  @Field(() => ID, { nullable: true, description: 'The API key that logged it, if any.' })
  @Column({ type: 'uuid', nullable: true })
  loggedByApiKeyId: string | null;

  @Field(() => GraphQLISODateTime, { description: 'When it was logged.' })
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
