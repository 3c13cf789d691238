import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { AppError } from '#cairn/shared/graphql';
import { RequestContext } from '#cairn/shared/tenancy';
import { scopeName } from './api-scope.enum.js';
import { API_KEY_HEADER } from './api-key.strategy.js';
import { OperationPolicy, policyOf } from './operation-policy.js';
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
 * Global guard: every operation needs a verified credential unless its policy is public. The credential sets
 * the request's tenant (the only place a tenant is ever established), then the operation's declared policy
 * (policyOf) is enforced. An operation without a declared policy is refused: fail closed.
 */
@Injectable()
export class CredentialGuard implements CanActivate {
  private readonly jwtGuard = new JwtGuard();
  private readonly apiKeyGuard = new ApiKeyGuard();

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const policy = policyOf(context.getHandler(), context.getClass());
    if (policy?.public) return true;

    const req = requestOf(context);
    if (!req) throw AppError.unauthenticated();
    const guard = req.headers[API_KEY_HEADER] !== undefined ? this.apiKeyGuard : this.jwtGuard;
    await guard.canActivate(context);
    const principal = req.user as Principal;
    RequestContext.setActor({ tenantId: principal.tenantId, userId: principal.userId, apiKeyId: principal.apiKeyId });

    authorize(principal, policy);
    return true;
  }
}

export function authorize(principal: Principal, policy: OperationPolicy | undefined): void {
  if (!policy) throw AppError.forbidden('This operation declares no access policy');
  // A supporter reaches only what is declared for supporters; nothing else a client may call.
  if (principal.kind === 'supporter') {
    if (!policy.supporters) throw AppError.forbidden('This operation cannot be called with a supporter token');
    return;
  }
  if (principal.kind === 'api_key' && (!policy.scopes || policy.self)) {
    throw AppError.forbidden('This operation cannot be called with an API key');
  }
  if (principal.kind === 'user' && policy.roles && !policy.roles.includes(principal.role as Role)) {
    throw AppError.forbidden(`This operation requires the role ${policy.roles.join(' or ')}`);
  }
  // API keys and the actAsClient tokens minted with one: only what the operation grants to their scopes.
  if (principal.scopes) {
    if (!policy.scopes) throw AppError.forbidden('This operation cannot be called with an API key or a token minted with one');
    const missing = policy.scopes.filter((s) => !principal.scopes?.includes(s));
    if (missing.length > 0) throw AppError.forbidden(`Missing scope: ${missing.map(scopeName).join(', ')}`);
  }
}
