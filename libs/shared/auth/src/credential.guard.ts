import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { AppError } from '#cairn/shared/graphql';
import { RequestContext } from '#cairn/shared/tenancy';
import { ApiScope } from './api-scope.enum.js';
import { API_KEY_HEADER } from './api-key.strategy.js';
import { IS_PUBLIC, ROLES, SCOPES } from './auth.decorators.js';
import { Principal } from './principal.js';
import { requestOf } from './request-of.js';
import { Role } from './role.enum.js';

function passportGuard(strategy: string) {
  return class extends AuthGuard(strategy) {
    override getRequest(context: ExecutionContext) {
      return requestOf(context);
    }
    override handleRequest<T>(err: unknown, user: T, info: unknown): T {
      if (err instanceof AppError) throw err;
      if (user && !err) return user;
      const reason = (info as { name?: string; message?: string } | undefined) ?? {};
      if (reason.name === 'TokenExpiredError') throw AppError.unauthenticated('Access token has expired');
      if (reason.message === 'No auth token') throw AppError.unauthenticated('Authentication required');
      throw AppError.unauthenticated('Invalid credentials');
    }
  };
}

const JwtGuard = passportGuard('jwt');
const ApiKeyGuard = passportGuard('api-key');

/**
 * Global guard: every operation needs a verified credential unless marked @Public. The credential sets the
 * request's tenant (the only place a tenant is ever established), then roles and scopes are checked.
 */
@Injectable()
export class CredentialGuard implements CanActivate {
  private readonly jwtGuard = new JwtGuard();
  private readonly apiKeyGuard = new ApiKeyGuard();

  constructor(private readonly reflector: Reflector) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;

    const req = requestOf(context);
    if (!req) throw AppError.unauthenticated();
    const guard = req.headers[API_KEY_HEADER] !== undefined ? this.apiKeyGuard : this.jwtGuard;
    await guard.canActivate(context);
    const principal = req.user as Principal;
    RequestContext.setActor({ tenantId: principal.tenantId, userId: principal.userId, apiKeyId: principal.apiKeyId });

    authorize(
      principal,
      this.reflector.getAllAndOverride<Role[] | undefined>(ROLES, targets),
      this.reflector.getAllAndOverride<ApiScope[] | undefined>(SCOPES, targets),
    );
    return true;
  }
}

export function authorize(principal: Principal, roles: Role[] | undefined, scopes: ApiScope[] | undefined): void {
  if (principal.kind === 'api_key' && !scopes) {
    throw AppError.forbidden('This operation cannot be called with an API key');
  }
  if (principal.kind === 'user' && roles && !roles.includes(principal.role as Role)) {
    throw AppError.forbidden(`This operation requires the role ${roles.join(' or ')}`);
  }
  if (principal.scopes && scopes) {
    const missing = scopes.filter((s) => !principal.scopes?.includes(s));
    if (missing.length > 0) throw AppError.forbidden(`Missing scope: ${missing.join(', ')}`);
  }
}
