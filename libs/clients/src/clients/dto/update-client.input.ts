import { Field, ID, InputType, Int, PartialType, PickType } from '@nestjs/graphql';
import { IsInt, IsOptional, IsUUID, Min } from 'class-validator';
import { CreateClientInput } from './create-client.input.js';

/**
 * Omitted fields stay as they are; `null` clears an optional one. createClient's profile fields, each optional
 * (a null displayName passes validation and is ignored, as before).
 */
@InputType()
export class UpdateProfileInput extends PartialType(
  PickType(CreateClientInput, ['displayName', 'timezone', 'jobTitle', 'organization'] as const),
) {
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
