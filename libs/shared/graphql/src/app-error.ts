import { GraphQLError } from 'graphql';
import { ErrorCode } from './error-code.js';

export interface FieldProblem {
  field: string;
  messages: string[];
}

/** A failure the client caused or may handle: message and `extensions.code` go to the client as they are. */
export class AppError extends GraphQLError {
  constructor(
    readonly code: ErrorCode,
    message: string,
    extensions: Record<string, unknown> = {},
  ) {
    super(message, { extensions: { ...extensions, code } });
    this.name = 'AppError';
  }

  static badInput(message: string, fields?: FieldProblem[]): AppError {
    return new AppError(ErrorCode.BAD_USER_INPUT, message, fields ? { fields } : {});
  }
  static unauthenticated(message = 'Authentication required'): AppError {
    return new AppError(ErrorCode.UNAUTHENTICATED, message);
  }
  static forbidden(message = 'You are not allowed to do this'): AppError {
    return new AppError(ErrorCode.FORBIDDEN, message);
  }
  /** Also used for rows of another tenant or out of the caller's reach, so existence never leaks. */
  static notFound(entity: string): AppError {
    return new AppError(ErrorCode.NOT_FOUND, `${entity} not found`);
  }
  static conflict(message: string): AppError {
    return new AppError(ErrorCode.CONFLICT, message);
  }
}
