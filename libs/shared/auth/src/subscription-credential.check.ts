import { Injectable } from '@nestjs/common';
import { AppError, ErrorCode, SubscriptionCredentialCheck, type WsRequest } from '#cairn/shared/graphql';
import { AccessTokenService } from './access-token.service.js';
import { API_KEY_HEADER } from './api-key.strategy.js';
import { ClaimsVerifier } from './claims-verifier.js';
import type { TokenClaims } from './principal.js';
import { PrincipalVerifier } from './principal-verifier.js';

/**
 * Verifies an open subscription socket's credential again, as the guard did when it subscribed: a logged-out
 * session, a deactivated person or a revoked API key ends the socket. Only a refusal of the credential counts;
 * a failing database keeps the socket (the next check decides).
 */
@Injectable()
export class CredentialRecheck extends SubscriptionCredentialCheck {
  constructor(
    private readonly verifier: PrincipalVerifier,
    private readonly accessTokens: AccessTokenService,
    private readonly claims: ClaimsVerifier,
  ) {
    super();
  }

  async stillValid(req: WsRequest): Promise<boolean> {
    try {
      const apiKey = req.headers[API_KEY_HEADER];
      if (apiKey !== undefined) {
        await this.verifier.verifyApiKey(apiKey);
      } else {
        const token = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? '';
        await this.claims.verify((await this.accessTokens.verify(token)) as TokenClaims);
      }
      return true;
    } catch (error) {
      return error instanceof AppError ? error.code !== ErrorCode.UNAUTHENTICATED : !isJwtError(error);
    }
  }
}

const isJwtError = (error: unknown) =>
  error instanceof Error && ['JsonWebTokenError', 'TokenExpiredError', 'NotBeforeError'].includes(error.name);
