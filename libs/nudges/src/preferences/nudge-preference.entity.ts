import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Check, Column, Entity, PrimaryColumn } from 'typeorm';
import { TenantForeignKey, SettingsRevision } from '#cairn/shared/database';
import { NudgeRule } from '../rules/nudge-rule.enum.js';

@ObjectType({ description: 'A client’s own say in their nudges. Until they change it, everything is on.' })
@Check(
  'nudge_preferences_muted_rules_check',
  `(muted_rules <@ ARRAY['CHECKIN_DUE_SOON'::text, 'CHECKIN_MISSED'::text, 'TASK_STARTING'::text, 'TASK_OVERDUE'::text, 'GOAL_STALLED'::text, 'GOAL_BEHIND'::text, 'CELEBRATION'::text])`,
)
@TenantForeignKey('User', 'clientId', 'nudge_preferences_tenant_id_client_id_fkey', 'CASCADE')
@Entity('nudge_preferences')
export class NudgePreference extends SettingsRevision {
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
