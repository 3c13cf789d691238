import { Field, InputType, ObjectType } from '@nestjs/graphql';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsEnum, IsString, MaxLength, MinLength } from 'class-validator';
import { ApiScope } from '#cairn/shared/auth';
import { ApiKey } from '../api-key.entity.js';

@InputType()
export class CreateApiKeyInput {
  @Field({ description: 'What the key is for, e.g. "Mobile app backend".' })
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  name: string;

  @Field(() => [ApiScope])
  @ArrayMinSize(1, { message: 'scopes must list at least one scope' })
  @ArrayMaxSize(20)
  @ArrayUnique()
  @IsEnum(ApiScope, { each: true })
  scopes: ApiScope[];
}

@ObjectType()
export class CreatedApiKey {
  @Field(() => ApiKey)
  apiKey: ApiKey;

  @Field({ description: 'Send as the `X-Api-Key` header. Shown only now: it is stored hashed.' })
  secret: string;
}
