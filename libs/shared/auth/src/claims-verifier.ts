import { Injectable, Optional } from '@nestjs/common';
import { AppError } from '#cairn/shared/graphql';
import { Principal, TokenClaims } from './principal.js';
import { PrincipalVerifier, SupporterVerifier } from './principal-verifier.js';

/**
 * Routes a signed token's claims to the domain that vouches for it: people's (and actAsClient) tokens to
 * identity, supporter tokens to the supporters domain. Used by the HTTP guard and the subscription recheck alike.
 */
@Injectable()
export class ClaimsVerifier {
  constructor(
    private readonly people: PrincipalVerifier,
    @Optional() private readonly supporters?: SupporterVerifier,
  ) {}

  verify(claims: TokenClaims): Promise<Principal> {
    if (!claims.sub || !claims.tid) throw AppError.unauthenticated('Invalid access token');
    if (claims.typ === 'supporter') {
      if (!this.supporters || !claims.sid || !claims.cid) throw AppError.unauthenticated('Invalid access token');
      return this.supporters.verifySupporterToken(claims);
    }
    if (claims.typ !== 'access') throw AppError.unauthenticated('Invalid access token');
    return this.people.verifyAccessToken(claims);
  }
}
