import { Field, InputType } from '@nestjs/graphql';
import { IsTimeZone } from 'class-validator';

@InputType()
export class UpdateFirmInput {
  @Field({ description: 'IANA time zone for people without one of their own; their check-in schedules follow.' })
  @IsTimeZone({ message: 'defaultTimezone must be an IANA time zone such as Europe/Berlin' })
  defaultTimezone: string;
}
