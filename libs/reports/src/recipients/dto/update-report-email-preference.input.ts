import { Field, InputType } from '@nestjs/graphql';
import { IsBoolean } from 'class-validator';

@InputType()
export class UpdateReportEmailPreferenceInput {
  @Field({ description: 'True to get report emails again, false to stop them.' })
  @IsBoolean()
  email: boolean;
}
