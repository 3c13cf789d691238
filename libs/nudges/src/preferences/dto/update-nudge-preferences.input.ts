import { Field, ID, InputType } from '@nestjs/graphql';
import { ArrayMaxSize, IsBoolean, IsEnum, IsOptional, IsUUID } from 'class-validator';
import { NudgeRule } from '../../rules/nudge-rule.enum.js';

@InputType({ description: 'Only the fields given change.' })
export class UpdateNudgePreferencesInput {
  @Field(() => ID)
  @IsUUID()
  clientId: string;

  @Field({ nullable: true })
  @IsOptional()
  @IsBoolean()
  optedOut?: boolean;

  @Field(() => [NudgeRule], { nullable: true, description: 'Replaces the muted list.' })
  @IsOptional()
  @ArrayMaxSize(20)
  @IsEnum(NudgeRule, { each: true })
  mutedRules?: NudgeRule[];

  @Field({ nullable: true })
  @IsOptional()
  @IsBoolean()
  email?: boolean;

  @Field({ nullable: true })
  @IsOptional()
  @IsBoolean()
  inApp?: boolean;
}
