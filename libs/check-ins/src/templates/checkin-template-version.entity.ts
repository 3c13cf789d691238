import { Field, GraphQLISODateTime, ID, Int, ObjectType } from '@nestjs/graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { CheckInPrompt } from './checkin-prompt.model.js';

/**
 * The prompts of a template as they were at one point. Never updated: check-ins point at the version they were
 * sent with, so editing a template cannot change what a client already answered.
 */
@ObjectType()
@Entity('checkin_template_versions')
export class CheckInTemplateVersion {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  tenantId: string;

  @Field(() => ID)
  @Column('uuid')
  templateId: string;

  @Field(() => Int)
  @Column({ type: 'integer' })
  version: number;

  @Field(() => [CheckInPrompt])
  @Column({ type: 'jsonb' })
  prompts: CheckInPrompt[];

  @Column({ type: 'uuid', nullable: true })
  createdByUserId: string | null;

  @Field(() => GraphQLISODateTime)
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
