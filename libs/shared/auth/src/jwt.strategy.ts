import { createSecretKey } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { AppConfig } from '#cairn/shared/config';
import { AppError } from '#cairn/shared/graphql';
import { JWT_AUDIENCE, JWT_ISSUER } from './access-token.service.js';
import { AccessTokenClaims, Principal } from './principal.js';
import { PrincipalVerifier } from './principal-verifier.js';

@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    config: AppConfig,
    private readonly verifier: PrincipalVerifier,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      // A KeyObject made once: given a string, jsonwebtoken first tries (and fails) to read it as a public key
      // on every request, which costs more than checking the signature.
      secretOrKey: createSecretKey(Buffer.from(config.JWT_SECRET)) as unknown as Buffer,
      algorithms: ['HS256'],
      issuer: JWT_ISSUER,
      audience: JWT_AUDIENCE,
      ignoreExpiration: false,
    });
  }

  async validate(claims: AccessTokenClaims): Promise<Principal> {
    if (claims.typ !== 'access' || !claims.sub || !claims.tid) throw AppError.unauthenticated('Invalid access token');
    return this.verifier.verifyAccessToken(claims);
  }
}
