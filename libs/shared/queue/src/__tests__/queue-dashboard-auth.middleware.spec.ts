import { describe, expect, it } from '@jest/globals';
import type { Request, Response } from 'express';
import { queueDashboardAuth } from '../queue-dashboard-auth.middleware.js';

const PASSWORD = 'dashboard:password-with-a-colon';
const basic = (credentials: string) => `Basic ${Buffer.from(credentials, 'utf8').toString('base64')}`;

/** Runs the middleware on a request with the given Authorization header: 'next' when it let it through. */
function answer(authorization: string | undefined) {
  const headers: Record<string, string> = {};
  let status: number | undefined;
  let passed = false;
  const res = {
    status(code: number) {
      status = code;
      return res;
    },
    setHeader(name: string, value: string) {
      headers[name.toLowerCase()] = value;
      return res;
    },
    json: () => res,
  };
  queueDashboardAuth(PASSWORD)(
    { headers: authorization === undefined ? {} : { authorization } } as Request,
    res as unknown as Response,
    () => {
      passed = true;
    },
  );
  return passed ? 'next' : { status, challenge: headers['www-authenticate'] };
}

const refused = { status: 401, challenge: 'Basic realm="Cairn queues"' };

describe('queueDashboardAuth', () => {
  it('lets through Basic credentials with the password, whatever the username and scheme case', () => {
    expect(answer(basic(`operator:${PASSWORD}`))).toBe('next');
    expect(answer(basic(`:${PASSWORD}`))).toBe('next');
    expect(answer(basic(`someone else:${PASSWORD}`))).toBe('next');
    expect(answer(basic(`operator:${PASSWORD}`).replace('Basic', 'basic'))).toBe('next');
  });

  it('answers 401 with a Basic challenge to anything else', () => {
    for (const authorization of [
      undefined,
      '',
      'Basic',
      'Basic ',
      'Basic !!!',
      basic(PASSWORD),
      basic(`operator:${PASSWORD}x`),
      basic(`operator:${PASSWORD.slice(0, -1)}`),
      basic(`${PASSWORD}:`),
      `${basic(`operator:${PASSWORD}`)} extra`,
      `Bearer ${PASSWORD}`,
      `Bearer ${Buffer.from(`operator:${PASSWORD}`).toString('base64')}`,
      PASSWORD,
    ]) {
      expect({ authorization, answer: answer(authorization) }).toEqual({ authorization, answer: refused });
    }
  });
});
