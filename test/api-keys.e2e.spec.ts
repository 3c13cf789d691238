import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash, randomUUID } from 'node:crypto';
import { ApiModule } from '#cairn-app/api';
import {
  addUser,
  createApiKey,
  errorCode,
  FirmFixture,
  GqlResult,
  Session,
  signUpFirm,
  testConfig,
} from '#cairn/shared/testing';
import { TestApi } from './support/index.js';

const ME = `{ me { id email role } }`;
const USERS = `{ users(first: 100) { edges { node { id email role } } } }`;
const API_KEYS = `{ apiKeys(first: 100) { edges { node { id name scopes lastUsedAt revokedAt createdBy { email } } } } }`;
const CREATE_KEY = `mutation ($input: CreateApiKeyInput!) {
  createApiKey(input: $input) { secret apiKey { id name scopes lastUsedAt revokedAt createdBy { email } } }
}`;
const REVOKE_KEY = `mutation ($id: ID!) { revokeApiKey(id: $id) { id revokedAt } }`;
const INVITE = `mutation ($input: InviteUserInput!) { inviteUser(input: $input) { token } }`;
const DEACTIVATE = `mutation ($id: ID!) { deactivateUser(id: $id) { id status } }`;
const ACT_AS_CLIENT = `mutation ($clientId: ID!) { actAsClient(clientId: $clientId) { accessToken expiresAt } }`;

const ALL_SCOPES = [
  'USERS_READ',
  'CLIENTS_ACT',
  'GOALS_READ',
  'GOALS_WRITE',
  'CHECKINS_READ',
  'CHECKINS_WRITE',
  'PROFILE_READ',
  'PROFILE_WRITE',
];
const SECRET_FORMAT =
  /^cak_([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

interface ApiKeyNode {
  id: string;
  name: string;
  scopes: string[];
  lastUsedAt: string | null;
  revokedAt: string | null;
  createdBy: { email: string } | null;
}

const fieldsOf = (result: GqlResult) =>
  ((result.errors?.[0]?.extensions?.fields as Array<{ field: string }> | undefined) ?? []).map(
    (f) => f.field,
  );

let api: TestApi;

beforeAll(async () => {
  api = await TestApi.start(ApiModule.forRoot(testConfig()));
});
afterAll(() => api.close());

/** Rows of one firm only: other test files write to the same database concurrently. */
const countRows = async (table: string, tenantId: string) =>
  Number(
    (
      await api.dataSource.query(`SELECT count(*)::int AS n FROM ${table} WHERE tenant_id = $1`, [tenantId])
    )[0].n,
  );

const keyRow = async (
  id: string,
): Promise<{ secret_hash: string; last_used_at: Date | null; revoked_at: Date | null }> =>
  (
    await api.dataSource.query(`SELECT secret_hash, last_used_at, revoked_at FROM api_keys WHERE id = $1`, [
      id,
    ])
  )[0];

const userStatus = async (id: string): Promise<string> =>
  (await api.dataSource.query(`SELECT status FROM users WHERE id = $1`, [id]))[0].status;

const inviteInput = (firm: FirmFixture) => ({
  email: `newcomer-${randomUUID().slice(0, 8)}@${firm.slug}.test`,
  displayName: 'New Comer',
  role: 'COACH',
});

describe('API keys: creation and storage', () => {
  let firm: FirmFixture;

  beforeAll(async () => {
    firm = await signUpFirm(api);
  });

  it('returns the secret once, in the cak_<id>_<secret> format, and stores only its SHA-256', async () => {
    const data = await api.ok<{ createApiKey: { secret: string; apiKey: ApiKeyNode } }>(
      CREATE_KEY,
      { input: { name: '  Mobile backend  ', scopes: ['USERS_READ', 'GOALS_READ'] } },
      { token: firm.admin.accessToken },
    );
    const { secret, apiKey } = data.createApiKey;
    expect(apiKey).toMatchObject({
      name: 'Mobile backend',
      scopes: ['USERS_READ', 'GOALS_READ'],
      lastUsedAt: null,
      revokedAt: null,
      createdBy: { email: firm.admin.user.email },
    });
    const match = SECRET_FORMAT.exec(secret);
    expect(match).not.toBeNull();
    const [, id, rawSecret] = match as RegExpExecArray;
    expect(id).toBe(apiKey.id);

    const row = await keyRow(apiKey.id);
    expect(row.secret_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.secret_hash).not.toBe(secret);
    expect(row.secret_hash).not.toBe(rawSecret);
    expect(row.secret_hash).toBe(createHash('sha256').update(rawSecret).digest('hex'));
    // The plaintext appears nowhere in the stored row.
    const [whole] = await api.dataSource.query(
      `SELECT row_to_json(k)::text AS json FROM api_keys k WHERE id = $1`,
      [apiKey.id],
    );
    expect(whole.json).not.toContain(rawSecret);
  });

  it('never exposes the secret again: not in the apiKeys list, and ApiKey has no secret field', async () => {
    const key = await createApiKey(api, firm, ['USERS_READ']);
    const rawSecret = (SECRET_FORMAT.exec(key.secret) as RegExpExecArray)[2];

    const result = await api.gql<{ apiKeys: { edges: Array<{ node: ApiKeyNode }> } }>(
      API_KEYS,
      {},
      {
        token: firm.admin.accessToken,
      },
    );
    expect(result.errors).toBeUndefined();
    const node = result.data?.apiKeys.edges.find((e) => e.node.id === key.id)?.node;
    expect(node).toMatchObject({ name: 'Partner backend', scopes: ['USERS_READ'], revokedAt: null });
    expect(JSON.stringify(result.data)).not.toContain(rawSecret);

    const asking = await api.gql(
      `{ apiKeys { edges { node { id secret } } } }`,
      {},
      { token: firm.admin.accessToken },
    );
    expect(errorCode(asking)).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(asking.data ?? null).toBeNull();
  });
});

describe('API keys as credentials', () => {
  let firm: FirmFixture;

  beforeAll(async () => {
    firm = await signUpFirm(api);
  });

  it('lists the firm’s users with a key holding USERS_READ', async () => {
    const key = await createApiKey(api, firm, ['USERS_READ']);
    const data = await api.ok<{ users: { edges: Array<{ node: { id: string; role: string } }> } }>(
      USERS,
      {},
      {
        apiKey: key.secret,
      },
    );
    expect(data.users.edges.map((e) => e.node)).toContainEqual(
      expect.objectContaining({ id: firm.admin.user.id, role: 'ADMIN' }),
    );
  });

  it('refuses users with FORBIDDEN when the key lacks USERS_READ', async () => {
    const key = await createApiKey(api, firm, ['GOALS_READ', 'CLIENTS_ACT']);
    const result = await api.gql(USERS, {}, { apiKey: key.secret });
    expect(errorCode(result)).toBe('FORBIDDEN');
    expect(result.errors?.[0].message).toBe('Missing scope: USERS_READ');
    expect(result.data ?? null).toBeNull();
  });

  it('refuses ADMIN-only operations to a key holding every scope, writing nothing', async () => {
    const key = await createApiKey(api, firm, ALL_SCOPES);
    const keysBefore = await countRows('api_keys', firm.tenantId);
    const invitationsBefore = await countRows('invitations', firm.tenantId);

    const create = await api.gql(
      CREATE_KEY,
      { input: { name: 'Escalation', scopes: ['USERS_READ'] } },
      {
        apiKey: key.secret,
      },
    );
    expect(errorCode(create)).toBe('FORBIDDEN');
    expect(await countRows('api_keys', firm.tenantId)).toBe(keysBefore);

    const invite = await api.gql(INVITE, { input: inviteInput(firm) }, { apiKey: key.secret });
    expect(errorCode(invite)).toBe('FORBIDDEN');
    expect(await countRows('invitations', firm.tenantId)).toBe(invitationsBefore);

    const coach = await addUser(api, firm, 'COACH');
    const deactivate = await api.gql(DEACTIVATE, { id: coach.user.id }, { apiKey: key.secret });
    expect(errorCode(deactivate)).toBe('FORBIDDEN');
    expect(await userStatus(coach.user.id)).toBe('ACTIVE');

    const revoke = await api.gql(REVOKE_KEY, { id: key.id }, { apiKey: key.secret });
    expect(errorCode(revoke)).toBe('FORBIDDEN');
    expect((await keyRow(key.id)).revoked_at).toBeNull();
  });

  it('refuses me with FORBIDDEN: a key is not a person', async () => {
    const key = await createApiKey(api, firm, ALL_SCOPES);
    const result = await api.gql(ME, {}, { apiKey: key.secret });
    expect(errorCode(result)).toBe('FORBIDDEN');
  });

  it('rejects malformed, unknown and wrong-secret keys with UNAUTHENTICATED', async () => {
    const key = await createApiKey(api, firm, ['USERS_READ']);
    const wrongSecret = `cak_${key.id}_${'A'.repeat(43)}`;
    expect(wrongSecret).not.toBe(key.secret);
    for (const apiKey of [
      'nonsense',
      'cak_not-a-uuid_x',
      `cak_${randomUUID()}_${'A'.repeat(43)}`,
      wrongSecret,
    ]) {
      const result = await api.gql(USERS, {}, { apiKey });
      expect(errorCode(result)).toBe('UNAUTHENTICATED');
      expect(result.data ?? null).toBeNull();
    }
    // The genuine key still works, so the refusals above were about the key presented.
    await api.ok(USERS, {}, { apiKey: key.secret });
  });

  it('rejects a key with UNAUTHENTICATED once revoked', async () => {
    const key = await createApiKey(api, firm, ['USERS_READ']);
    await api.ok(USERS, {}, { apiKey: key.secret });

    const revoked = await api.ok<{ revokeApiKey: { id: string; revokedAt: string | null } }>(
      REVOKE_KEY,
      { id: key.id },
      {
        token: firm.admin.accessToken,
      },
    );
    expect(revoked.revokeApiKey.revokedAt).not.toBeNull();
    expect((await keyRow(key.id)).revoked_at).not.toBeNull();

    const result = await api.gql(USERS, {}, { apiKey: key.secret });
    expect(errorCode(result)).toBe('UNAUTHENTICATED');
    // The same answer as an unknown key: a revoked key tells nothing about itself.
    const unknown = await api.gql(USERS, {}, { apiKey: `cak_${randomUUID()}_${'A'.repeat(43)}` });
    expect(result.errors?.[0]).toEqual(unknown.errors?.[0]);
  });

  it('records lastUsedAt when the key is used', async () => {
    const key = await createApiKey(api, firm, ['USERS_READ']);
    expect((await keyRow(key.id)).last_used_at).toBeNull();

    const before = Date.now();
    await api.ok(USERS, {}, { apiKey: key.secret });

    const usedAt = (await keyRow(key.id)).last_used_at;
    expect(usedAt).not.toBeNull();
    expect((usedAt as Date).getTime()).toBeGreaterThanOrEqual(before - 5_000);
    expect((usedAt as Date).getTime()).toBeLessThanOrEqual(Date.now() + 5_000);

    const list = await api.ok<{ apiKeys: { edges: Array<{ node: ApiKeyNode }> } }>(
      API_KEYS,
      {},
      {
        token: firm.admin.accessToken,
      },
    );
    const node = list.apiKeys.edges.find((e) => e.node.id === key.id)?.node;
    expect(node).toBeDefined();
    expect(node?.lastUsedAt).toEqual(expect.any(String));
  });
});

describe('actAsClient', () => {
  let firm: FirmFixture;
  let other: FirmFixture;
  let client: Session;
  let coach: Session;
  let otherClient: Session;
  let actKey: { id: string; secret: string };

  beforeAll(async () => {
    firm = await signUpFirm(api);
    other = await signUpFirm(api, 'Other Coaching');
    client = await addUser(api, firm, 'CLIENT');
    coach = await addUser(api, firm, 'COACH');
    otherClient = await addUser(api, other, 'CLIENT');
    actKey = await createApiKey(api, firm, ['CLIENTS_ACT', 'USERS_READ', 'GOALS_READ', 'PROFILE_READ']);
  });

  const mint = async (key: { secret: string }, clientId: string) =>
    (
      await api.ok<{ actAsClient: { accessToken: string; expiresAt: string } }>(
        ACT_AS_CLIENT,
        { clientId },
        { apiKey: key.secret },
      )
    ).actAsClient;

  it('mints a short-lived token whose me is the client', async () => {
    const minted = await mint(actKey, client.user.id);
    expect(new Date(minted.expiresAt).getTime()).toBeGreaterThan(Date.now());
    const me = await api.ok<{ me: { id: string; email: string; role: string } }>(
      ME,
      {},
      { token: minted.accessToken },
    );
    expect(me.me).toEqual({ id: client.user.id, email: client.user.email, role: 'CLIENT' });
  });

  it('the minted token can neither mint again nor call ADMIN operations, and writes nothing', async () => {
    const { accessToken } = await mint(actKey, client.user.id);
    const keysBefore = await countRows('api_keys', firm.tenantId);
    const invitationsBefore = await countRows('invitations', firm.tenantId);

    expect(
      errorCode(await api.gql(ACT_AS_CLIENT, { clientId: client.user.id }, { token: accessToken })),
    ).toBe('FORBIDDEN');
    // Even though the key holds USERS_READ, the token is a CLIENT's and users is ADMIN-only.
    expect(errorCode(await api.gql(USERS, {}, { token: accessToken }))).toBe('FORBIDDEN');
    expect(
      errorCode(
        await api.gql(
          CREATE_KEY,
          { input: { name: 'Escalation', scopes: ['USERS_READ'] } },
          { token: accessToken },
        ),
      ),
    ).toBe('FORBIDDEN');
    expect(errorCode(await api.gql(INVITE, { input: inviteInput(firm) }, { token: accessToken }))).toBe(
      'FORBIDDEN',
    );
    expect(errorCode(await api.gql(DEACTIVATE, { id: coach.user.id }, { token: accessToken }))).toBe(
      'FORBIDDEN',
    );

    expect(await countRows('api_keys', firm.tenantId)).toBe(keysBefore);
    expect(await countRows('invitations', firm.tenantId)).toBe(invitationsBefore);
    expect(await userStatus(coach.user.id)).toBe('ACTIVE');
  });

  const UPDATE_MY_PROFILE = `mutation ($input: UpdateProfileInput!) { updateMyProfile(input: $input) { displayName timezone } }`;
  const profileOf = async (userId: string) =>
    (await api.dataSource.query(`SELECT display_name, timezone FROM users WHERE id = $1`, [userId]))[0];

  it('a token minted without PROFILE_WRITE cannot change the client’s own profile (for themself needs a scope)', async () => {
    const before = await profileOf(client.user.id);
    const { accessToken } = await mint(actKey, client.user.id);
    const result = await api.gql(
      UPDATE_MY_PROFILE,
      { input: { displayName: 'Hijacked', timezone: 'Pacific/Kiritimati' } },
      { token: accessToken },
    );
    expect(errorCode(result)).toBe('FORBIDDEN');
    expect(result.data ?? null).toBeNull();
    expect(await profileOf(client.user.id)).toEqual(before);
  });

  it('PROFILE_WRITE lets a minted token change that client’s profile; PROFILE_READ alone gates me', async () => {
    const writer = await createApiKey(api, firm, ['CLIENTS_ACT', 'PROFILE_WRITE']);
    const { accessToken } = await mint(writer, client.user.id);
    const updated = await api.ok<{ updateMyProfile: { displayName: string } }>(
      UPDATE_MY_PROFILE,
      { input: { displayName: 'Cleo Partner' } },
      { token: accessToken },
    );
    expect(updated.updateMyProfile.displayName).toBe('Cleo Partner');
    expect((await profileOf(client.user.id)).display_name).toBe('Cleo Partner');
    // The same key lacks PROFILE_READ: me is refused to its tokens.
    expect(errorCode(await api.gql(ME, {}, { token: accessToken }))).toBe('FORBIDDEN');
  });

  it('a bare API key cannot call a for-themself operation even holding its scope', async () => {
    const key = await createApiKey(api, firm, ['PROFILE_READ', 'PROFILE_WRITE']);
    expect(errorCode(await api.gql(ME, {}, { apiKey: key.secret }))).toBe('FORBIDDEN');
    const result = await api.gql(UPDATE_MY_PROFILE, { input: { displayName: 'Nobody' } }, { apiKey: key.secret });
    expect(errorCode(result)).toBe('FORBIDDEN');
  });

  it('answers NOT_FOUND for a coach, an admin, an unknown id and another firm’s client', async () => {
    for (const clientId of [coach.user.id, firm.admin.user.id, randomUUID(), otherClient.user.id]) {
      const result = await api.gql(ACT_AS_CLIENT, { clientId }, { apiKey: actKey.secret });
      expect(errorCode(result)).toBe('NOT_FOUND');
      expect(result.data ?? null).toBeNull();
    }
  });

  it('refuses a key without CLIENTS_ACT with FORBIDDEN', async () => {
    const key = await createApiKey(api, firm, ['USERS_READ', 'GOALS_READ', 'GOALS_WRITE']);
    const result = await api.gql(ACT_AS_CLIENT, { clientId: client.user.id }, { apiKey: key.secret });
    expect(errorCode(result)).toBe('FORBIDDEN');
    expect(result.errors?.[0].message).toBe('Missing scope: CLIENTS_ACT');
  });

  it('refuses people: an ADMIN (or the client themselves) calling actAsClient is FORBIDDEN', async () => {
    for (const token of [firm.admin.accessToken, client.accessToken]) {
      const result = await api.gql(ACT_AS_CLIENT, { clientId: client.user.id }, { token });
      expect(errorCode(result)).toBe('FORBIDDEN');
      expect(result.data ?? null).toBeNull();
    }
  });

  it('revoking the key kills the tokens minted with it', async () => {
    const key = await createApiKey(api, firm, ['CLIENTS_ACT', 'PROFILE_READ']);
    const { accessToken } = await mint(key, client.user.id);
    await api.ok(ME, {}, { token: accessToken });

    await api.ok(REVOKE_KEY, { id: key.id }, { token: firm.admin.accessToken });

    const result = await api.gql(ME, {}, { token: accessToken });
    expect(errorCode(result)).toBe('UNAUTHENTICATED');
    // The client's own session is unaffected: only the key's tokens died.
    await api.ok(ME, {}, { token: client.accessToken });
  });
});

describe('API keys: role checks', () => {
  let firm: FirmFixture;
  let coach: Session;
  let client: Session;
  let target: Session;

  beforeAll(async () => {
    firm = await signUpFirm(api);
    coach = await addUser(api, firm, 'COACH');
    client = await addUser(api, firm, 'CLIENT');
    target = await addUser(api, firm, 'CLIENT');
  });

  for (const role of ['COACH', 'CLIENT'] as const) {
    it(`a ${role} cannot createApiKey, inviteUser, deactivateUser or list users, and writes nothing`, async () => {
      const token = (role === 'COACH' ? coach : client).accessToken;
      const keysBefore = await countRows('api_keys', firm.tenantId);
      const invitationsBefore = await countRows('invitations', firm.tenantId);
      const refreshBefore = Number(
        (
          await api.dataSource.query(
            `SELECT count(*)::int AS n FROM refresh_tokens WHERE user_id = $1 AND revoked_at IS NULL`,
            [target.user.id],
          )
        )[0].n,
      );

      const create = await api.gql(
        CREATE_KEY,
        { input: { name: 'Mine now', scopes: ALL_SCOPES } },
        { token },
      );
      expect(errorCode(create)).toBe('FORBIDDEN');
      const invite = await api.gql(INVITE, { input: { ...inviteInput(firm), role: 'ADMIN' } }, { token });
      expect(errorCode(invite)).toBe('FORBIDDEN');
      const deactivate = await api.gql(DEACTIVATE, { id: target.user.id }, { token });
      expect(errorCode(deactivate)).toBe('FORBIDDEN');
      const users = await api.gql(USERS, {}, { token });
      expect(errorCode(users)).toBe('FORBIDDEN');
      expect(users.data ?? null).toBeNull();

      expect(await countRows('api_keys', firm.tenantId)).toBe(keysBefore);
      expect(await countRows('invitations', firm.tenantId)).toBe(invitationsBefore);
      expect(await userStatus(target.user.id)).toBe('ACTIVE');
      const refreshAfter = Number(
        (
          await api.dataSource.query(
            `SELECT count(*)::int AS n FROM refresh_tokens WHERE user_id = $1 AND revoked_at IS NULL`,
            [target.user.id],
          )
        )[0].n,
      );
      expect(refreshAfter).toBe(refreshBefore);
      expect(refreshAfter).toBeGreaterThan(0);
    });
  }
});

describe('API keys: bad input', () => {
  let firm: FirmFixture;
  let other: FirmFixture;

  beforeAll(async () => {
    firm = await signUpFirm(api);
    other = await signUpFirm(api, 'Other Coaching');
  });

  it('createApiKey with no scopes is BAD_USER_INPUT naming scopes, and writes nothing', async () => {
    const before = await countRows('api_keys', firm.tenantId);
    const result = await api.gql(
      CREATE_KEY,
      { input: { name: 'Scopeless', scopes: [] } },
      {
        token: firm.admin.accessToken,
      },
    );
    expect(errorCode(result)).toBe('BAD_USER_INPUT');
    expect(fieldsOf(result)).toContain('scopes');
    expect(await countRows('api_keys', firm.tenantId)).toBe(before);
  });

  it('createApiKey with a 500-character name is BAD_USER_INPUT naming name, and writes nothing', async () => {
    const before = await countRows('api_keys', firm.tenantId);
    const result = await api.gql(
      CREATE_KEY,
      { input: { name: 'n'.repeat(500), scopes: ['USERS_READ'] } },
      {
        token: firm.admin.accessToken,
      },
    );
    expect(errorCode(result)).toBe('BAD_USER_INPUT');
    expect(fieldsOf(result)).toContain('name');
    expect(await countRows('api_keys', firm.tenantId)).toBe(before);
  });

  it('revokeApiKey with a non-uuid id is BAD_USER_INPUT naming id', async () => {
    const result = await api.gql(REVOKE_KEY, { id: 'not-a-uuid' }, { token: firm.admin.accessToken });
    expect(errorCode(result)).toBe('BAD_USER_INPUT');
    expect(fieldsOf(result)).toContain('id');
  });

  it('revokeApiKey with another firm’s key id is NOT_FOUND, and that key keeps working', async () => {
    const theirs = await createApiKey(api, other, ['USERS_READ']);
    const result = await api.gql(REVOKE_KEY, { id: theirs.id }, { token: firm.admin.accessToken });
    expect(errorCode(result)).toBe('NOT_FOUND');
    expect((await keyRow(theirs.id)).revoked_at).toBeNull();
    const data = await api.ok<{ users: { edges: Array<{ node: { id: string } }> } }>(
      USERS,
      {},
      {
        apiKey: theirs.secret,
      },
    );
    expect(data.users.edges.map((e) => e.node.id)).toContain(other.admin.user.id);
    expect(data.users.edges.map((e) => e.node.id)).not.toContain(firm.admin.user.id);
  });
});
