import type { NextFunction, Request, Response } from 'express';
import { RequestContext, RequestLifetime } from '#cairn/shared/tenancy';

const SAFE_REQUEST_ID = /^[A-Za-z0-9._-]{8,100}$/;

/**
 * Opens the per-request context before anything else runs. A caller's X-Request-Id is reused for
 * correlation when it looks sane; it never carries identity.
 */
export function requestContextMiddleware(req: Request, res: Response, next: NextFunction): void {
  const incoming = req.headers['x-request-id'];
  const requestId = typeof incoming === 'string' && SAFE_REQUEST_ID.test(incoming) ? incoming : undefined;
  // 'close' follows the last byte of the response, or the client going away: either way the request is over.
  const lifetime = new RequestLifetime();
  res.once('close', () => void lifetime.end());
  RequestContext.run(
    () => {
      res.setHeader('x-request-id', RequestContext.requestId() as string);
      next();
    },
    requestId,
    lifetime,
  );
}
