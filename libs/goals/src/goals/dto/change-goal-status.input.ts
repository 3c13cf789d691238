import { Field, ID, InputType } from '@nestjs/graphql';
import { IsEnum, IsUUID } from 'class-validator';
import { GoalStatus } from '../goal.enums.js';
import { GoalEditInput } from './update-goal.input.js';

@InputType({
  description:
    'Allowed moves: DRAFT → ACTIVE | ABANDONED; ACTIVE → ON_HOLD | ACHIEVED | ABANDONED; ON_HOLD → ACTIVE | ABANDONED; ACHIEVED → ACTIVE (reopen); ABANDONED → DRAFT. Moving to ACTIVE requires the firm’s required SMART criteria.',
})
export class ChangeGoalStatusInput extends GoalEditInput {
  @Field(() => ID)
  @IsUUID()
  id: string;

  @Field(() => GoalStatus)
  @IsEnum(GoalStatus)
  status: GoalStatus;
}
