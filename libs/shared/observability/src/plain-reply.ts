import type { Response } from 'express';

/** A short uncached plain-text answer, for routes outside GraphQL whose failures must say nothing more. */
export function plainReply(res: Response, status: number, text: string): void {
  res.status(status);
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.end(`${text}\n`);
}
