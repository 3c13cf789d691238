import { DynamicModule, Global, Module, Type } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { SubscriptionCredentialCheck } from '#cairn/shared/graphql';
import { AccessTokenService } from './access-token.service.js';
import { ClaimsVerifier } from './claims-verifier.js';
import { ApiKeyStrategy } from './api-key.strategy.js';
import { CredentialGuard } from './credential.guard.js';
import { JwtStrategy } from './jwt.strategy.js';
import { PasswordHasher } from './password-hasher.js';
import { TokenKeys } from './token-keys.js';
import { CredentialRecheck } from './subscription-credential.check.js';

/** Token signing and password hashing; no knowledge of where users live. */
@Global()
@Module({
  providers: [TokenKeys, AccessTokenService, PasswordHasher],
  exports: [TokenKeys, AccessTokenService, PasswordHasher],
})
export class AuthModule {}

/**
 * Installs the global credential guard. `verifierModule` must export a PrincipalVerifier (the identity
 * domain does), which keeps this shared library free of domain imports; a further module may export a
 * SupporterVerifier (the supporters domain does), else supporter tokens are refused.
 */
@Module({})
export class CredentialGuardModule {
  static register(verifierModule: Type, ...moreVerifierModules: Type[]): DynamicModule {
    return {
      module: CredentialGuardModule,
      imports: [PassportModule, verifierModule, ...moreVerifierModules],
      providers: [
        ClaimsVerifier,
        JwtStrategy,
        ApiKeyStrategy,
        { provide: APP_GUARD, useClass: CredentialGuard },
        { provide: SubscriptionCredentialCheck, useClass: CredentialRecheck },
      ],
    };
  }
}
