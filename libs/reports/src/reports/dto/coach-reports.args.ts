import { ArgsType, Field, ID } from '@nestjs/graphql';
import { IsOptional, IsUUID } from 'class-validator';
import { ConnectionArgs } from '#cairn/shared/graphql';

@ArgsType()
export class CoachReportsArgs extends ConnectionArgs {
  @Field(() => ID, {
    nullable: true,
    description: 'Whose reports. Coaches get their own (omit it, or name themselves); admins and API keys may name any coach, or omit it for all.',
  })
  @IsOptional()
  @IsUUID()
  coachId?: string | null;
}
