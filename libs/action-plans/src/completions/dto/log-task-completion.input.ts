import { Field, ID, InputType, Int } from '@nestjs/graphql';
import { IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { LocalDateScalar } from '#cairn/shared/graphql';

@InputType()
export class LogTaskCompletionInput {
  @Field(() => ID)
  @IsUUID()
  taskId: string;

  @Field(() => LocalDateScalar, {
    nullable: true,
    description:
      'Recurring tasks: the occurrence (a date of the rule, not after today). Leave out for one-off tasks.',
  })
  @IsOptional()
  occurrenceOn?: string | null;

  @Field(() => Int, { defaultValue: 1, description: 'How many times it was done, 1–100.' })
  @IsInt()
  @Min(1)
  @Max(100)
  count: number = 1;

  @Field(() => String, { nullable: true, description: 'Up to 500 characters.' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  note?: string | null;
}
