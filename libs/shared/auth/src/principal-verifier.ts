import { AccessTokenClaims, Principal, SupporterTokenClaims } from './principal.js';

/**
 * Implemented by the identity domain: turns a cryptographically valid credential into a principal, after
 * checking it is still good (user active, API key not revoked). Throws AppError UNAUTHENTICATED otherwise.
 */
export abstract class PrincipalVerifier {
  abstract verifyAccessToken(claims: AccessTokenClaims): Promise<Principal>;
  abstract verifyApiKey(rawKey: string): Promise<Principal>;
}

/**
 * Implemented by the supporters domain: a supporter token's session is still open, the supporter not revoked,
 * the firm still allows supporters. Throws AppError UNAUTHENTICATED otherwise. Optional: without a binding,
 * every supporter token is refused.
 */
export abstract class SupporterVerifier {
  abstract verifySupporterToken(claims: SupporterTokenClaims): Promise<Principal>;
}
