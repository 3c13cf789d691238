import { ArgumentsHost, Catch, HttpException, Logger } from '@nestjs/common';
import { GqlArgumentsHost, GqlExceptionFilter } from '@nestjs/graphql';
import type { Response } from 'express';
import { GraphQLError } from 'graphql';
import { RequestContext, TenantContextMissingError } from '#cairn/shared/tenancy';
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

// Outside GraphQL a 400 means the request itself could not be read, not that an argument was wrong.
const PLAIN_HTTP_CODES: Record<number, ErrorCode> = {
  ...HTTP_STATUS_CODES,
  400: ErrorCode.BAD_REQUEST,
  405: ErrorCode.METHOD_NOT_ALLOWED,
  413: ErrorCode.PAYLOAD_TOO_LARGE,
  415: ErrorCode.UNSUPPORTED_MEDIA_TYPE,
  429: ErrorCode.RATE_LIMITED,
};

// An AppError thrown on an HTTP route (e.g. by the input validation pipe on a path parameter).
const APP_ERROR_STATUS: Partial<Record<string, number>> = Object.fromEntries(
  Object.entries(HTTP_STATUS_CODES).map(([status, code]) => [code, Number(status)]),
);

export interface HttpErrorReply {
  status: number;
  body: { errors: [{ message: string; extensions: { code: ErrorCode } }] };
}

/**
 * The JSON answer to a request that failed outside GraphQL (malformed JSON, body too large, unknown route, bad
 * percent-encoding…), shaped like a GraphQL error so clients parse one format. Anything that is not a 4xx
 * HttpException is a 500 whose details stay in the log.
 */
export function httpErrorReply(exception: unknown): HttpErrorReply {
  const reply = (status: number, code: ErrorCode, message: string): HttpErrorReply => ({
    status,
    body: { errors: [{ message, extensions: { code } }] },
  });
  const appStatus = exception instanceof AppError ? APP_ERROR_STATUS[exception.code] : undefined;
  if (appStatus) return reply(appStatus, (exception as AppError).code, (exception as AppError).message);
  const status = exception instanceof HttpException ? exception.getStatus() : 500;
  if (status < 400 || status >= 500)
    return reply(500, ErrorCode.INTERNAL_SERVER_ERROR, 'Internal server error');
  return reply(
    status,
    PLAIN_HTTP_CODES[status] ?? ErrorCode.BAD_REQUEST,
    (exception as HttpException).message,
  );
}

/**
 * The one global exception filter: GraphQL errors get a stable code, and every other HTTP error is answered
 * as JSON by httpErrorReply. Without the HTTP branch Express's default handler would answer an HTML page with
 * the stack and file paths and print the raw stack to stderr.
 */
@Catch()
export class ApiExceptionFilter implements GqlExceptionFilter {
  private readonly logger = new Logger('GraphQL');
  private readonly httpLogger = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost) {
    if (host.getType<string>() === 'graphql') {
      GqlArgumentsHost.create(host);
      return toGraphQLError(exception, this.logger);
    }
    const res = host.switchToHttp().getResponse<Response>();
    const reply = httpErrorReply(exception);
    const { message, extensions } = reply.body.errors[0];
    // One structured line with the request id (body-parser errors come before the HTTP logger has the request);
    // the stack, as one JSON string, only for our own faults.
    const line = { requestId: RequestContext.requestId(), status: reply.status, code: extensions.code };
    if (reply.status >= 500) this.httpLogger.error({ ...line, err: exception }, 'HTTP request failed');
    else this.httpLogger.warn({ ...line, reason: message }, 'HTTP request refused');
    if (res.headersSent) {
      res.end();
      return;
    }
    res.status(reply.status).setHeader('Cache-Control', 'no-store').json(reply.body);
  }
}
