import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ApiModule } from '#cairn-app/api';
import {
  addUser,
  createApiKey,
  errorCode,
  type FirmFixture,
  type GqlResult,
  signUpFirm,
  startOidcProvider,
  TEST_PASSWORD,
  testConfig,
  type TestOidcProvider,
} from '#cairn/shared/testing';
import { auditDetail, auditEntries, TestApi } from './support/index.js';

const BASE = 'http://cairn.test';
const CALLBACK = `${BASE}/auth/sso/callback`;
const RETURN = 'https://app.example.test/sso-return';
const CONFIGURE = `mutation ($input: ConfigureSsoInput!) { configureSso(input: $input) {
  issuer clientId emailDomain returnUrl enabled callbackUrl startUrl } }`;
const CONFIGURATION = `{ ssoConfiguration { issuer clientId emailDomain enabled } }`;
const COMPLETE = `mutation ($code: String!) { completeSsoSignIn(code: $code) { accessToken refreshToken user { id email role } } }`;
const ME = `{ me { id email role } }`;

type Completed = { completeSsoSignIn: { accessToken: string; refreshToken: string; user: { id: string; email: string; role: string } } };

const fieldsOf = (result: GqlResult) =>
  ((result.errors?.[0]?.extensions?.fields as Array<{ field: string }> | undefined) ?? []).map((f) => f.field);

describe('OpenID Connect single sign-on', () => {
  let api: TestApi;
  let idp: TestOidcProvider;
  let firm: FirmFixture;
  let other: FirmFixture;
  const domain = () => `${firm.slug}.test`;

  const configure = (input: Record<string, unknown>, token = firm.admin.accessToken) =>
    api.gql(CONFIGURE, {
      input: {
        issuer: idp.issuer,
        clientId: 'cairn',
        clientSecret: 'cairn-client-secret',
        emailDomain: domain(),
        returnUrl: RETURN,
        enabled: true,
        ...input,
      },
    }, { token });

  /** Start at Cairn (as a browser), sign in at the provider, and come back: the start's cookie and the callback's path. */
  async function throughProvider(slug: string, accountId: string) {
    const start = await api.http.get(`/auth/sso/${slug}/start`);
    expect(start.status).toBe(302);
    const cookie = (start.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('cairn_sso_state='))!;
    const back = await idp.signIn(start.headers.location, accountId, CALLBACK);
    return { cookie: cookie.split(';')[0], callback: `${back.pathname}${back.search}` };
  }

  /** Where the callback sends the browser: the firm's return page, with `code` or `error`. */
  async function callback(flow: { cookie: string; callback: string }) {
    const res = await api.http.get(flow.callback).set('cookie', flow.cookie);
    if (res.status !== 303) return { status: res.status, text: res.text };
    const to = new URL(res.headers.location);
    expect(`${to.origin}${to.pathname}`).toBe(RETURN);
    return { status: res.status, code: to.searchParams.get('code'), error: to.searchParams.get('error') };
  }

  async function signIn(slug: string, accountId: string) {
    return callback(await throughProvider(slug, accountId));
  }

  const users = async (email: string) =>
    api.dataSource.query(`SELECT id, role, password_hash FROM users WHERE tenant_id = $1 AND email = $2`, [firm.tenantId, email]);

  beforeAll(async () => {
    idp = await startOidcProvider({ cairn: 'cairn-client-secret', partner: 'partner-secret' }, CALLBACK);
    api = await TestApi.start(ApiModule.forRoot(testConfig({ PUBLIC_BASE_URL: BASE, SSO_ALLOW_HTTP_ISSUERS: 'true', SSO_ALLOW_PRIVATE_ISSUERS: 'true' })));
    firm = await signUpFirm(api);
    other = await signUpFirm(api);
    expect(errorCode(await configure({}))).toBeUndefined();
  });
  afterAll(async () => {
    await api?.close();
    await idp?.stop();
  });

  it('configureSso stores the secret sealed and never shows it; ssoConfiguration is the firm’s own', async () => {
    const configured = await configure({});
    expect(configured.data?.configureSso).toEqual({
      issuer: idp.issuer,
      clientId: 'cairn',
      emailDomain: domain(),
      returnUrl: RETURN,
      enabled: true,
      callbackUrl: CALLBACK,
      startUrl: `${BASE}/auth/sso/${firm.slug}/start`,
    });
    const [row] = await api.dataSource.query(`SELECT client_secret FROM sso_configurations WHERE tenant_id = $1`, [
      firm.tenantId,
    ]);
    expect(row.client_secret).toMatch(/^v2\.default\./);
    expect(row.client_secret).not.toContain('cairn-client-secret');
    const read = await api.ok<{ ssoConfiguration: Record<string, unknown> }>(CONFIGURATION, {}, { token: firm.admin.accessToken });
    expect(read.ssoConfiguration).toEqual({ issuer: idp.issuer, clientId: 'cairn', emailDomain: domain(), enabled: true });
    // Another firm's admin sees only their own firm: none.
    expect((await api.ok<{ ssoConfiguration: null }>(CONFIGURATION, {}, { token: other.admin.accessToken })).ssoConfiguration).toBeNull();
    // Audited as a policy change of the firm, by its admin, with codes only (no issuer, id or secret).
    const [changed] = await auditEntries(api, firm, { actions: ['SSO_CONFIG_CHANGED'] });
    expect(changed).toMatchObject({ actorId: firm.admin.user.id, subjectType: 'FIRM', subjectId: firm.tenantId });
    expect(changed.details).toEqual([
      { name: 'enabled', values: ['true'] },
      { name: 'requireSso', values: ['false'] },
    ]);
  });

  it('only an ADMIN configures or reads it; API keys cannot', async () => {
    const coach = await addUser(api, firm, 'COACH');
    const audited = (await auditEntries(api, firm, { actions: ['SSO_CONFIG_CHANGED'] })).length;
    expect(errorCode(await configure({}, coach.accessToken))).toBe('FORBIDDEN');
    expect(await auditEntries(api, firm, { actions: ['SSO_CONFIG_CHANGED'] })).toHaveLength(audited);
    expect(errorCode(await api.gql(CONFIGURATION, {}, { token: coach.accessToken }))).toBe('FORBIDDEN');
    const key = await createApiKey(api, firm, ['USERS_READ']);
    expect(errorCode(await api.gql(CONFIGURATION, {}, { apiKey: key.secret }))).toBe('FORBIDDEN');
  });

  it('refuses bad input naming the field: an issuer whose discovery fails, a bad domain or return URL, an empty client id', async () => {
    const unreachable = await configure({ issuer: 'http://127.0.0.1:9/nothing-here' });
    expect(errorCode(unreachable)).toBe('BAD_USER_INPUT');
    expect(fieldsOf(unreachable)).toEqual(['issuer']);
    const notIssuer = await configure({ issuer: `${idp.issuer}/not-the-issuer` });
    expect(fieldsOf(notIssuer)).toEqual(['issuer']);
    expect(fieldsOf(await configure({ issuer: 'ftp://idp.example' }))).toContain('issuer');
    expect(fieldsOf(await configure({ emailDomain: 'not a domain' }))).toContain('emailDomain');
    expect(fieldsOf(await configure({ returnUrl: 'javascript:alert(1)' }))).toContain('returnUrl');
    expect(fieldsOf(await configure({ clientId: '' }))).toContain('clientId');
    // Nothing changed.
    const read = await api.ok<{ ssoConfiguration: { issuer: string } }>(CONFIGURATION, {}, { token: firm.admin.accessToken });
    expect(read.ssoConfiguration.issuer).toBe(idp.issuer);
  });

  it('signs an existing user in: a one-time code on the return page, traded once for the usual session', async () => {
    idp.accounts.set('ada', { email: firm.admin.user.email, emailVerified: true });
    const flow = await throughProvider(firm.slug, 'ada');
    const back = await callback(flow);
    expect(back.code).toMatch(/^sso_/);
    const session = await api.ok<Completed>(COMPLETE, { code: back.code });
    expect(session.completeSsoSignIn.user).toMatchObject({ id: firm.admin.user.id, role: 'ADMIN' });
    const me = await api.ok<{ me: { id: string } }>(ME, {}, { token: session.completeSsoSignIn.accessToken });
    expect(me.me.id).toBe(firm.admin.user.id);
    const [audited] = await auditEntries(api, firm, { actions: ['SSO_SIGN_IN'], actorId: firm.admin.user.id });
    expect(audited).toMatchObject({ outcome: 'SUCCESS', actorKind: 'USER', subjectId: firm.admin.user.id });
    // The provider's factor stands for Cairn's: a firm requiring MFA of ADMINs does not end this session.
    await api.ok(`mutation { updateMfaPolicy(input: { requiredFor: [ADMIN] }) { requiredFor } }`, {}, { token: session.completeSsoSignIn.accessToken });
    try {
      const refreshed = await api.ok<{ refreshSession: { accessToken: string } }>(
        `mutation ($t: String!) { refreshSession(input: { refreshToken: $t }) { accessToken } }`,
        { t: session.completeSsoSignIn.refreshToken },
      );
      expect(refreshed.refreshSession.accessToken).toBeTruthy();
    } finally {
      await api.ok(`mutation { updateMfaPolicy(input: { requiredFor: [] }) { requiredFor } }`, {}, { token: session.completeSsoSignIn.accessToken });
    }
    // The code works once.
    expect(errorCode(await api.gql(COMPLETE, { code: back.code }))).toBe('UNAUTHENTICATED');
    // The provider's redirect replayed (same state): refused, no second code.
    const replay = await callback(flow);
    expect(replay.status).toBe(400);
    expect(replay.text).toMatch(/already used/);
    const linked = await api.dataSource.query(`SELECT issuer, subject FROM sso_identities WHERE tenant_id = $1 AND user_id = $2`, [
      firm.tenantId,
      firm.admin.user.id,
    ]);
    expect(linked).toEqual([{ issuer: idp.issuer, subject: 'ada' }]);
  });

  it('the linked provider account stays its person: a changed email at the provider signs in as before, and cannot take another account', async () => {
    const coach = await addUser(api, firm, 'COACH');
    // ada's provider account now claims the coach's email: still ada (the admin).
    idp.accounts.set('ada', { email: coach.user.email, emailVerified: true });
    const asAda = await api.ok<Completed>(COMPLETE, { code: (await signIn(firm.slug, 'ada')).code });
    expect(asAda.completeSsoSignIn.user.id).toBe(firm.admin.user.id);
    idp.accounts.set('ada', { email: firm.admin.user.email, emailVerified: true });
    // Another provider account with the admin's email: the admin is linked to ada already.
    idp.accounts.set('mallory', { email: firm.admin.user.email, emailVerified: true });
    expect((await signIn(firm.slug, 'mallory')).error).toBe('account_linked_elsewhere');
  });

  it('creates an invited person just in time (accepting the invitation), and nobody else', async () => {
    const email = `newcoach@${domain()}`;
    await api.ok(
      `mutation ($input: InviteUserInput!) { inviteUser(input: $input) { token } }`,
      { input: { email, displayName: 'New Coach', role: 'COACH' } },
      { token: firm.admin.accessToken },
    );
    idp.accounts.set('newcoach', { email, emailVerified: true });
    const session = await api.ok<Completed>(COMPLETE, { code: (await signIn(firm.slug, 'newcoach')).code });
    expect(session.completeSsoSignIn.user).toMatchObject({ email, role: 'COACH' });
    expect(await users(email)).toEqual([{ id: session.completeSsoSignIn.user.id, role: 'COACH', password_hash: null }]);
    const [invitation] = await api.dataSource.query(`SELECT accepted_at FROM invitations WHERE tenant_id = $1 AND email = $2`, [
      firm.tenantId,
      email,
    ]);
    expect(invitation.accepted_at).not.toBeNull();

    // A stranger of the right domain, verified, without an invitation: refused, no account.
    idp.accounts.set('stranger', { email: `stranger@${domain()}`, emailVerified: true });
    expect((await signIn(firm.slug, 'stranger')).error).toBe('no_account');
    expect(await users(`stranger@${domain()}`)).toEqual([]);
  });

  it('refuses an unverified email, another domain, and a deactivated person', async () => {
    idp.accounts.set('unverified', { email: firm.admin.user.email, emailVerified: false });
    expect((await signIn(firm.slug, 'unverified')).error).toBe('email_not_verified');
    idp.accounts.set('outsider', { email: 'someone@elsewhere.test', emailVerified: true });
    expect((await signIn(firm.slug, 'outsider')).error).toBe('wrong_domain');
    // Each refusal is in the trail, naming no one (whoever tried is not known; no email is kept).
    const refusals = await auditEntries(api, firm, { actions: ['SIGN_IN_FAILED'] });
    const sso = refusals.filter((e) => auditDetail(e, 'stage')?.[0] === 'SSO').map((e) => auditDetail(e, 'reason')?.[0]);
    expect(sso.slice(0, 2)).toEqual(['WRONG_DOMAIN', 'EMAIL_NOT_VERIFIED']);
    expect(refusals[0]).toMatchObject({ actorKind: 'ANONYMOUS', subjectId: null });

    const client = await addUser(api, firm, 'CLIENT');
    await api.ok(`mutation ($id: ID!) { deactivateUser(id: $id) { id } }`, { id: client.user.id }, { token: firm.admin.accessToken });
    idp.accounts.set('gone', { email: client.user.email, emailVerified: true });
    expect((await signIn(firm.slug, 'gone')).error).toBe('account_deactivated');
  });

  it('a callback in another browser than the one that started, or with another sign-in’s code, gives nothing', async () => {
    idp.accounts.set('ada', { email: firm.admin.user.email, emailVerified: true });
    const flow = await throughProvider(firm.slug, 'ada');
    expect((await callback({ ...flow, cookie: 'cairn_sso_state=someone-else' })).error).toBe('browser_mismatch');

    // Code of sign-in A presented with the state (and browser) of sign-in B: B's PKCE verifier and nonce do not fit.
    const a = await throughProvider(firm.slug, 'ada');
    const b = await throughProvider(firm.slug, 'ada');
    const aCode = new URL(a.callback, BASE).searchParams.get('code')!;
    const mixed = new URL(b.callback, BASE);
    mixed.searchParams.set('code', aCode);
    expect((await callback({ cookie: b.cookie, callback: `${mixed.pathname}${mixed.search}` })).error).toBe('provider_error');
  });

  it('another firm’s configuration cannot be used: a firm without SSO has no start, and one firm’s invitations do not count at another', async () => {
    expect((await api.http.get(`/auth/sso/${other.slug}/start`)).status).toBe(404);
    expect((await api.http.get(`/auth/sso/no-such-firm/start`)).status).toBe(404);
    // The other firm invites someone of this firm's domain; signing in through this firm's SSO does not create them.
    const email = `crossover@${domain()}`;
    await api.ok(
      `mutation ($input: InviteUserInput!) { inviteUser(input: $input) { token } }`,
      { input: { email, displayName: 'Crossover', role: 'COACH' } },
      { token: other.admin.accessToken },
    );
    idp.accounts.set('crossover', { email, emailVerified: true });
    expect((await signIn(firm.slug, 'crossover')).error).toBe('no_account');
    expect(await api.dataSource.query(`SELECT id FROM users WHERE email = $1`, [email])).toEqual([]);
  });

  it('a disabled configuration starts no sign-in', async () => {
    expect(errorCode(await configure({ enabled: false }))).toBeUndefined();
    expect((await api.http.get(`/auth/sso/${firm.slug}/start`)).status).toBe(404);
    expect(errorCode(await configure({ enabled: true }))).toBeUndefined();
  });

  it('requireSso: only ADMINs keep password sign-in; everyone else, invitees included, goes through the provider', async () => {
    const coach = await addUser(api, firm, 'COACH');
    const invited = await api.ok<{ inviteUser: { token: string } }>(
      `mutation ($input: InviteUserInput!) { inviteUser(input: $input) { token } }`,
      { input: { email: `latecomer@${domain()}`, displayName: 'Latecomer', role: 'CLIENT' } },
      { token: firm.admin.accessToken },
    );
    const login = (email: string) =>
      api.gql(`mutation ($input: LoginInput!) { login(input: $input) { accessToken } }`, {
        input: { firmSlug: firm.slug, email, password: TEST_PASSWORD },
      });
    const accept = () =>
      api.gql(`mutation ($input: AcceptInvitationInput!) { acceptInvitation(input: $input) { accessToken } }`, {
        input: { token: invited.inviteUser.token, password: TEST_PASSWORD },
      });
    try {
      const required = await configure({ requireSso: true });
      expect(required.data?.configureSso).toBeDefined();
      expect(errorCode(await login(coach.user.email))).toBe('FORBIDDEN');
      expect(errorCode(await accept())).toBe('FORBIDDEN');
      expect(errorCode(await login(firm.admin.user.email))).toBeUndefined();
      // The refused accept left the invitation open: the provider accepts it.
      idp.accounts.set('latecomer', { email: `latecomer@${domain()}`, emailVerified: true });
      const viaSso = await api.ok<Completed>(COMPLETE, { code: (await signIn(firm.slug, 'latecomer')).code });
      expect(viaSso.completeSsoSignIn.user.role).toBe('CLIENT');
      // Another firm is not affected.
      const otherCoach = await addUser(api, other, 'COACH');
      expect(otherCoach.accessToken).toBeTruthy();
      // Disabled SSO requires nothing.
      await configure({ requireSso: true, enabled: false });
      expect(errorCode(await login(coach.user.email))).toBeUndefined();
    } finally {
      await configure({ requireSso: false, enabled: true });
    }
    expect(errorCode(await login(coach.user.email))).toBeUndefined();
  });

  it('completeSsoSignIn refuses a malformed or unknown code', async () => {
    expect(errorCode(await api.gql(COMPLETE, { code: 'nonsense' }))).toBe('UNAUTHENTICATED');
    expect(errorCode(await api.gql(COMPLETE, { code: 'sso_00000000-0000-4000-8000-000000000000_abc' }))).toBe('UNAUTHENTICATED');
  });

  // Last: a second API in this process takes over passport's one 'jwt' strategy.
  it('refuses an issuer on this machine or an internal network unless SSO_ALLOW_PRIVATE_ISSUERS is on', async () => {
    // http allowed, private addresses not: the local provider is refused before it is fetched.
    const strict = await TestApi.start(ApiModule.forRoot(testConfig({ PUBLIC_BASE_URL: BASE, SSO_ALLOW_HTTP_ISSUERS: 'true' })));
    try {
      const admin = await signUpFirm(strict);
      const requests = idp.discoveryRequests;
      for (const issuer of [idp.issuer, 'https://10.1.2.3/realm', 'https://[::1]:8443', 'https://169.254.169.254', 'https://localhost']) {
        const refused = await strict.gql(
          CONFIGURE,
          { input: { issuer, clientId: 'cairn', clientSecret: 's', emailDomain: `${admin.slug}.test`, returnUrl: RETURN, enabled: true } },
          { token: admin.admin.accessToken },
        );
        expect(errorCode(refused)).toBe('BAD_USER_INPUT');
        expect(fieldsOf(refused)).toEqual(['issuer']);
        expect(JSON.stringify(refused.errors)).toContain('SSO_ALLOW_PRIVATE_ISSUERS');
      }
      expect(idp.discoveryRequests).toBe(requests);
      expect((await strict.ok<{ ssoConfiguration: null }>(CONFIGURATION, {}, { token: admin.admin.accessToken })).ssoConfiguration).toBeNull();
    } finally {
      await strict.close();
    }
  });

  it('refuses an http:// issuer unless SSO_ALLOW_HTTP_ISSUERS is on', async () => {
    const strict = await TestApi.start(ApiModule.forRoot(testConfig({ PUBLIC_BASE_URL: BASE, SSO_ALLOW_PRIVATE_ISSUERS: 'true' })));
    try {
      const admin = await signUpFirm(strict);
      const refused = await strict.gql(
        CONFIGURE,
        {
          input: {
            issuer: idp.issuer,
            clientId: 'cairn',
            clientSecret: 'cairn-client-secret',
            emailDomain: `${admin.slug}.test`,
            returnUrl: RETURN,
            enabled: true,
          },
        },
        { token: admin.admin.accessToken },
      );
      expect(errorCode(refused)).toBe('BAD_USER_INPUT');
      expect(fieldsOf(refused)).toEqual(['issuer']);
      expect((await strict.ok<{ ssoConfiguration: null }>(CONFIGURATION, {}, { token: admin.admin.accessToken })).ssoConfiguration).toBeNull();
    } finally {
      await strict.close();
    }
  });
});
