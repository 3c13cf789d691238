import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { ApiModule } from '#cairn-app/api';
import {
  addUser,
  FirmFixture,
  GqlResult,
  isolatedRedisUrl,
  redisConnectionOf,
  Session,
  signUpFirm,
  TEST_PASSWORD,
  testConfig,
} from '#cairn/shared/testing';
import { TestApi } from './support/index.js';

const LOGIN = `mutation ($input: LoginInput!) { login(input: $input) { accessToken } }`;
const ACCEPT = `mutation ($input: AcceptInvitationInput!) { acceptInvitation(input: $input) { accessToken } }`;
const REFRESH = `mutation ($t: String!) { refreshSession(input: { refreshToken: $t }) { refreshToken } }`;
const PER_ACCOUNT = 3;
const PER_ADDRESS = 6;
const WINDOW_SECONDS = 600;

let api: TestApi;
let firm: FirmFixture;

// A Redis database of its own, emptied: other suites' sign-ins from 127.0.0.1 (and earlier runs' within the
// window) would otherwise count against this suite's small per-address limit.
const REDIS_URL = isolatedRedisUrl('sign-in-limits');

beforeAll(async () => {
  const redis = new Redis({ ...redisConnectionOf(REDIS_URL), lazyConnect: true });
  await redis.connect();
  await redis.flushdb();
  redis.disconnect();
  api = await TestApi.start(
    ApiModule.forRoot(
      testConfig({
        REDIS_URL,
        SIGN_IN_LIMIT_PER_ACCOUNT: String(PER_ACCOUNT),
        SIGN_IN_LIMIT_PER_ADDRESS: String(PER_ADDRESS),
        SIGN_IN_LIMIT_WINDOW_SECONDS: String(WINDOW_SECONDS),
        TRUST_PROXY_HOPS: '1',
      }),
    ),
  );
  firm = await signUpFirm(api);
});
afterAll(() => api.close());

/** A client address of its own per test (behind one trusted proxy), so no test spends another's budget. */
const newAddress = () =>
  `10.${[...randomUUID().replace(/-/g, '').slice(0, 6).matchAll(/../g)].map((m) => parseInt(m[0], 16)).join('.')}`;

async function from(address: string, query: string, variables: Record<string, unknown>): Promise<GqlResult> {
  const res = await api.http
    .post('/graphql')
    .set('content-type', 'application/json')
    .set('x-forwarded-for', address)
    .send({ query, variables });
  return { status: res.status, data: res.body.data, errors: res.body.errors };
}

const codeOf = (result: GqlResult) => result.errors?.[0]?.extensions?.code ?? 'OK';
const login = (address: string, who: Session, password: string) =>
  from(address, LOGIN, { input: { firmSlug: firm.slug, email: who.user.email, password } });

function expectRateLimited(result: GqlResult) {
  expect(codeOf(result)).toBe('RATE_LIMITED');
  const wait = result.errors?.[0]?.extensions?.retryAfterSeconds as number;
  expect(wait).toBeGreaterThanOrEqual(1);
  expect(wait).toBeLessThanOrEqual(WINDOW_SECONDS);
  expect(result.data ?? null).toBeNull();
}

describe('sign-in limits', () => {
  it('login: after the account’s failures, even the right password is RATE_LIMITED, from any address', async () => {
    const coach = await addUser(api, firm, 'COACH');
    const address = newAddress();
    for (let i = 0; i < PER_ACCOUNT; i++)
      expect(codeOf(await login(address, coach, 'wrong password!'))).toBe('UNAUTHENTICATED');
    expectRateLimited(await login(address, coach, TEST_PASSWORD));
    expectRateLimited(await login(newAddress(), coach, TEST_PASSWORD));
  });

  it('another account from the same address is held only by the address limit', async () => {
    const [locked, other, third] = [
      await addUser(api, firm, 'COACH'),
      await addUser(api, firm, 'COACH'),
      await addUser(api, firm, 'CLIENT'),
    ];
    const address = newAddress();
    for (let i = 0; i < PER_ACCOUNT; i++) await login(address, locked, 'wrong password!');
    expectRateLimited(await login(address, locked, TEST_PASSWORD));
    // The address has spent PER_ACCOUNT + 1 of its PER_ADDRESS attempts: another account still signs in.
    expect(codeOf(await login(address, other, TEST_PASSWORD))).toBe('OK');
    // Failures of a fresh account use up the rest of the address's budget; then every account is held there.
    for (let i = 0; i < PER_ADDRESS - PER_ACCOUNT - 1; i++) {
      expect(codeOf(await login(address, other, 'wrong password!'))).toBe('UNAUTHENTICATED');
    }
    expectRateLimited(await login(address, third, TEST_PASSWORD));
    expect(codeOf(await login(newAddress(), third, TEST_PASSWORD))).toBe('OK');
  });

  it('a successful login clears the account’s failures', async () => {
    const coach = await addUser(api, firm, 'COACH');
    const address = newAddress();
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < PER_ACCOUNT - 1; i++)
        expect(codeOf(await login(address, coach, 'wrong password!'))).toBe('UNAUTHENTICATED');
      expect(codeOf(await login(address, coach, TEST_PASSWORD))).toBe('OK');
    }
  });

  it('concurrent guesses cannot slip past the limit', async () => {
    const coach = await addUser(api, firm, 'COACH');
    const address = newAddress();
    const codes = await Promise.all(
      Array.from({ length: 8 }, () => login(address, coach, 'wrong password!').then(codeOf)),
    );
    expect(codes.filter((c) => c === 'UNAUTHENTICATED')).toHaveLength(PER_ACCOUNT);
    expect(codes.filter((c) => c === 'RATE_LIMITED')).toHaveLength(8 - PER_ACCOUNT);
  });

  it('acceptInvitation: guesses at one invitation lock it, the real token included, and create nobody', async () => {
    const email = `late-${randomUUID().slice(0, 8)}@${firm.slug}.test`;
    const invited = await api.ok<{ inviteUser: { token: string } }>(
      `mutation ($input: InviteUserInput!) { inviteUser(input: $input) { token } }`,
      { input: { email, displayName: 'Late Invitee', role: 'COACH' } },
      { token: firm.admin.accessToken },
    );
    const token = invited.inviteUser.token;
    const guess = `${token.slice(0, -4)}${token.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
    const address = newAddress();
    for (let i = 0; i < PER_ACCOUNT; i++) {
      expect(codeOf(await from(address, ACCEPT, { input: { token: guess, password: TEST_PASSWORD } }))).toBe(
        'UNAUTHENTICATED',
      );
    }
    expectRateLimited(await from(newAddress(), ACCEPT, { input: { token, password: TEST_PASSWORD } }));
    const [row] = await api.dataSource.query(`SELECT count(*)::int AS n FROM users WHERE email = $1`, [
      email,
    ]);
    expect(row.n).toBe(0);
  });

  it('changePassword: guesses at the current password with a signed-in token are limited too', async () => {
    const coach = await addUser(api, firm, 'COACH');
    const change = (currentPassword: string) =>
      api.http
        .post('/graphql')
        .set('content-type', 'application/json')
        .set('authorization', `Bearer ${coach.accessToken}`)
        .set('x-forwarded-for', newAddress())
        .send({
          query: `mutation ($input: ChangePasswordInput!) { changePassword(input: $input) { accessToken } }`,
          variables: { input: { currentPassword, newPassword: 'a takeover passphrase' } },
        })
        .then((res) => ({ status: res.status, data: res.body.data, errors: res.body.errors }) as GqlResult);
    for (let i = 0; i < PER_ACCOUNT; i++)
      expect(codeOf(await change('a guessed password'))).toBe('BAD_USER_INPUT');
    expectRateLimited(await change(TEST_PASSWORD));
    expect(codeOf(await login(newAddress(), coach, TEST_PASSWORD))).toBe('OK');
  });

  it('refreshSession: guesses at one refresh token lock it, the real one included', async () => {
    const coach = await addUser(api, firm, 'COACH');
    const t = coach.refreshToken;
    const guess = `${t.slice(0, -4)}${t.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
    const address = newAddress();
    for (let i = 0; i < PER_ACCOUNT; i++)
      expect(codeOf(await from(address, REFRESH, { t: guess }))).toBe('UNAUTHENTICATED');
    expectRateLimited(await from(newAddress(), REFRESH, { t }));
  });
});
