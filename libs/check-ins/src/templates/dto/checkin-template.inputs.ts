import { ArgsType, Field, ID, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsBoolean, IsInt, IsOptional, IsString, IsUUID, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { ConnectionArgs } from '#cairn/shared/graphql';
import { CheckInPromptInput, PROMPT_LIMITS } from '../checkin-prompt.model.js';

@InputType()
export class CreateCheckInTemplateInput {
  @Field({ description: '1 to 120 characters.' })
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  name: string;

  @Field({ nullable: true, description: 'Up to 1000 characters.' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  description?: string;

  @Field(() => [CheckInPromptInput], { description: `1 to ${PROMPT_LIMITS.prompts} prompts, in the order shown.` })
  @ValidateNested({ each: true })
  @ArrayMaxSize(PROMPT_LIMITS.prompts)
  @Type(() => CheckInPromptInput)
  prompts: CheckInPromptInput[];
}

@InputType({
  description:
    'Name and description change in place; new prompts make a new version, and check-ins already sent keep theirs.',
})
export class UpdateCheckInTemplateInput {
  @Field(() => ID)
  @IsUUID()
  id: string;

  @Field(() => Int, { description: 'The `currentVersion` you read; another one is a CONFLICT.' })
  @IsInt()
  @Min(1)
  expectedVersion: number;

  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  name?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  description?: string | null;

  @Field(() => [CheckInPromptInput], { nullable: true })
  @IsOptional()
  @ValidateNested({ each: true })
  @ArrayMaxSize(PROMPT_LIMITS.prompts)
  @Type(() => CheckInPromptInput)
  prompts?: CheckInPromptInput[];
}

@ArgsType()
export class CheckInTemplatesArgs extends ConnectionArgs {
  @Field({ defaultValue: false })
  @IsOptional()
  @IsBoolean()
  includeArchived: boolean = false;
}
