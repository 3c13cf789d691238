import { ArgsType, Field, ID } from '@nestjs/graphql';
import { IsUUID } from 'class-validator';
import { ConnectionArgs } from '#cairn/shared/graphql';

@ArgsType()
export class CareerPathsArgs extends ConnectionArgs {
  @Field(() => ID)
  @IsUUID()
  clientId: string;
}
