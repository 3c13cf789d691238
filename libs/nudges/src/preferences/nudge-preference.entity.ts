import { Field, GraphQLISODateTime, ID, ObjectType } from '@nestjs/graphql';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { NudgeRule } from '../rules/nudge-rule.enum.js';

@ObjectType({ description: 'A client’s own say in their nudges. Until they change it, everything is on.' })
@Entity('nudge_preferences')
export class NudgePreference {
  @PrimaryColumn('uuid')
  tenantId: string;

  @Field(() => ID)
  @PrimaryColumn('uuid')
  clientId: string;

  @Field({ description: 'No nudges at all.' })
  @Column({ default: false })
  optedOut: boolean;

  @Field(() => [NudgeRule], { description: 'Rules the client does not want to hear about.' })
  @Column({ type: 'text', array: true, default: () => `'{}'` })
  mutedRules: NudgeRule[];

  @Field({ description: 'Nudges by email.' })
  @Column({ default: true })
  email: boolean;

  @Field({ description: 'Nudges in the in-app feed.' })
  @Column({ default: true })
  inApp: boolean;

  @Column('int', { default: 1 })
  version: number;

  @Field(() => GraphQLISODateTime, { nullable: true })
  @Column({ type: 'timestamptz' })
  updatedAt: Date | null;
}

export const defaultPreferences = (tenantId: string, clientId: string): NudgePreference => ({
  tenantId,
  clientId,
  optedOut: false,
  mutedRules: [],
  email: true,
  inApp: true,
  version: 0,
  updatedAt: null,
});
