import { Field, ID, InputType, Int, OmitType, PartialType } from '@nestjs/graphql';
import { IsEnum, IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { LocalDateScalar } from '#cairn/shared/graphql';
import { TaskStatus } from '../action-task.entity.js';
import { CreateActionTaskInput } from './create-action-task.input.js';

/**
 * createActionTask's fields, each optional (null passes validation, as before: the service keeps the title and
 * start date, and clears notes, dueDate and recurrence). countTarget is declared below: the create input
 * initialises it to 1, which a mapped type would copy into every edit.
 */
const TaskChanges = PartialType(OmitType(CreateActionTaskInput, ['goalId', 'countTarget'] as const));

/** Omitted fields stay as they are; `null` clears notes, dueDate (recurring tasks) and recurrence. */
@InputType()
export class UpdateActionTaskInput extends TaskChanges {
  @Field(() => ID)
  @IsUUID()
  id: string;

  @Field(() => Int, { description: 'The version you read; a stale one is CONFLICT.' })
  @IsInt()
  @Min(1)
  expectedVersion: number;

  @Field(() => TaskStatus, {
    nullable: true,
    description: 'DONE needs every dependency DONE or CANCELLED (CONFLICT otherwise).',
  })
  @IsOptional()
  @IsEnum(TaskStatus)
  status?: TaskStatus;

  @Field(() => Int, { nullable: true, description: '1–100.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  countTarget?: number;

  // Descriptions that differ from createActionTask's (the rules of a change, not of a creation).
  @Field(() => LocalDateScalar, { nullable: true })
  override startDate?: string;

  @Field(() => LocalDateScalar, { nullable: true, description: 'A changed due date may not be in the past.' })
  override dueDate?: string | null;

  @Field(() => String, { nullable: true, description: 'As in createActionTask; null makes the task one-off.' })
  override recurrence?: string | null;

  @Field(() => [ID], { nullable: true, description: 'Replaces the whole set of dependencies.' })
  override dependsOnIds?: string[];
}
