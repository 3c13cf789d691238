import { Field, Int, ObjectType } from '@nestjs/graphql';
import { Check, Column, Entity, PrimaryColumn } from 'typeorm';
import { FirmForeignKey, SettingsRevision } from '#cairn/shared/database';

@ObjectType({ description: 'How a firm nudges its clients. Until an admin changes it, the defaults apply.' })
@Check(
  'nudge_policies_checkin_due_soon_hours_check',
  '((checkin_due_soon_hours >= 0) AND (checkin_due_soon_hours <= 168))',
)
@Check('nudge_policies_daily_cap_check', '((daily_cap >= 1) AND (daily_cap <= 10))')
@Check(
  'nudge_policies_goal_behind_within_days_check',
  '((goal_behind_within_days >= 0) AND (goal_behind_within_days <= 730))',
)
@Check('nudge_policies_goal_stalled_days_check', '((goal_stalled_days >= 0) AND (goal_stalled_days <= 365))')
@FirmForeignKey('nudge_policies_tenant_id_fkey')
@Entity('nudge_policies')
export class NudgePolicy extends SettingsRevision {
  @PrimaryColumn('uuid')
  tenantId: string;

  @Field({ description: 'Off: no nudges at all.' })
  @Column({ default: true })
  enabled: boolean;

  @Field(() => Int, { description: 'Nudge about an open check-in this many hours before it closes (0: never).' })
  @Column('int', { default: 24 })
  checkinDueSoonHours: number;

  @Field()
  @Column({ default: true })
  checkinMissed: boolean;

  @Field({ description: 'Nudge on the start date of a task due later (its lead time).' })
  @Column({ default: true })
  taskStarting: boolean;

  @Field()
  @Column({ default: true })
  taskOverdue: boolean;

  @Field(() => Int, { description: 'An active goal without progress for this many days is stalled (0: never).' })
  @Column('int', { default: 14 })
  goalStalledDays: number;

  @Field(() => Int, {
    description: 'Within this many days of its target date, a goal whose pace is BEHIND or AT_RISK is nudged about (0: never).',
  })
  @Column('int', { default: 60 })
  goalBehindWithinDays: number;

  @Field()
  @Column({ default: true })
  celebrations: boolean;

  @Field({ description: 'Local time (HH:MM, the client’s zone) from which no nudge is sent…' })
  @Column({ type: 'time', default: '21:00:00' })
  quietHoursStart: string;

  @Field({ description: '…until this local time (HH:MM).' })
  @Column({ type: 'time', default: '08:00:00' })
  quietHoursEnd: string;

  @Field(() => Int, { description: 'At most this many nudge messages per client per local day.' })
  @Column('int', { default: 2 })
  dailyCap: number;

  @Field({ description: 'True until an admin has changed anything.' })
  isDefault: boolean;
}

export const DEFAULT_NUDGE_POLICY: Omit<NudgePolicy, 'tenantId'> = {
  enabled: true,
  checkinDueSoonHours: 24,
  checkinMissed: true,
  taskStarting: true,
  taskOverdue: true,
  goalStalledDays: 14,
  goalBehindWithinDays: 60,
  celebrations: true,
  quietHoursStart: '21:00',
  quietHoursEnd: '08:00',
  dailyCap: 2,
  isDefault: true,
  version: 0,
  updatedAt: null,
};
