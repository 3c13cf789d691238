import { ApiScope } from './api-scope.enum.js';
import { Role } from './role.enum.js';

/** The verified caller of a request. Built only from a verified credential. */
export interface Principal {
  /** 'supporter': someone a client invited to follow shared goals; no firm user, no role (see ForSupporters). */
  kind: 'user' | 'api_key' | 'supporter';
  tenantId: string;
  userId?: string;
  role?: Role;
  apiKeyId?: string;
  /** A supporter's own id, and the one client whose shared goals they follow. Supporters only. */
  supporterId?: string;
  clientId?: string;
  /** null: unrestricted person; a list: limited to these scopes (an API key, or a token minted with one). */
  scopes: ApiScope[] | null;
}

/** Claims of our access tokens (HS256 JWT). */
export interface AccessTokenClaims {
  sub: string;
  tid: string;
  role: Role;
  typ: 'access';
  /** The login session (refresh-token family) a person's token belongs to: it dies when that session ends. */
  sid?: string;
  /** Set when a partner backend minted the token with an API key to act as a client (no session: it dies with the key). */
  act?: string;
  scp?: ApiScope[];
  exp?: number;
  iat?: number;
}

/**
 * Claims of a supporter's access token. A separate `typ`, so no check made for people ever reads one as a
 * person's token: `sub` is the supporter, `cid` the one client they follow, `sid` their supporter session.
 */
export interface SupporterTokenClaims {
  sub: string;
  tid: string;
  typ: 'supporter';
  sid: string;
  cid: string;
  exp?: number;
  iat?: number;
}

export type TokenClaims = AccessTokenClaims | SupporterTokenClaims;
