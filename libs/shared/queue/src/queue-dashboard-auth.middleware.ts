import type { NextFunction, Request, Response } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/** The password of `Authorization: Basic base64(user:password)`; the username is not checked. */
function basicPassword(header: string | undefined): string | undefined {
  const match = /^Basic +([A-Za-z0-9+/]+={0,2}) *$/i.exec(header ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  // RFC 7617: the user-id cannot contain a colon, the password can.
  const colon = decoded.indexOf(':');
  return colon === -1 ? undefined : decoded.slice(colon + 1);
}

/**
 * HTTP Basic auth for the queue dashboard: browsers prompt for it, and it is separate from every tenant credential
 * (a Bearer token of any kind is refused) because the queues hold jobs of all tenants. The digests make the
 * comparison take the same time whatever the length or content of the guess.
 */
export function queueDashboardAuth(password: string) {
  const expected = digest(password);
  return (req: Request, res: Response, next: NextFunction): void => {
    const presented = basicPassword(req.headers.authorization);
    if (timingSafeEqual(digest(presented ?? ''), expected) && presented !== undefined) {
      // Every firm's job data and failures: nothing on the way may keep a copy.
      res.setHeader('Cache-Control', 'no-store');
      next();
      return;
    }
    res
      .status(401)
      .setHeader('WWW-Authenticate', 'Basic realm="Cairn queues"')
      .setHeader('Cache-Control', 'no-store')
      .json({ statusCode: 401, message: 'The queue dashboard password is required' });
  };
}
