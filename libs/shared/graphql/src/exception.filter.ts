import { ArgumentsHost, Catch, HttpException, Logger } from '@nestjs/common';
import { GqlArgumentsHost, GqlExceptionFilter } from '@nestjs/graphql';
import { GraphQLError } from 'graphql';
import { TenantContextMissingError } from '#cairn/shared/tenancy';
import { AppError } from './app-error.js';
import { ErrorCode } from './error-code.js';

const HTTP_STATUS_CODES: Record<number, ErrorCode> = {
  400: ErrorCode.BAD_USER_INPUT,
  401: ErrorCode.UNAUTHENTICATED,
  403: ErrorCode.FORBIDDEN,
  404: ErrorCode.NOT_FOUND,
  409: ErrorCode.CONFLICT,
};

// Safety net for constraint violations a service did not translate itself.
const PG_ERROR_CODES: Record<string, [ErrorCode, string]> = {
  '23505': [ErrorCode.CONFLICT, 'A record with these values already exists'],
  '22P02': [ErrorCode.BAD_USER_INPUT, 'A value has an invalid format'],
  '23514': [ErrorCode.BAD_USER_INPUT, 'A value is outside its allowed range'],
  '22001': [ErrorCode.BAD_USER_INPUT, 'A value is too long'],
  '40001': [ErrorCode.CONFLICT, 'The change collided with another one; retry it'],
};

/** Turns anything a resolver throws into a GraphQL error with a stable code; internals are logged, never sent. */
export function toGraphQLError(exception: unknown, logger?: Logger): GraphQLError {
  if (exception instanceof GraphQLError) return exception;
  if (exception instanceof TenantContextMissingError) return AppError.unauthenticated(exception.message);
  if (exception instanceof HttpException) {
    const code = HTTP_STATUS_CODES[exception.getStatus()];
    if (code) return new AppError(code, exception.message);
  }
  const pgCode = (exception as { driverError?: { code?: string }; code?: string })?.driverError?.code;
  if (pgCode && PG_ERROR_CODES[pgCode]) {
    const [code, message] = PG_ERROR_CODES[pgCode];
    return new AppError(code, message);
  }
  logger?.error(exception instanceof Error ? exception : new Error(String(exception)));
  return new AppError(ErrorCode.INTERNAL_SERVER_ERROR, 'Internal server error');
}

@Catch()
export class GraphqlExceptionFilter implements GqlExceptionFilter {
  private readonly logger = new Logger('GraphQL');

  catch(exception: unknown, host: ArgumentsHost) {
    if (host.getType<string>() !== 'graphql') throw exception;
    GqlArgumentsHost.create(host);
    return toGraphQLError(exception, this.logger);
  }
}
