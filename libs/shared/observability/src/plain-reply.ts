import type { Response } from 'express';

/** A short uncached plain-text answer, for the few routes browsers and calendar apps reach outside GraphQL. */
export function plainReply(res: Response, status: number, text: string): void {
  res.status(status);
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.end(`${text}\n`);
}
