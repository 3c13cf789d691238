import { Field, ID, InputType, Int } from '@nestjs/graphql';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsEnum,
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
import { TaskStatus } from '../action-task.entity.js';
import { MAX_DEPENDENCIES } from './create-action-task.input.js';

/** Omitted fields stay as they are; `null` clears notes, dueDate (recurring tasks) and recurrence. */
@InputType()
export class UpdateActionTaskInput {
  @Field(() => ID)
  @IsUUID()
  id: string;

  @Field(() => Int, { description: 'The version you read; a stale one is CONFLICT.' })
  @IsInt()
  @Min(1)
  expectedVersion: number;

  @Field({ nullable: true, description: 'Up to 200 characters.' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  title?: string;

  @Field(() => String, { nullable: true, description: 'Up to 2000 characters.' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  notes?: string | null;

  @Field(() => TaskStatus, {
    nullable: true,
    description: 'DONE needs every dependency DONE or CANCELLED (CONFLICT otherwise).',
  })
  @IsOptional()
  @IsEnum(TaskStatus)
  status?: TaskStatus;

  @Field(() => LocalDateScalar, { nullable: true })
  @IsOptional()
  startDate?: string;

  @Field(() => LocalDateScalar, { nullable: true, description: 'A changed due date may not be in the past.' })
  @IsOptional()
  dueDate?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'As in createActionTask; null makes the task one-off.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  recurrence?: string | null;

  @Field(() => Int, { nullable: true, description: '1–100.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  countTarget?: number;

  @Field(() => [ID], { nullable: true, description: 'Replaces the whole set of dependencies.' })
  @IsOptional()
  @ArrayMaxSize(MAX_DEPENDENCIES)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  dependsOnIds?: string[];
}
