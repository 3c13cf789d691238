import { Field, ID, InputType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsOptional, IsString, IsUUID, Matches, MaxLength, ValidateNested } from 'class-validator';
import { CheckInAnswerInput } from '../../answers/checkin-answer.input.js';

@InputType()
export class SubmitCheckInInput {
  @Field(() => ID)
  @IsUUID()
  checkInId: string;

  @Field(() => [CheckInAnswerInput])
  @ValidateNested({ each: true })
  @ArrayMaxSize(30)
  @Type(() => CheckInAnswerInput)
  answers: CheckInAnswerInput[];

  @Field({
    description:
      'Chosen by the caller, 8 to 100 characters (e.g. a UUID), unique per submission: a retry with the same key ' +
      'returns the first submission instead of making a second.',
  })
  @Matches(/^[A-Za-z0-9_.:-]{8,100}$/, { message: 'idempotencyKey must be 8 to 100 letters, digits or _.:-' })
  idempotencyKey: string;
}

@InputType()
export class AmendCheckInInput extends SubmitCheckInInput {
  @Field({ nullable: true, description: 'Up to 500 characters, shown with the amendment.' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}
