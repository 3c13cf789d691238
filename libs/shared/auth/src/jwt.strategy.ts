import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { JWT_AUDIENCE, JWT_ISSUER } from './access-token.service.js';
import { ClaimsVerifier } from './claims-verifier.js';
import { Principal, TokenClaims } from './principal.js';
import { TokenKeys } from './token-keys.js';

@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    keys: TokenKeys,
    private readonly verifier: ClaimsVerifier,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      // The key the token's kid names; none (an unknown or retired kid) fails the request as an invalid token.
      // (jsonwebtoken takes a KeyObject, though passport-jwt's types say string or Buffer.)
      secretOrKeyProvider: (_req, token, done) => {
        const key = keys.verificationKey(token as string);
        if (key) done(null, key as unknown as Buffer);
        else done(new Error('Token signed by an unknown key'));
      },
      algorithms: [keys.algorithm],
      issuer: JWT_ISSUER,
      audience: JWT_AUDIENCE,
      ignoreExpiration: false,
    });
  }

  validate(claims: TokenClaims): Promise<Principal> {
    return this.verifier.verify(claims);
  }
}
