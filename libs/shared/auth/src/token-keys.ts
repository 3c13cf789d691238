import { createPublicKey, createSecretKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import jwt from 'jsonwebtoken';
import { AppConfig, DEFAULT_KEY_ID, type JwtAlgorithm } from '#cairn/shared/config';

export interface PublicJwk extends JsonWebKey {
  kid: string;
  alg: JwtAlgorithm;
  use: 'sig';
}

/**
 * The keys Cairn's tokens are signed and verified with. The first key signs and names itself in the token's `kid`
 * header; every configured key verifies the tokens that name it, so a key can be added before it signs and kept
 * after it stops, and a token naming no configured key is refused. HS256 (JWT_SECRET[S]) is one shared secret;
 * ES256 (JWT_SIGNING_KEYS) lets anyone verify with the public keys at /.well-known/jwks.json. Only the configured
 * algorithm is accepted, so a token cannot pick a weaker one.
 */
@Injectable()
export class TokenKeys {
  readonly algorithm: JwtAlgorithm;
  private readonly signingKid: string;
  private readonly keys: Map<string, { sign: KeyObject; verify: KeyObject }>;

  constructor(config: AppConfig) {
    this.algorithm = config.JWT_ALGORITHM;
    const entries =
      this.algorithm === 'ES256'
        ? config.jwtSigningKeys.map(({ kid, key }) => ({ kid, sign: key, verify: createPublicKey(key) }))
        : // KeyObjects made once: given a string, jsonwebtoken first tries (and fails) to read it as a public key on
          // every call, which costs more than checking the signature.
          config.jwtHmacKeys.map(({ kid, key }) => {
            const secret = createSecretKey(Buffer.from(key));
            return { kid, sign: secret, verify: secret };
          });
    this.signingKid = entries[0].kid;
    this.keys = new Map(entries.map(({ kid, sign, verify }) => [kid, { sign, verify }]));
  }

  sign(payload: object, options: Omit<jwt.SignOptions, 'algorithm' | 'keyid'>): string {
    return jwt.sign(payload, this.keys.get(this.signingKid)!.sign, {
      ...options,
      algorithm: this.algorithm,
      keyid: this.signingKid,
    });
  }

  /**
   * The key that verifies `token`: the one its `kid` names. A token without a kid was signed before keys had ids
   * (HS256 with JWT_SECRET alone), so it is checked with the `default` key while that is configured.
   */
  verificationKey(token: string): KeyObject | undefined {
    const header = jwt.decode(token, { complete: true })?.header;
    if (!header) return undefined;
    return this.keys.get(header.kid ?? DEFAULT_KEY_ID)?.verify;
  }

  /** The public keys (ES256 only: an HMAC secret is never published), as a JWK Set. */
  publicJwks(): { keys: PublicJwk[] } {
    if (this.algorithm === 'HS256') return { keys: [] };
    return {
      keys: [...this.keys].map(([kid, { verify }]) => ({
        ...verify.export({ format: 'jwk' }),
        kid,
        alg: this.algorithm,
        use: 'sig' as const,
      })),
    };
  }
}
