import { Field, ID, InputType, Int } from '@nestjs/graphql';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { LocalDateScalar } from '#cairn/shared/graphql';

export const MAX_DEPENDENCIES = 20;

@InputType()
export class CreateActionTaskInput {
  @Field(() => ID)
  @IsUUID()
  goalId: string;

  @Field({ description: 'Up to 200 characters.' })
  @IsString()
  @Length(1, 200)
  title: string;

  @Field(() => String, { nullable: true, description: 'Up to 2000 characters.' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  notes?: string | null;

  @Field(() => LocalDateScalar, {
    nullable: true,
    description:
      'When to begin (lead time), in the client’s time zone; default today; at most one year back.',
  })
  @IsOptional()
  startDate?: string;

  @Field(() => LocalDateScalar, {
    nullable: true,
    description:
      'Required for a one-off task; for a recurring task the last day an occurrence may fall on. Not before today ' +
      'or startDate, at most ten years ahead.',
  })
  @IsOptional()
  dueDate?: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      'iCalendar RRULE (RFC 5545) in the client’s time zone, starting on startDate: FREQ=DAILY, WEEKLY, MONTHLY or ' +
      'YEARLY with INTERVAL, COUNT (≤ 1000), UNTIL, BYDAY, BYMONTHDAY, BYMONTH, BYSETPOS, BYWEEKNO, BYYEARDAY, WKST. ' +
      'Up to 500 characters. Example: FREQ=WEEKLY;BYDAY=MO.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  recurrence?: string | null;

  @Field(() => Int, {
    defaultValue: 1,
    description: 'Times per occurrence (1–100): "three people every day" is 3.',
  })
  @IsInt()
  @Min(1)
  @Max(100)
  countTarget: number = 1;

  @Field(() => [ID], {
    nullable: true,
    description: `Tasks of the same client that must be DONE or CANCELLED before this one can be DONE (at most ${MAX_DEPENDENCIES}).`,
  })
  @IsOptional()
  @ArrayMaxSize(MAX_DEPENDENCIES)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  dependsOnIds?: string[];
}
