import { ArgsType, Field, ID } from '@nestjs/graphql';
import { IsBoolean, IsEnum, IsOptional, IsUUID } from 'class-validator';
import { ConnectionArgs } from '#cairn/shared/graphql';
import { GoalHorizon, GoalStatus } from '../goal.enums.js';

@ArgsType()
export class GoalsArgs extends ConnectionArgs {
  @Field(() => ID, {
    nullable: true,
    description: 'Only this client’s goals (NOT_FOUND when out of your reach).',
  })
  @IsOptional()
  @IsUUID()
  clientId?: string;

  @Field(() => GoalStatus, { nullable: true })
  @IsOptional()
  @IsEnum(GoalStatus)
  status?: GoalStatus;

  @Field(() => GoalHorizon, { nullable: true })
  @IsOptional()
  @IsEnum(GoalHorizon)
  horizon?: GoalHorizon;

  @Field(() => ID, { nullable: true, description: 'Only the direct children of this goal.' })
  @IsOptional()
  @IsUUID()
  parentId?: string;

  @Field({ defaultValue: false, description: 'Only goals without a parent (the tops of the trees).' })
  @IsOptional()
  @IsBoolean()
  rootsOnly: boolean = false;
}
