import { AccessTokenClaims, Principal } from './principal.js';

/**
 * Implemented by the identity domain: turns a cryptographically valid credential into a principal, after
 * checking it is still good (user active, API key not revoked). Throws AppError UNAUTHENTICATED otherwise.
 */
export abstract class PrincipalVerifier {
  abstract verifyAccessToken(claims: AccessTokenClaims): Promise<Principal>;
  abstract verifyApiKey(rawKey: string): Promise<Principal>;
}
