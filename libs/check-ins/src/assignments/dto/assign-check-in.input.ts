import { Field, ID, InputType, Int, PartialType, PickType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsBoolean, IsEnum, IsInt, IsOptional, IsString, IsUUID, Matches, MaxLength, ValidateNested } from 'class-validator';
import { ConnectionArgs, LocalDateScalar } from '#cairn/shared/graphql';
import { ArgsType } from '@nestjs/graphql';
import { WINDOW_MINUTES } from '../checkin-schedule.js';
import { CheckInStatus } from '../../occurrences/check-in.entity.js';

const LOCAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;
const STARTS_AT_MESSAGE = 'startsAt must look like 2027-03-05T16:00';

@InputType()
export class MeasureBindingInput {
  @Field({ description: 'A NUMBER prompt of the template marked recordsProgress.' })
  @IsString()
  @MaxLength(40)
  promptKey: string;

  @Field(() => ID, { description: 'A measure of one of the client’s goals.' })
  @IsUUID()
  measureId: string;
}

@InputType()
export class AssignCheckInInput {
  @Field(() => ID)
  @IsUUID()
  clientId: string;

  @Field(() => ID)
  @IsUUID()
  templateId: string;

  @Field(() => String, {
    nullable: true,
    description:
      'iCalendar RRULE in the client’s time zone (e.g. FREQ=WEEKLY;BYDAY=FR); omit for a one-off check-in. ' +
      'BYHOUR/BYMINUTE allowed, no sub-daily frequencies or BYSECOND; up to 500 characters.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  recurrence?: string | null;

  @Field({
    description:
      'Local wall-clock time of the first occurrence (YYYY-MM-DDTHH:mm) in the client’s time zone; the time of a one-off.',
  })
  @Matches(LOCAL_DATE_TIME, { message: STARTS_AT_MESSAGE })
  startsAt: string;

  @Field(() => LocalDateScalar, { nullable: true, description: 'Last day a recurring check-in may fire.' })
  @IsOptional()
  endsOn?: string | null;

  @Field(() => Int, {
    defaultValue: 24 * 60,
    description: `Minutes each occurrence stays open, ${WINDOW_MINUTES.min} to ${WINDOW_MINUTES.max} (default a day).`,
  })
  @IsInt()
  windowMinutes: number = 24 * 60;

  @Field(() => [ID], { nullable: true, description: 'The client’s goals this check-in is about (up to 20).' })
  @IsOptional()
  @IsUUID('all', { each: true })
  @ArrayMaxSize(20)
  goalIds?: string[];

  @Field(() => [MeasureBindingInput], { nullable: true })
  @IsOptional()
  @ValidateNested({ each: true })
  @ArrayMaxSize(30)
  @Type(() => MeasureBindingInput)
  measureBindings?: MeasureBindingInput[];

  @Field({
    defaultValue: false,
    description: 'Assign even though the client has an ACTIVE or PAUSED assignment of this template (otherwise CONFLICT).',
  })
  @IsBoolean()
  allowDuplicate: boolean = false;
}

/**
 * Omitted fields stay as they are; `endsOn: null` makes the series open-ended. assignCheckIn's schedule fields,
 * each optional; windowMinutes is declared here because AssignCheckInInput initialises it, which a mapped type
 * would copy into every edit.
 */
@InputType()
export class UpdateCheckInAssignmentInput extends PartialType(
  PickType(AssignCheckInInput, ['recurrence', 'startsAt', 'endsOn'] as const),
) {
  @Field(() => ID)
  @IsUUID()
  id: string;

  @Field(() => Int, { description: 'The `version` you read; a different current one is a CONFLICT.' })
  @IsInt()
  expectedVersion: number;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  windowMinutes?: number;

  @Field({ defaultValue: false, description: 'Check-ins not yet open move to the template’s current version.' })
  @IsBoolean()
  useCurrentTemplateVersion: boolean = false;

  // Descriptions that differ from assignCheckIn's.
  @Field(() => String, { nullable: true, description: 'New iCalendar RRULE (recurring assignments only), same rules as assigning.' })
  override recurrence?: string | null;

  @Field({ nullable: true, description: 'New local start (YYYY-MM-DDTHH:mm); its time is the time of day of every occurrence.' })
  override startsAt?: string;
}

@ArgsType()
export class CheckInsArgs extends ConnectionArgs {
  @Field(() => ID, { nullable: true, description: 'Only this client’s check-ins (clients always get their own).' })
  @IsOptional()
  @IsUUID()
  clientId?: string;

  @Field(() => CheckInStatus, { nullable: true })
  @IsOptional()
  @IsEnum(CheckInStatus)
  status?: CheckInStatus;

  @Field({ defaultValue: false, description: 'Only PENDING check-ins that are open now (what is due).' })
  @IsOptional()
  @IsBoolean()
  openNow: boolean = false;
}
