import { Field, ID, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsBoolean, IsEnum, IsInt, IsOptional, IsString, IsUUID, Matches, MaxLength, ValidateNested } from 'class-validator';
import { ConnectionArgs, LocalDateScalar } from '#cairn/shared/graphql';
import { ArgsType } from '@nestjs/graphql';
import { WINDOW_MINUTES } from '../checkin-schedule.js';
import { CheckInStatus } from '../../occurrences/check-in.entity.js';

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
  recurrence?: string;

  @Field({
    description:
      'Local wall-clock time of the first occurrence (YYYY-MM-DDTHH:mm) in the client’s time zone; the time of a one-off.',
  })
  @Matches(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, { message: 'startsAt must look like 2027-03-05T16:00' })
  startsAt: string;

  @Field(() => LocalDateScalar, { nullable: true, description: 'Last day a recurring check-in may fire.' })
  @IsOptional()
  endsOn?: string;

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
