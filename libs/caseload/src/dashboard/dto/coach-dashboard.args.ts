import { ArgsType, Field, ID } from '@nestjs/graphql';
import { IsOptional, IsUUID } from 'class-validator';
import { ConnectionArgs } from '#cairn/shared/graphql';

@ArgsType()
export class CoachDashboardArgs extends ConnectionArgs {
  @Field(() => ID, {
    nullable: true,
    description: 'Whose caseload. Coaches get their own (omit it); admins and API keys name the coach.',
  })
  @IsOptional()
  @IsUUID()
  coachId?: string;
}
