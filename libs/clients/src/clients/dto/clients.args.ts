import { ArgsType, Field, ID } from '@nestjs/graphql';
import { IsBoolean, IsOptional, IsUUID } from 'class-validator';
import { ConnectionArgs } from '#cairn/shared/graphql';

@ArgsType()
export class ClientsArgs extends ConnectionArgs {
  @Field({ defaultValue: false, description: 'Include archived clients.' })
  @IsOptional()
  @IsBoolean()
  includeArchived: boolean = false;

  @Field(() => ID, { nullable: true, description: 'Only clients with an open engagement with this coach.' })
  @IsOptional()
  @IsUUID()
  coachId?: string;
}
