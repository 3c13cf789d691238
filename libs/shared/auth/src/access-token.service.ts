import { Injectable } from '@nestjs/common';
import jwt from 'jsonwebtoken';
import { AppConfig } from '#cairn/shared/config';
import { AccessTokenClaims, SupporterTokenClaims } from './principal.js';
import { TokenKeys } from './token-keys.js';

export const JWT_ISSUER = 'cairn';
export const JWT_AUDIENCE = 'cairn-api';

export interface IssuedAccessToken {
  token: string;
  expiresAt: Date;
}

@Injectable()
export class AccessTokenService {
  constructor(
    private readonly keys: TokenKeys,
    private readonly config: AppConfig,
  ) {}

  issue(claims: Omit<AccessTokenClaims, 'typ' | 'exp' | 'iat'>): Promise<IssuedAccessToken> {
    return Promise.resolve(this.sign({ ...claims, typ: 'access' }));
  }

  /** A supporter's access token: its own `typ`, so nothing made for people accepts it. */
  issueSupporter(claims: Omit<SupporterTokenClaims, 'typ' | 'exp' | 'iat'>): Promise<IssuedAccessToken> {
    return Promise.resolve(this.sign({ ...claims, typ: 'supporter' }));
  }

  /** The claims of a token this API signed (with a key still configured) and that has not expired; throws otherwise. */
  verify(token: string): Promise<AccessTokenClaims> {
    const key = this.keys.verificationKey(token);
    if (!key) return Promise.reject(new jwt.JsonWebTokenError('Token signed by an unknown key'));
    try {
      return Promise.resolve(
        jwt.verify(token, key, {
          issuer: JWT_ISSUER,
          audience: JWT_AUDIENCE,
          algorithms: [this.keys.algorithm],
        }) as AccessTokenClaims,
      );
    } catch (error) {
      return Promise.reject(error as Error);
    }
  }

  private sign(payload: object): IssuedAccessToken {
    const ttl = this.config.JWT_ACCESS_TTL_SECONDS;
    const token = this.keys.sign(payload, { expiresIn: ttl, issuer: JWT_ISSUER, audience: JWT_AUDIENCE });
    return { token, expiresAt: new Date(Date.now() + ttl * 1000) };
  }
}
