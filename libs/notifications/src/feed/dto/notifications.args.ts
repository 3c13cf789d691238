import { ArgsType, Field } from '@nestjs/graphql';
import { IsBoolean, IsOptional } from 'class-validator';
import { ConnectionArgs } from '#cairn/shared/graphql';

@ArgsType()
export class NotificationsArgs extends ConnectionArgs {
  @Field({ nullable: true, defaultValue: false, description: 'Only the ones not marked read yet.' })
  @IsOptional()
  @IsBoolean()
  unreadOnly?: boolean;
}
