import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiScope } from './api-scope.enum.js';
import { requestOf } from './request-of.js';
import { Role } from './role.enum.js';
import { Principal } from './principal.js';

export const IS_PUBLIC = 'cairn:public';
export const ROLES = 'cairn:roles';
export const SCOPES = 'cairn:scopes';

/** Reachable without a credential (sign-up, login, refresh, accepting an invitation). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** Signed-in users need one of these roles. Without it, any signed-in user may call. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES, roles);

/**
 * Scope-limited callers (API keys, tokens minted with one) need all of these scopes. An operation without
 * it is closed to API keys entirely.
 */
export const RequireScopes = (...scopes: ApiScope[]) => SetMetadata(SCOPES, scopes);

export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext): Principal => {
  return requestOf(context)?.user as Principal;
});
