import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { ApiModule } from '#cairn-app/api';
import {
  GqlResult,
  signUpFirm,
  FirmFixture,
  TEST_PASSWORD,
  testConfig,
  uniqueSlug,
} from '#cairn/shared/testing';
import { TestApi } from './support/index.js';

const NUL = 'Ada\u0000Lovelace';
const LONE_HIGH = 'ada\ud800@example.test';
const LONE_LOW = 'label \udc00';
const UNSAFE = /must not contain NUL characters or unpaired surrogates/;

const CREATE_KEY = `mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { apiKey { id name } } }`;
const CREATE_CLIENT = `mutation ($input: CreateClientInput!) { createClient(input: $input) { id } }`;
const CREATE_TEMPLATE = `mutation ($input: CreateCheckInTemplateInput!) { createCheckInTemplate(input: $input) { id } }`;
const LOGIN = `mutation ($input: LoginInput!) { login(input: $input) { accessToken } }`;
const SIGN_UP = `mutation ($input: SignUpFirmInput!) { signUpFirm(input: $input) { accessToken } }`;
const ACCEPT = `mutation ($input: AcceptInvitationInput!) { acceptInvitation(input: $input) { accessToken } }`;
const REFRESH = `mutation ($input: RefreshSessionInput!) { refreshSession(input: $input) { accessToken } }`;
const REVOKE_KEY = `mutation ($id: ID!) { revokeApiKey(id: $id) { id } }`;

const fieldsOf = (result: GqlResult) => result.errors?.[0]?.extensions?.fields;

/** The refusal every check here expects: BAD_USER_INPUT naming exactly `field` with a message matching `message`. */
function expectFieldError(result: GqlResult, field: string, message: RegExp) {
  expect(result.status).toBeLessThan(500);
  expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  expect(fieldsOf(result)).toEqual([{ field, messages: [expect.stringMatching(message)] }]);
}

describe('input hygiene: every string argument', () => {
  let api: TestApi;
  let firm: FirmFixture;
  const admin = () => ({ token: firm.admin.accessToken });
  const count = async (table: string) =>
    (
      await api.dataSource.query(`SELECT count(*)::int AS n FROM ${table} WHERE tenant_id = $1`, [
        firm.tenantId,
      ])
    )[0].n;

  /** Creates an API key named `name` and returns the name as stored. */
  const storedKeyName = async (name: string) =>
    (
      await api.ok<{ createApiKey: { apiKey: { name: string } } }>(
        CREATE_KEY,
        { input: { name, scopes: ['USERS_READ'] } },
        admin(),
      )
    ).createApiKey.apiKey.name;

  beforeAll(async () => {
    api = await TestApi.start(ApiModule.forRoot(testConfig()));
    firm = await signUpFirm(api);
  });
  afterAll(() => api.close());

  it('refuses NUL in a stored name, naming the field, and writes nothing', async () => {
    const before = await count('api_keys');
    const result = await api.gql(CREATE_KEY, { input: { name: NUL, scopes: ['USERS_READ'] } }, admin());
    expectFieldError(result, 'name', UNSAFE);
    expect(await count('api_keys')).toBe(before);
    // Control: text outside the BMP (a proper surrogate pair) is fine.
    expect(await storedKeyName('Partner 🚀')).toBe('Partner 🚀');
  });

  it('refuses an unpaired surrogate in an email, signed in or not', async () => {
    const before = await count('users');
    expectFieldError(
      await api.gql(CREATE_CLIENT, { input: { email: LONE_HIGH, displayName: 'Sam' } }, admin()),
      'email',
      UNSAFE,
    );
    expect(await count('users')).toBe(before);
    expectFieldError(
      await api.gql(LOGIN, { input: { firmSlug: firm.slug, email: LONE_HIGH, password: TEST_PASSWORD } }),
      'email',
      UNSAFE,
    );
  });

  it('covers every public operation', async () => {
    const signUp = {
      firmName: 'Summit Coaching',
      firmSlug: uniqueSlug(),
      timezone: 'Europe/London',
      adminName: 'Ada',
      adminEmail: `ada@${uniqueSlug()}.test`,
      adminPassword: TEST_PASSWORD,
    };
    expectFieldError(await api.gql(SIGN_UP, { input: { ...signUp, adminName: NUL } }), 'adminName', UNSAFE);
    expectFieldError(
      await api.gql(SIGN_UP, { input: { ...signUp, firmName: '\ud83d' } }),
      'firmName',
      UNSAFE,
    );
    expectFieldError(
      await api.gql(ACCEPT, { input: { token: `inv_${NUL}`, password: TEST_PASSWORD } }),
      'token',
      UNSAFE,
    );
    expectFieldError(await api.gql(REFRESH, { input: { refreshToken: 'rt\u0000' } }), 'refreshToken', UNSAFE);
    expectFieldError(
      await api.gql(LOGIN, {
        input: { firmSlug: firm.slug, email: firm.admin.user.email, password: `x${NUL}` },
      }),
      'password',
      UNSAFE,
    );
  });

  it('covers scalar arguments passed directly, by their name', async () => {
    expectFieldError(await api.gql(REVOKE_KEY, { id: `${randomUUID()}\u0000` }, admin()), 'id', UNSAFE);
  });

  it('names the path of a string deep in a list of input objects', async () => {
    const prompts = [
      { key: 'energy', label: 'Energy?', type: 'YES_NO' },
      { key: 'report', label: 'Report?', type: 'YES_NO' },
      { key: 'mood', label: LONE_LOW, type: 'YES_NO' },
    ];
    const before = await count('checkin_templates');
    expectFieldError(
      await api.gql(CREATE_TEMPLATE, { input: { name: 'Friday', prompts } }, admin()),
      'prompts[2].label',
      UNSAFE,
    );
    expect(await count('checkin_templates')).toBe(before);
  });

  it('a whitespace-only name or title is a field error saying it is required, not a range error', async () => {
    const key = await api.gql(CREATE_KEY, { input: { name: ' \t\n ', scopes: ['USERS_READ'] } }, admin());
    expectFieldError(key, 'name', /name is required/);
    const client = await api.gql(
      CREATE_CLIENT,
      { input: { email: `s-${randomUUID()}@x.test`, displayName: '   ' } },
      admin(),
    );
    expect(JSON.stringify(fieldsOf(client))).toMatch(
      /"field":"displayName","messages":\["displayName is required/,
    );
    // Control: surrounding whitespace around real text is accepted and trimmed away.
    expect(await storedKeyName('  Mobile app  ')).toBe('Mobile app');
  });

  it('the same layer guards HTTP path parameters', async () => {
    const res = await api.http.get('/calendar/cal_%00.ics');
    expect(res.status).toBe(400);
    expect(res.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });
});
