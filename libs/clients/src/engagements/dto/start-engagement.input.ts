import { Field, ID, InputType } from '@nestjs/graphql';
import { IsBoolean, IsEnum, IsIn, IsOptional, IsUUID } from 'class-validator';
import { LocalDateScalar } from '#cairn/shared/graphql';
import { EngagementStatus } from '../engagement.entity.js';

@InputType()
export class StartEngagementInput {
  @Field(() => ID)
  @IsUUID()
  clientId: string;

  @Field(() => ID)
  @IsUUID()
  coachId: string;

  @Field({ defaultValue: false, description: 'Make this coach the primary one (the client must not have another).' })
  @IsOptional()
  @IsBoolean()
  isPrimary: boolean = false;

  @Field(() => LocalDateScalar, { nullable: true, description: 'Default today in the client’s time zone.' })
  @IsOptional()
  startsOn?: string;
}

@InputType()
export class UpdateEngagementInput {
  @Field(() => ID)
  @IsUUID()
  id: string;

  @Field(() => EngagementStatus, { nullable: true, description: 'ENDED is final: start a new engagement to resume.' })
  @IsOptional()
  @IsEnum(EngagementStatus)
  @IsIn(Object.values(EngagementStatus))
  status?: EngagementStatus;

  @Field({ nullable: true })
  @IsOptional()
  @IsBoolean()
  isPrimary?: boolean;

  @Field(() => LocalDateScalar, { nullable: true, description: 'When status becomes ENDED; default today.' })
  @IsOptional()
  endsOn?: string;
}
