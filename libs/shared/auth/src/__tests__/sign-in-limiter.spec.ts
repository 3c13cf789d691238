import { afterAll, describe, expect, it } from '@jest/globals';
import { loadConfig } from '#cairn/shared/config';
import { SignInLimiter } from '../sign-in-limiter.js';

// Nothing listens on port 1: every Redis command fails at once, as during an outage.
const limiter = new SignInLimiter(
  loadConfig({
    DATABASE_URL: 'postgres://unused',
    JWT_SECRET: 'x'.repeat(32),
    REDIS_URL: 'redis://127.0.0.1:1',
    SIGN_IN_LIMIT_PER_ACCOUNT: '2',
  }),
);
afterAll(() => limiter.onModuleDestroy());

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'OK',
    (e: { extensions?: { code?: string } }) => e.extensions?.code ?? String(e),
  );
const refused = () =>
  Promise.reject(Object.assign(new Error('wrong password'), { extensions: { code: 'UNAUTHENTICATED' } }));

describe('SignInLimiter with Redis down', () => {
  it('keeps limiting in memory and still lets a good attempt through', async () => {
    expect(
      await codeOf(limiter.guard('login', 'firm\nana@example.test', '10.0.0.1', async () => 'session')),
    ).toBe('OK');
    expect(await codeOf(limiter.guard('login', 'firm\nbo@example.test', '10.0.0.1', refused))).toBe(
      'UNAUTHENTICATED',
    );
    expect(await codeOf(limiter.guard('login', 'firm\nbo@example.test', '10.0.0.1', refused))).toBe(
      'UNAUTHENTICATED',
    );
    expect(
      await codeOf(limiter.guard('login', 'firm\nbo@example.test', '10.0.0.1', async () => 'session')),
    ).toBe('RATE_LIMITED');
  });
});
