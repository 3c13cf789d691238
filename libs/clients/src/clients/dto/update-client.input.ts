import { Field, ID, InputType, Int } from '@nestjs/graphql';
import { IsInt, IsOptional, IsString, IsUUID, MaxLength, Min, MinLength } from 'class-validator';
import { PROFILE_TEXT_MAX } from './create-client.input.js';

/** Omitted fields stay as they are; `null` clears an optional one. */
@InputType()
export class UpdateProfileInput {
  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(PROFILE_TEXT_MAX)
  displayName?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  timezone?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(PROFILE_TEXT_MAX)
  jobTitle?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(PROFILE_TEXT_MAX)
  organization?: string | null;

  @Field(() => Int, { nullable: true, description: 'The `version` you read; a different current one is a CONFLICT.' })
  @IsOptional()
  @IsInt()
  @Min(0)
  expectedVersion?: number;
}

@InputType()
export class UpdateClientInput extends UpdateProfileInput {
  @Field(() => ID)
  @IsUUID()
  id: string;
}
