import { HttpException, HttpStatus } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

export const GRAPHQL_PATH = '/graphql';

/**
 * GraphQL over HTTP is GET or POST with a JSON body. Anything else at /graphql is refused here with the right
 * status (405, 415) and answered as JSON by the exception filter, rather than reaching Apollo as a 400.
 * WebSocket upgrades never pass through Express, so subscriptions are unaffected.
 */
export function graphqlHttpGuard(req: Request, _res: Response, next: NextFunction): void {
  if (req.path !== GRAPHQL_PATH) return next();
  if (req.method !== 'GET' && req.method !== 'POST') {
    return next(
      new HttpException(
        `${req.method} is not supported; use POST (or GET for queries)`,
        HttpStatus.METHOD_NOT_ALLOWED,
      ),
    );
  }
  if (req.method === 'POST' && !req.is('application/json')) {
    return next(
      new HttpException(
        'The request body must be JSON (content-type: application/json)',
        HttpStatus.UNSUPPORTED_MEDIA_TYPE,
      ),
    );
  }
  next();
}
