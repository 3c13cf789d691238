import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import jwt from 'jsonwebtoken';
import { ApiModule } from '#cairn-app/api';
import {
  addUser,
  errorCode,
  FirmFixture,
  signUpFirm,
  TEST_JWT_SECRET,
  TEST_PASSWORD,
  testConfig,
  TestApi,
  uniqueSlug,
} from '#cairn/shared/testing';

const ME = `{ me { id email role } }`;
const LOGIN = `mutation ($input: LoginInput!) { login(input: $input) { accessToken refreshToken user { id } } }`;
const REFRESH = `mutation ($t: String!) { refreshSession(input: { refreshToken: $t }) { accessToken refreshToken } }`;

describe('authentication and sessions', () => {
  let api: TestApi;
  let firm: FirmFixture;

  beforeAll(async () => {
    api = await TestApi.start(ApiModule.forRoot(testConfig()));
    firm = await signUpFirm(api);
  });
  afterAll(() => api.close());

  // Other suites write concurrently, so count only what could belong to this test's firm (or a new firm).
  const count = async (table: 'users' | 'refresh_tokens') =>
    Number(
      (await api.dataSource.query(`SELECT count(*)::int AS n FROM ${table} t WHERE t.tenant_id = $1`, [firm.tenantId]))[0]
        .n,
    );
  const firmsWithSlug = async (slug: string) =>
    Number((await api.dataSource.query(`SELECT count(*)::int AS n FROM tenants WHERE slug = $1`, [slug]))[0].n);

  it('signs up a firm with its first ADMIN who can query me', async () => {
    const me = await api.ok<{ me: { role: string; email: string } }>(ME, {}, { token: firm.admin.accessToken });
    expect(me.me).toMatchObject({ role: 'ADMIN', email: `admin@${firm.slug}.test` });
    const [row] = await api.dataSource.query(`SELECT password_hash FROM users WHERE id = $1`, [firm.admin.user.id]);
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
  });

  it('rejects a taken slug with CONFLICT and writes nothing', async () => {
    const before = await count('users');
    const strayAdmins = async () =>
      Number((await api.dataSource.query(`SELECT count(*)::int AS n FROM users WHERE email = 'eve@example.test'`))[0].n);
    const result = await api.gql(
      `mutation ($input: SignUpFirmInput!) { signUpFirm(input: $input) { accessToken } }`,
      {
        input: {
          firmName: 'Copycat',
          firmSlug: firm.slug,
          timezone: 'Europe/Paris',
          adminName: 'Eve',
          adminEmail: 'eve@example.test',
          adminPassword: TEST_PASSWORD,
        },
      },
    );
    expect(errorCode(result)).toBe('CONFLICT');
    expect(await count('users')).toBe(before);
    expect(await firmsWithSlug(firm.slug)).toBe(1);
    expect(await strayAdmins()).toBe(0);
  });

  it('names each invalid field in BAD_USER_INPUT', async () => {
    const result = await api.gql(
      `mutation ($input: SignUpFirmInput!) { signUpFirm(input: $input) { accessToken } }`,
      {
        input: {
          firmName: 'X',
          firmSlug: 'Not A Slug',
          timezone: 'Mars/Olympus',
          adminName: 'X',
          adminEmail: 'not-an-email',
          adminPassword: 'short',
        },
      },
    );
    expect(errorCode(result)).toBe('BAD_USER_INPUT');
    const fields = (result.errors?.[0].extensions?.fields as Array<{ field: string }>).map((f) => f.field);
    expect(fields).toEqual(expect.arrayContaining(['firmSlug', 'timezone', 'adminEmail', 'adminPassword']));
  });

  it('refuses a wrong password, an unknown email and an unknown firm alike, recording nothing', async () => {
    const tokensBefore = await count('refresh_tokens');
    for (const input of [
      { firmSlug: firm.slug, email: firm.admin.user.email, password: 'wrong-password!!' },
      { firmSlug: firm.slug, email: 'nobody@example.test', password: TEST_PASSWORD },
      { firmSlug: uniqueSlug('ghost'), email: firm.admin.user.email, password: TEST_PASSWORD },
    ]) {
      const result = await api.gql(LOGIN, { input });
      expect(errorCode(result)).toBe('UNAUTHENTICATED');
      expect(result.errors?.[0].message).toBe('Invalid firm, email or password');
    }
    expect(await count('refresh_tokens')).toBe(tokensBefore);
  });

  it('logs in case-insensitively on email', async () => {
    const data = await api.ok<{ login: { user: { id: string } } }>(LOGIN, {
      input: { firmSlug: firm.slug, email: firm.admin.user.email.toUpperCase(), password: TEST_PASSWORD },
    });
    expect(data.login.user.id).toBe(firm.admin.user.id);
  });

  it('rotates refresh tokens and revokes the whole family when one is reused', async () => {
    const login = (await api.ok<{ login: { refreshToken: string } }>(LOGIN, {
      input: { firmSlug: firm.slug, email: firm.admin.user.email, password: TEST_PASSWORD },
    })).login;
    const first = (await api.ok<{ refreshSession: { refreshToken: string; accessToken: string } }>(REFRESH, {
      t: login.refreshToken,
    })).refreshSession;
    expect(first.refreshToken).not.toBe(login.refreshToken);

    const replay = await api.gql(REFRESH, { t: login.refreshToken });
    expect(errorCode(replay)).toBe('UNAUTHENTICATED');
    expect(replay.errors?.[0].message).toMatch(/already used/);

    // The reuse revoked the family: the newest token of that login is dead too.
    expect(errorCode(await api.gql(REFRESH, { t: first.refreshToken }))).toBe('UNAUTHENTICATED');
  });

  it('logout ends the login', async () => {
    const login = (await api.ok<{ login: { refreshToken: string } }>(LOGIN, {
      input: { firmSlug: firm.slug, email: firm.admin.user.email, password: TEST_PASSWORD },
    })).login;
    await api.ok(`mutation ($t: String!) { logout(input: { refreshToken: $t }) }`, { t: login.refreshToken });
    expect(errorCode(await api.gql(REFRESH, { t: login.refreshToken }))).toBe('UNAUTHENTICATED');
  });

  it('rejects garbage refresh tokens', async () => {
    expect(errorCode(await api.gql(REFRESH, { t: 'crt_nonsense' }))).toBe('UNAUTHENTICATED');
  });

  it('rejects missing, expired and forged access tokens', async () => {
    expect(errorCode(await api.gql(ME))).toBe('UNAUTHENTICATED');
    const claims = { sub: firm.admin.user.id, tid: firm.tenantId, role: 'ADMIN', typ: 'access' };
    const expired = jwt.sign({ ...claims, exp: Math.floor(Date.now() / 1000) - 10 }, TEST_JWT_SECRET, {
      issuer: 'cairn',
      audience: 'cairn-api',
    });
    const expiredResult = await api.gql(ME, {}, { token: expired });
    expect(errorCode(expiredResult)).toBe('UNAUTHENTICATED');
    expect(expiredResult.errors?.[0].message).toBe('Access token has expired');

    const forged = jwt.sign(claims, 'another-secret-of-sufficient-length-123', {
      issuer: 'cairn',
      audience: 'cairn-api',
      expiresIn: 300,
    });
    expect(errorCode(await api.gql(ME, {}, { token: forged }))).toBe('UNAUTHENTICATED');
    const unsigned = jwt.sign(claims, '', { algorithm: 'none' });
    expect(errorCode(await api.gql(ME, {}, { token: unsigned }))).toBe('UNAUTHENTICATED');
  });

  it('a deactivated user loses access tokens, refresh tokens and login at once', async () => {
    const coach = await addUser(api, firm, 'COACH');
    expect((await api.ok<{ me: { role: string } }>(ME, {}, { token: coach.accessToken })).me.role).toBe('COACH');
    await api.ok(`mutation ($id: ID!) { deactivateUser(id: $id) { status } }`, { id: coach.user.id }, {
      token: firm.admin.accessToken,
    });
    expect(errorCode(await api.gql(ME, {}, { token: coach.accessToken }))).toBe('UNAUTHENTICATED');
    expect(errorCode(await api.gql(REFRESH, { t: coach.refreshToken }))).toBe('UNAUTHENTICATED');
    const login = await api.gql(LOGIN, {
      input: { firmSlug: firm.slug, email: coach.user.email, password: TEST_PASSWORD },
    });
    expect(login.errors?.[0].message).toBe('This account has been deactivated');
  });

  it('an admin cannot deactivate themselves', async () => {
    const result = await api.gql(`mutation ($id: ID!) { deactivateUser(id: $id) { id } }`, { id: firm.admin.user.id }, {
      token: firm.admin.accessToken,
    });
    expect(errorCode(result)).toBe('BAD_USER_INPUT');
  });
});
