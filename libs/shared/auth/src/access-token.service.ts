import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { AppConfig } from '#cairn/shared/config';
import { AccessTokenClaims, SupporterTokenClaims } from './principal.js';

export const JWT_ISSUER = 'cairn';
export const JWT_AUDIENCE = 'cairn-api';

export interface IssuedAccessToken {
  token: string;
  expiresAt: Date;
}

@Injectable()
export class AccessTokenService {
  constructor(
    private readonly jwt: JwtService,
    private readonly config: AppConfig,
  ) {}

  async issue(claims: Omit<AccessTokenClaims, 'typ' | 'exp' | 'iat'>): Promise<IssuedAccessToken> {
    const ttl = this.config.JWT_ACCESS_TTL_SECONDS;
    const token = await this.jwt.signAsync(
      { ...claims, typ: 'access' },
      { expiresIn: ttl, issuer: JWT_ISSUER, audience: JWT_AUDIENCE, algorithm: 'HS256' },
    );
    return { token, expiresAt: new Date(Date.now() + ttl * 1000) };
  }

  /** A supporter's access token: its own `typ`, so nothing made for people accepts it. */
  async issueSupporter(claims: Omit<SupporterTokenClaims, 'typ' | 'exp' | 'iat'>): Promise<IssuedAccessToken> {
    const ttl = this.config.JWT_ACCESS_TTL_SECONDS;
    const token = await this.jwt.signAsync(
      { ...claims, typ: 'supporter' },
      { expiresIn: ttl, issuer: JWT_ISSUER, audience: JWT_AUDIENCE, algorithm: 'HS256' },
    );
    return { token, expiresAt: new Date(Date.now() + ttl * 1000) };
  }

  /** The claims of a token this API signed and that has not expired; throws otherwise. */
  verify(token: string): Promise<AccessTokenClaims> {
    return this.jwt.verifyAsync<AccessTokenClaims>(token, {
      issuer: JWT_ISSUER,
      audience: JWT_AUDIENCE,
      algorithms: ['HS256'],
    });
  }
}
