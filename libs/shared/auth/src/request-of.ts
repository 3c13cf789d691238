import { ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { Request } from 'express';

/** The HTTP request behind a GraphQL resolver or a controller. */
export function requestOf(context: ExecutionContext): (Request & { user?: unknown }) | undefined {
  if (context.getType<string>() === 'graphql') {
    return GqlExecutionContext.create(context).getContext<{ req?: Request }>().req;
  }
  return context.switchToHttp().getRequest<Request>();
}
