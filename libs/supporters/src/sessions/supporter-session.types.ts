import { Field, GraphQLISODateTime, InputType, ObjectType } from '@nestjs/graphql';
import { IsString, MaxLength, MinLength } from 'class-validator';

@ObjectType({
  description:
    'A supporter’s session: send `accessToken` as `Authorization: Bearer`; it reaches only the supporter operations.',
})
export class SupporterSession {
  @Field()
  accessToken: string;

  @Field(() => GraphQLISODateTime)
  accessTokenExpiresAt: Date;

  @Field({ description: 'Works once: `refreshSupporterSession` returns a new pair.' })
  refreshToken: string;

  @Field(() => GraphQLISODateTime)
  refreshTokenExpiresAt: Date;
}

@InputType()
export class SupporterTokenInput {
  @Field()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  token: string;
}
