import { ArgsType, Field, ID } from '@nestjs/graphql';
import { IsUUID } from 'class-validator';
import { ConnectionArgs } from '#cairn/shared/graphql';

@ArgsType()
export class TaskCompletionsArgs extends ConnectionArgs {
  @Field(() => ID)
  @IsUUID()
  taskId: string;
}
