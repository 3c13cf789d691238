import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiScope } from './api-scope.enum.js';
import { requestOf } from './request-of.js';
import { Role } from './role.enum.js';
import { Principal } from './principal.js';

export const IS_PUBLIC = 'cairn:public';
export const ROLES = 'cairn:roles';
export const SCOPES = 'cairn:scopes';
export const SELF = 'cairn:self';
export const SUPPORTERS = 'cairn:supporters';

/*
 * An operation's access policy is declared with these decorators on the resolver method (or its class) and
 * read only through policyOf (operation-policy.ts). An operation with none of them is refused.
 */

/** Reachable without a credential (sign-up, login, refresh, accepting an invitation). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** Signed-in people need one of these roles; `@Roles()` admits no person (API keys only). */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES, roles);

/** Any signed-in person, acting on their own record (me, updateMyProfile, their notifications…). */
export const Self = () => SetMetadata(SELF, true);

/**
 * Supporters (a client's invited boss, mentor, friend…) may call it too. Every operation without it refuses a
 * supporter token whatever else it declares: fail closed. With `@Roles()` it admits supporters only.
 */
export const ForSupporters = () => SetMetadata(SUPPORTERS, true);

/**
 * Scope-limited callers (API keys, and actAsClient tokens minted with one) need all of these scopes. An
 * operation without it is closed to them entirely. Alone, it also admits every signed-in person (the service
 * decides what each role reaches).
 */
export const RequireScopes = (...scopes: ApiScope[]) => SetMetadata(SCOPES, scopes);

export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext): Principal => {
  return requestOf(context)?.user as Principal;
});

/** The client's address as Express derives it (`trust proxy`, set from TRUST_PROXY_HOPS). */
export const ClientAddress = createParamDecorator((_data: unknown, context: ExecutionContext): string | undefined => {
  return requestOf(context)?.ip;
});
