import { Field, ObjectType } from '@nestjs/graphql';
import { User } from '../../users/user.entity.js';

@ObjectType({ description: 'A fresh session: a short-lived access token and a rotating refresh token.' })
export class AuthPayload {
  @Field({ description: 'Send as `Authorization: Bearer <token>`.' })
  accessToken: string;

  @Field()
  accessTokenExpiresAt: Date;

  @Field({ description: 'Exchange with `refreshSession` for a new pair; each refresh token works once.' })
  refreshToken: string;

  @Field()
  refreshTokenExpiresAt: Date;

  @Field(() => User)
  user: User;
}

@ObjectType({ description: 'A short-lived access token without a refresh token.' })
export class AccessTokenPayload {
  @Field()
  accessToken: string;

  @Field()
  expiresAt: Date;
}
