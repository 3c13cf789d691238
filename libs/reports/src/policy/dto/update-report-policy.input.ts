import { Field, InputType, Int } from '@nestjs/graphql';
import { IsBoolean, IsIn, IsInt, IsOptional, Matches, Max, Min, ValidateIf } from 'class-validator';
import { IsUrlPattern } from '#cairn/shared/templates';
import { PERIOD_DAYS } from '../../content/report-schedule.js';

const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;

@InputType({ description: 'Only the fields given change; the next report run uses them.' })
export class UpdateReportPolicyInput {
  @Field({ nullable: true })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;

  @Field(() => Int, { nullable: true, description: '1 (Monday) to 7 (Sunday).' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(7)
  weekday?: number;

  @Field({ nullable: true, description: 'HH:MM, 24-hour.' })
  @IsOptional()
  @Matches(HH_MM, { message: 'localTime must be HH:MM (24-hour)' })
  localTime?: string;

  @Field(() => Int, { nullable: true, description: '7 (weekly) or 14 (fortnightly).' })
  @IsOptional()
  @IsInt()
  @IsIn([...PERIOD_DAYS], { message: 'periodDays must be 7 (weekly) or 14 (fortnightly)' })
  periodDays?: number;

  @Field({
    nullable: true,
    description:
      'An http(s) URL with `{clientId}` (and optionally `{firmSlug}`): where reports link each client. An empty string goes back to the deployment’s CLIENT_URL_PATTERN.',
  })
  @IsOptional()
  @ValidateIf((input: UpdateReportPolicyInput) => input.clientUrlPattern !== '')
  @IsUrlPattern(['clientId'], ['firmSlug'])
  clientUrlPattern?: string;
}
