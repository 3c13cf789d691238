import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import jwt from 'jsonwebtoken';
import { randomUUID } from 'node:crypto';
import { ApiModule } from '#cairn-app/api';
import {
  addUser,
  createApiKey,
  errorCode,
  FirmFixture,
  signUpFirm,
  TEST_JWT_SECRET,
  TEST_PASSWORD,
  testConfig,
  uniqueSlug,
  waitFor,
} from '#cairn/shared/testing';
import { TestApi } from './support/index.js';

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

  describe('access tokens die with their session', () => {
    const LOGOUT = `mutation ($t: String!) { logout(input: { refreshToken: $t }) }`;
    const CHANGE_PASSWORD = `mutation ($input: ChangePasswordInput!) {
      changePassword(input: $input) { accessToken refreshToken user { id } } }`;
    const loginAs = async (email: string, password = TEST_PASSWORD) =>
      (
        await api.ok<{ login: { accessToken: string; refreshToken: string } }>(LOGIN, {
          input: { firmSlug: firm.slug, email, password },
        })
      ).login;
    const dead = (token: string) => async () => errorCode(await api.gql(ME, {}, { token })) === 'UNAUTHENTICATED';
    const alive = async (token: string) => (await api.ok<{ me: { id: string } }>(ME, {}, { token })).me.id;

    it('logout: that login’s access token is refused; the user’s other login and other users keep working', async () => {
      const coach = await addUser(api, firm, 'COACH');
      const ended = await loginAs(coach.user.email);
      await alive(ended.accessToken);
      await api.ok(LOGOUT, { t: ended.refreshToken });
      await waitFor('the logged-out access token to be refused', dead(ended.accessToken));
      expect(await alive(coach.accessToken)).toBe(coach.user.id);
      expect(await alive(firm.admin.accessToken)).toBe(firm.admin.user.id);
      // Logging out twice changes nothing and still answers true.
      expect((await api.ok<{ logout: boolean }>(LOGOUT, { t: ended.refreshToken })).logout).toBe(true);
    });

    it('refresh-token reuse: every access token of that login is refused, the rotated one included', async () => {
      const coach = await addUser(api, firm, 'COACH');
      const stolen = await loginAs(coach.user.email);
      const rotated = (
        await api.ok<{ refreshSession: { accessToken: string } }>(REFRESH, { t: stolen.refreshToken })
      ).refreshSession;
      await alive(rotated.accessToken);
      expect(errorCode(await api.gql(REFRESH, { t: stolen.refreshToken }))).toBe('UNAUTHENTICATED');
      await waitFor('the reused login’s first access token to be refused', dead(stolen.accessToken));
      await waitFor('the reused login’s rotated access token to be refused', dead(rotated.accessToken));
      expect(await alive(coach.accessToken)).toBe(coach.user.id);
    });

    it('deactivateUser: every access token of the user is refused; the admin’s is not', async () => {
      const coach = await addUser(api, firm, 'COACH');
      const second = await loginAs(coach.user.email);
      await api.ok(`mutation ($id: ID!) { deactivateUser(id: $id) { status } }`, { id: coach.user.id }, {
        token: firm.admin.accessToken,
      });
      await waitFor('the first session’s access token to be refused', dead(coach.accessToken));
      await waitFor('the second session’s access token to be refused', dead(second.accessToken));
      const [open] = await api.dataSource.query(
        `SELECT count(*)::int AS n FROM refresh_tokens WHERE user_id = $1 AND revoked_at IS NULL`,
        [coach.user.id],
      );
      expect(open.n).toBe(0);
      expect(await alive(firm.admin.accessToken)).toBe(firm.admin.user.id);
    });

    it('changePassword: ends every session of the user, returns a fresh one, and only the new password logs in', async () => {
      const coach = await addUser(api, firm, 'COACH');
      const other = await loginAs(coach.user.email);
      const bystander = await addUser(api, firm, 'COACH');
      const changed = (
        await api.ok<{ changePassword: { accessToken: string; refreshToken: string; user: { id: string } } }>(
          CHANGE_PASSWORD,
          { input: { currentPassword: TEST_PASSWORD, newPassword: 'a brand new passphrase' } },
          { token: coach.accessToken },
        )
      ).changePassword;
      expect(changed.user.id).toBe(coach.user.id);
      await waitFor('the session that changed it to be refused', dead(coach.accessToken));
      await waitFor('the other session to be refused', dead(other.accessToken));
      expect(errorCode(await api.gql(REFRESH, { t: other.refreshToken }))).toBe('UNAUTHENTICATED');
      expect(await alive(changed.accessToken)).toBe(coach.user.id);
      expect(await alive(bystander.accessToken)).toBe(bystander.user.id);
      expect(errorCode(await api.gql(LOGIN, { input: { firmSlug: firm.slug, email: coach.user.email, password: TEST_PASSWORD } }))).toBe(
        'UNAUTHENTICATED',
      );
      await loginAs(coach.user.email, 'a brand new passphrase');

      // The same request again: the password it names as current is no longer current.
      const again = await api.gql(
        CHANGE_PASSWORD,
        { input: { currentPassword: TEST_PASSWORD, newPassword: 'a brand new passphrase' } },
        { token: changed.accessToken },
      );
      expect(errorCode(again)).toBe('BAD_USER_INPUT');
      expect(await alive(changed.accessToken)).toBe(coach.user.id);
    });

    it('changePassword refuses a wrong current password and a short new one, naming the field, and changes nothing', async () => {
      const coach = await addUser(api, firm, 'COACH');
      const hashBefore = async () =>
        (await api.dataSource.query(`SELECT password_hash FROM users WHERE id = $1`, [coach.user.id]))[0].password_hash;
      const before = await hashBefore();
      for (const [input, field] of [
        [{ currentPassword: 'not-my-password', newPassword: 'a brand new passphrase' }, 'currentPassword'],
        [{ currentPassword: TEST_PASSWORD, newPassword: 'short' }, 'newPassword'],
      ] as const) {
        const result = await api.gql(CHANGE_PASSWORD, { input }, { token: coach.accessToken });
        expect(errorCode(result)).toBe('BAD_USER_INPUT');
        expect((result.errors?.[0].extensions?.fields as Array<{ field: string }>).map((f) => f.field)).toContain(field);
      }
      expect(await hashBefore()).toBe(before);
      expect(await alive(coach.accessToken)).toBe(coach.user.id);
    });

    it('changePassword twice at once: exactly one wins', async () => {
      const coach = await addUser(api, firm, 'COACH');
      const attempt = (newPassword: string) =>
        api.gql(CHANGE_PASSWORD, { input: { currentPassword: TEST_PASSWORD, newPassword } }, { token: coach.accessToken });
      const results = await Promise.all([attempt('first new passphrase'), attempt('second new passphrase')]);
      const codes = results.map((r) => errorCode(r) ?? 'OK');
      expect(codes.filter((c) => c === 'OK')).toHaveLength(1);
      // The loser either waited for the winner's row lock (its password is no longer current) or arrived after
      // the winner had ended its session.
      expect(['BAD_USER_INPUT', 'UNAUTHENTICATED']).toContain(codes.find((c) => c !== 'OK'));
      const winner = results.findIndex((r) => !r.errors);
      await loginAs(coach.user.email, winner === 0 ? 'first new passphrase' : 'second new passphrase');
    });

    it('changePassword is refused to API keys and to actAsClient tokens', async () => {
      const client = await addUser(api, firm, 'CLIENT');
      const key = await createApiKey(api, firm, ['CLIENTS_ACT', 'PROFILE_READ', 'PROFILE_WRITE']);
      const minted = (
        await api.ok<{ actAsClient: { accessToken: string } }>(
          `mutation ($id: ID!) { actAsClient(clientId: $id) { accessToken } }`,
          { id: client.user.id },
          { apiKey: key.secret },
        )
      ).actAsClient.accessToken;
      const input = { currentPassword: TEST_PASSWORD, newPassword: 'a partner-chosen passphrase' };
      expect(errorCode(await api.gql(CHANGE_PASSWORD, { input }, { token: minted }))).toBe('FORBIDDEN');
      expect(errorCode(await api.gql(CHANGE_PASSWORD, { input }, { apiKey: key.secret }))).toBe('FORBIDDEN');
      await loginAs(client.user.email);
    });

    it('a validly signed token that names no session (or another user’s) is refused', async () => {
      const coach = await addUser(api, firm, 'COACH');
      const { sid } = jwt.decode(firm.admin.accessToken) as { sid: string };
      const sign = (claims: object) =>
        jwt.sign({ sub: coach.user.id, tid: firm.tenantId, role: 'COACH', typ: 'access', ...claims }, TEST_JWT_SECRET, {
          issuer: 'cairn',
          audience: 'cairn-api',
          expiresIn: 300,
        });
      expect(errorCode(await api.gql(ME, {}, { token: sign({}) }))).toBe('UNAUTHENTICATED');
      expect(errorCode(await api.gql(ME, {}, { token: sign({ sid }) }))).toBe('UNAUTHENTICATED');
      // Its own session, but presented as another firm's: the tenant comes from the token and finds nobody.
      const other = await signUpFirm(api, 'Other Coaching');
      const ownSid = (jwt.decode(coach.accessToken) as { sid: string }).sid;
      expect(errorCode(await api.gql(ME, {}, { token: sign({ sid: ownSid, tid: other.tenantId }) }))).toBe(
        'UNAUTHENTICATED',
      );
      const own = (jwt.decode(coach.accessToken) as { sid: string }).sid;
      expect(await alive(sign({ sid: own }))).toBe(coach.user.id);
    });
  });

  it('gives unknown, altered, revoked and expired refresh tokens one identical answer', async () => {
    const login = async () =>
      (
        await api.ok<{ login: { refreshToken: string } }>(LOGIN, {
          input: { firmSlug: firm.slug, email: firm.admin.user.email, password: TEST_PASSWORD },
        })
      ).login.refreshToken;
    const [live, revoked, expired] = [await login(), await login(), await login()];
    await api.ok(`mutation ($t: String!) { logout(input: { refreshToken: $t }) }`, { t: revoked });
    await api.dataSource.query(`UPDATE refresh_tokens SET expires_at = now() - interval '1 minute' WHERE id = $1`, [
      expired.slice(4, 40),
    ]);
    const altered = `${live.slice(0, -4)}${live.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
    const unknown = `crt_${randomUUID()}_${'A'.repeat(43)}`;
    const answers = [];
    for (const t of [unknown, altered, revoked, expired]) {
      const result = await api.gql(REFRESH, { t });
      answers.push({ status: result.status, data: result.data ?? null, errors: result.errors });
    }
    expect(answers[0].errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    for (const answer of answers.slice(1)) expect(answer).toEqual(answers[0]);
    await api.ok(REFRESH, { t: live });
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
