import { Field, Int, ObjectType } from '@nestjs/graphql';
import { Check, Column, Entity, PrimaryColumn } from 'typeorm';
import { FirmForeignKey, SettingsRevision } from '#cairn/shared/database';

@ObjectType({ description: 'When the firm’s coaches get their progress reports. Until an admin changes it, the defaults apply.' })
@Check('report_policies_period_days_check', '(period_days = ANY (ARRAY[7, 14]))')
@Check('report_policies_weekday_check', '((weekday >= 1) AND (weekday <= 7))')
@Check('report_policies_client_url_pattern_check', '((length(client_url_pattern) >= 1) AND (length(client_url_pattern) <= 500))')
@FirmForeignKey('report_policies_tenant_id_fkey')
@Entity('report_policies')
export class ReportPolicy extends SettingsRevision {
  @PrimaryColumn('uuid')
  tenantId: string;

  @Field({ description: 'Off: no reports are made or sent.' })
  @Column({ default: true })
  enabled: boolean;

  @Field(() => Int, { description: 'The day reports go out, 1 = Monday … 7 = Sunday, in each coach’s own time zone.' })
  @Column('smallint', { default: 1 })
  weekday: number;

  @Field({ description: 'The local time (HH:MM, the coach’s zone, else the firm’s) from which a report is due that day.' })
  @Column({ type: 'time', default: '08:00:00' })
  localTime: string;

  @Field(() => Int, { description: '7: weekly; 14: fortnightly. A report covers this many days before it goes out.' })
  @Column('smallint', { default: 7 })
  periodDays: number;

  @Field(() => String, {
    nullable: true,
    description:
      'Where each client’s name in a report links to in the firm’s app, e.g. `https://app.example.com/clients/{clientId}` (also `{firmSlug}`). Null: the deployment’s CLIENT_URL_PATTERN, if any.',
  })
  @Column({ type: 'text', nullable: true })
  clientUrlPattern: string | null;

  @Field({ description: 'True until an admin has changed anything.' })
  isDefault: boolean;
}

export const DEFAULT_REPORT_POLICY: Omit<ReportPolicy, 'tenantId'> = {
  enabled: true,
  weekday: 1,
  localTime: '08:00',
  periodDays: 7,
  clientUrlPattern: null,
  isDefault: true,
  version: 0,
  updatedAt: null,
};
