import { Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { IsEnum, IsInt, IsOptional, IsString, IsUUID, MinLength, MaxLength, Min } from 'class-validator';
import { Goal, GoalHorizon } from '#cairn/goals';
import { LocalDateScalar } from '#cairn/shared/graphql';
import { DevelopmentItem } from '../development-item.entity.js';
import { ITEM_TITLE_MAX } from './add-development-item.input.js';

@InputType()
export class ConvertDevelopmentItemToGoalInput {
  @Field(() => ID)
  @IsUUID()
  itemId: string;

  @Field(() => GoalHorizon)
  @IsEnum(GoalHorizon)
  horizon: GoalHorizon;

  @Field(() => ID, { nullable: true, description: 'The goal the new one supports; the same rules as createGoal’s parentId.' })
  @IsOptional()
  @IsUUID()
  parentId?: string;

  @Field(() => LocalDateScalar, { nullable: true })
  @IsOptional()
  targetDate?: string;

  @Field({ nullable: true, description: `The goal's title, 1 to ${ITEM_TITLE_MAX} characters; default the item's.` })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(ITEM_TITLE_MAX)
  title?: string;

  @Field(() => Int, { nullable: true, description: 'The item `version` you read, if you want a CONFLICT when it moved.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  expectedVersion?: number;
}

@ObjectType()
export class DevelopmentItemConversion {
  @Field(() => DevelopmentItem, { description: 'The item, now CONVERTED and linked to the goal.' })
  item: DevelopmentItem;

  @Field(() => Goal, { description: 'The new DRAFT goal.' })
  goal: Goal;
}
