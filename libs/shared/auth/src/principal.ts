import { ApiScope } from './api-scope.enum.js';
import { Role } from './role.enum.js';

/** The verified caller of a request. Built only from a verified credential. */
export interface Principal {
  kind: 'user' | 'api_key';
  tenantId: string;
  userId?: string;
  role?: Role;
  apiKeyId?: string;
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
