import { ArgsType, Field, ID } from '@nestjs/graphql';
import { IsEnum, IsOptional, IsUUID } from 'class-validator';
import { ConnectionArgs } from '#cairn/shared/graphql';
import { MessageKind } from '../message-kind.enum.js';

@ArgsType()
export class MessagesArgs extends ConnectionArgs {
  @Field(() => ID, { nullable: true, description: 'Only messages to this person.' })
  @IsOptional()
  @IsUUID()
  recipientId?: string | null;

  @Field(() => MessageKind, { nullable: true })
  @IsOptional()
  @IsEnum(MessageKind)
  kind?: MessageKind | null;
}
