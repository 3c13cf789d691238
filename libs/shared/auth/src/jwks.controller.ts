import { Controller, Get, Header, Module, NotFoundException } from '@nestjs/common';
import { Public } from './auth.decorators.js';
import { type PublicJwk, TokenKeys } from './token-keys.js';

/**
 * `GET /.well-known/jwks.json`: the public keys of Cairn's access tokens, so a partner backend verifies them
 * (issuer `cairn`, audience `cairn-api`, the key the token's `kid` names) without a shared secret. With HS256
 * there is nothing public to publish: 404.
 */
@Public()
@Controller('.well-known')
export class JwksController {
  constructor(private readonly keys: TokenKeys) {}

  @Get('jwks.json')
  // Short enough that a key added second is picked up well before it starts signing.
  @Header('Cache-Control', 'public, max-age=300')
  jwks(): { keys: PublicJwk[] } {
    if (this.keys.algorithm === 'HS256')
      throw new NotFoundException('Tokens are signed with HS256 (a shared secret): there are no public keys');
    return this.keys.publicJwks();
  }
}

@Module({ controllers: [JwksController] })
export class JwksModule {}
