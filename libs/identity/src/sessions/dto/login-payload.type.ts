import { Field, ObjectType } from '@nestjs/graphql';
import { User } from '../../users/user.entity.js';

/**
 * What `login` answers: a session, or, when the person has MFA on (or the firm requires it), no session yet and
 * a challenge token for `completeMfaLogin`. The session fields are null exactly when `mfaRequired` is true.
 */
@ObjectType()
export class LoginPayload {
  @Field({ nullable: true, description: 'Send as `Authorization: Bearer <token>`. Null when `mfaRequired`.' })
  accessToken?: string;

  @Field({ nullable: true })
  accessTokenExpiresAt?: Date;

  @Field({ nullable: true, description: 'Exchange with `refreshSession`. Null when `mfaRequired`.' })
  refreshToken?: string;

  @Field({ nullable: true })
  refreshTokenExpiresAt?: Date;

  @Field(() => User, { nullable: true })
  user?: User;

  @Field({
    description: 'The password was right; a second factor is due: `completeMfaLogin(challengeToken, code)`.',
  })
  mfaRequired: boolean;

  @Field({
    description:
      'The firm requires MFA for this role and the person has none yet: `beginMfaEnrolmentAtSignIn`, then `completeMfaLogin` with a code.',
  })
  mfaEnrolmentRequired: boolean;

  @Field({ nullable: true, description: 'Single use, valid 5 minutes.' })
  mfaChallengeToken?: string;

  @Field({ nullable: true })
  mfaChallengeExpiresAt?: Date;
}
