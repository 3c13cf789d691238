import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { ApiModule } from '#cairn-app/api';
import {
  addUser,
  errorCode,
  FirmFixture,
  GqlResult,
  Session,
  signUpFirm,
  testConfig,
} from '#cairn/shared/testing';
import { TestApi } from './support/index.js';

const USERS_PAGE = `query ($first: Int, $after: String) {
  users(first: $first, after: $after) {
    edges { cursor node { id } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`;
const API_KEYS_WITH_CREATOR = `{ apiKeys(first: 20) { edges { node { id createdBy { id email } } } } }`;
const CREATE_KEY_DEEP = `mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { apiKey { createdBy { id } } } }`;
const CREATE_KEY_SHALLOW = `mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }`;
const OVER_COMPLEX = `{
  users(first: 100) { edges { node { id } } }
  apiKeys(first: 100) { edges { node { createdBy { id email } } } }
}`;
const INTROSPECTION = `{ __schema { types { name } } }`;
const MISSPELT = `{ mee { id } }`;

interface UsersPage {
  users: {
    edges: Array<{ cursor: string; node: { id: string } }>;
    pageInfo: {
      hasNextPage: boolean;
      hasPreviousPage: boolean;
      startCursor: string | null;
      endCursor: string | null;
    };
  };
}

const postRaw = (api: TestApi, body: unknown, token?: string) => {
  let req = api.http.post('/graphql').set('content-type', 'application/json');
  if (token) req = req.set('authorization', `Bearer ${token}`);
  return req.send(body as object);
};

const expectNoStacktrace = (result: GqlResult) => {
  expect(result.errors?.length).toBeGreaterThan(0);
  for (const error of result.errors ?? []) {
    expect(error.extensions).toBeDefined();
    expect(error.extensions?.stacktrace).toBeUndefined();
    // No stack frame (`file.ts:12:34`) anywhere in the error, under any key.
    expect(JSON.stringify(error)).not.toMatch(/\.(?:ts|js):\d+:\d+/);
  }
};

describe('GraphQL conventions', () => {
  let api: TestApi;
  let firm: FirmFixture;

  beforeAll(async () => {
    api = await TestApi.start(ApiModule.forRoot(testConfig()));
    firm = await signUpFirm(api);
  });
  afterAll(() => api.close());

  const apiKeyCount = async (tenantId: string) =>
    Number(
      (
        await api.dataSource.query(`SELECT count(*)::int AS n FROM api_keys WHERE tenant_id = $1`, [tenantId])
      )[0].n,
    );

  describe('protocol errors', () => {
    it('malformed GraphQL is an HTTP 400 with GRAPHQL_PARSE_FAILED', async () => {
      const res = await postRaw(api, { query: '{ me { id ' }, firm.admin.accessToken);
      expect(res.status).toBe(400);
      expect(res.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
      expect(res.body.data).toBeUndefined();
    });

    it('an unknown field is an HTTP 400 with GRAPHQL_VALIDATION_FAILED', async () => {
      const res = await postRaw(api, { query: '{ me { id shoeSize } }' }, firm.admin.accessToken);
      expect(res.status).toBe(400);
      expect(res.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(res.body.errors?.[0]?.message).toMatch(/shoeSize/);

      // Control: the well-formed, valid query is fine.
      const ok = await postRaw(api, { query: '{ me { id } }' }, firm.admin.accessToken);
      expect(ok.status).toBe(200);
      expect(ok.body.data.me.id).toBe(firm.admin.user.id);
    });
  });

  describe('cursor pagination', () => {
    let team: FirmFixture;
    let members: string[];

    beforeAll(async () => {
      team = await signUpFirm(api, 'Paging Coaching');
      const added: Session[] = [];
      for (const role of ['COACH', 'COACH', 'CLIENT', 'CLIENT'] as const)
        added.push(await addUser(api, team, role));
      members = [team.admin.user.id, ...added.map((s) => s.user.id)];
    });

    it('rejects page sizes outside 1..100 with BAD_USER_INPUT', async () => {
      const token = team.admin.accessToken;
      for (const first of [101, 0, -1]) {
        const result = await api.gql(USERS_PAGE, { first }, { token });
        expect({ first, code: errorCode(result) }).toEqual({ first, code: 'BAD_USER_INPUT' });
      }
      // Control: the bounds themselves are fine.
      for (const first of [1, 100]) await api.ok(USERS_PAGE, { first }, { token });
    });

    it('variables of the wrong type (unknown enum value, fractional Int) are BAD_USER_INPUT, not a 500', async () => {
      const token = team.admin.accessToken;
      const byRole = `query ($role: Role) { users(first: 5, role: $role) { edges { node { id } } } }`;
      const unknownEnum = await api.gql(byRole, { role: 'WIZARD' }, { token });
      expect(unknownEnum.status).toBe(400);
      expect(errorCode(unknownEnum)).toBe('BAD_USER_INPUT');
      const fractional = await api.gql(USERS_PAGE, { first: 2.5 }, { token });
      expect(errorCode(fractional)).toBe('BAD_USER_INPUT');
      await api.ok(byRole, { role: 'COACH' }, { token });
    });

    it('a page size over 100 is refused naming `first`, before the complexity check', async () => {
      const token = team.admin.accessToken;
      // 1000 × the children would also be QUERY_TOO_COMPLEX; the caller learns the real problem instead.
      const huge = await api.gql(
        `{ clients(first: 1000) { edges { node { id displayName } } } }`,
        {},
        { token },
      );
      expect(huge.status).toBe(400);
      expect(huge.errors?.[0]?.message).toMatch(/first must not be greater than 100/);
      expect(huge.errors?.[0]?.extensions).toEqual({
        code: 'BAD_USER_INPUT',
        fields: [{ field: 'first', messages: ['first must not be greater than 100'] }],
      });
      const negative = await api.gql(USERS_PAGE, { first: -1000 }, { token });
      expect(negative.errors?.[0]?.extensions?.fields).toEqual([
        { field: 'first', messages: ['first must not be less than 1'] },
      ]);
    });

    it('an impossible date or a timestamp in a LocalDate variable is HTTP 400 BAD_USER_INPUT', async () => {
      const token = team.admin.accessToken;
      const createTask = `mutation ($due: LocalDate) {
        createActionTask(input: { goalId: "${randomUUID()}", title: "Write the report", dueDate: $due }) { id }
      }`;
      for (const due of ['2025-02-30', '2025-13-01', '2025-01-01T10:00:00Z', 20250101]) {
        const result = await api.gql(createTask, { due }, { token });
        expect({ due, status: result.status, code: errorCode(result) }).toEqual({
          due,
          status: 400,
          code: 'BAD_USER_INPUT',
        });
      }
    });

    it('rejects a cursor it did not issue with BAD_USER_INPUT', async () => {
      const token = team.admin.accessToken;
      const forged = [
        'not-a-cursor',
        Buffer.from('{"id":1}').toString('base64url'),
        Buffer.from(JSON.stringify(['yesterday', randomUUID()])).toString('base64url'),
        Buffer.from(JSON.stringify([new Date().toISOString(), "x' OR 1=1 --"])).toString('base64url'),
      ];
      for (const after of forged) {
        const result = await api.gql(USERS_PAGE, { first: 2, after }, { token });
        expect({ after, code: errorCode(result) }).toEqual({ after, code: 'BAD_USER_INPUT' });
      }
    });

    it('sizes pages by `first`, oldest first, with hasNextPage telling whether more remain', async () => {
      const token = team.admin.accessToken;
      const firstTwo = (await api.ok<UsersPage>(USERS_PAGE, { first: 2 }, { token })).users;
      expect(firstTwo.edges.map((e) => e.node.id)).toEqual(members.slice(0, 2));
      expect(firstTwo.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
      expect(firstTwo.pageInfo.startCursor).toBe(firstTwo.edges[0].cursor);
      expect(firstTwo.pageInfo.endCursor).toBe(firstTwo.edges[1].cursor);

      const exactlyAll = (await api.ok<UsersPage>(USERS_PAGE, { first: 5 }, { token })).users;
      expect(exactlyAll.edges.map((e) => e.node.id)).toEqual(members);
      expect(exactlyAll.pageInfo.hasNextPage).toBe(false);

      const moreThanAll = (await api.ok<UsersPage>(USERS_PAGE, { first: 100 }, { token })).users;
      expect(moreThanAll.edges.map((e) => e.node.id)).toEqual(members);
      expect(moreThanAll.pageInfo.hasNextPage).toBe(false);
    });

    it('walks 5 users two at a time: 3 pages, correct pageInfo, no duplicates or gaps', async () => {
      const token = team.admin.accessToken;
      const seen: string[] = [];
      const pages: UsersPage['users'][] = [];
      let after: string | undefined;
      do {
        const { users } = await api.ok<UsersPage>(USERS_PAGE, { first: 2, after }, { token });
        pages.push(users);
        seen.push(...users.edges.map((e) => e.node.id));
        after = users.pageInfo.hasNextPage ? (users.pageInfo.endCursor ?? undefined) : undefined;
      } while (after && pages.length < 10);

      expect(pages.map((p) => p.edges.length)).toEqual([2, 2, 1]);
      expect(pages.map((p) => p.pageInfo.hasNextPage)).toEqual([true, true, false]);
      expect(pages.map((p) => p.pageInfo.hasPreviousPage)).toEqual([false, true, true]);
      for (const page of pages) {
        expect(page.pageInfo.startCursor).toBe(page.edges[0].cursor);
        expect(page.pageInfo.endCursor).toBe(page.edges.at(-1)?.cursor);
      }
      expect(new Set(seen).size).toBe(seen.length);
      expect([...seen].sort()).toEqual([...members].sort());
      // Oldest first: the admin signed up before anyone was invited.
      expect(seen[0]).toBe(team.admin.user.id);

      // The whole list in one page is the same order.
      const all = await api.ok<UsersPage>(USERS_PAGE, { first: 100 }, { token });
      expect(all.users.edges.map((e) => e.node.id)).toEqual(seen);
      expect(all.users.pageInfo.hasNextPage).toBe(false);
    });
  });

  describe('cursor pagination within one millisecond', () => {
    it('orders and walks rows a millisecond apart by their microseconds, one page at a time, none repeated', async () => {
      const firm = await signUpFirm(api, 'Microsecond Coaching');
      const added = [
        await addUser(api, firm, 'COACH'),
        await addUser(api, firm, 'COACH'),
        await addUser(api, firm, 'CLIENT'),
      ];
      const ids = [firm.admin.user.id, ...added.map((s) => s.user.id)];
      // One millisecond, four microseconds, in an order that is neither creation nor id order.
      const micros = [4, 1, 3, 2];
      for (const [i, id] of ids.entries()) {
        await api.dataSource.query(`UPDATE users SET created_at = $2::timestamptz WHERE id = $1`, [
          id,
          `2026-01-01T00:00:00.12300${micros[i]}Z`,
        ]);
      }
      const expected = [ids[1], ids[3], ids[2], ids[0]];
      const walked: string[] = [];
      const times: string[] = [];
      let after: string | undefined;
      do {
        const { users } = await api.ok<UsersPage>(
          USERS_PAGE,
          { first: 1, after },
          { token: firm.admin.accessToken },
        );
        walked.push(...users.edges.map((e) => e.node.id));
        times.push(
          ...users.edges.map((e) => JSON.parse(Buffer.from(e.cursor, 'base64url').toString('utf8'))[0]),
        );
        after = users.pageInfo.hasNextPage ? (users.pageInfo.endCursor ?? undefined) : undefined;
      } while (after && walked.length < 10);
      expect(walked).toEqual(expected);
      expect(times).toEqual([1, 2, 3, 4].map((us) => `2026-01-01T00:00:00.12300${us}Z`));
    });
  });

  describe('DataLoader batching', () => {
    it('resolves createdBy for a page of API keys without one query per key', async () => {
      const team = await signUpFirm(api, 'Batching Coaching');
      const admins = [team.admin, await addUser(api, team, 'ADMIN'), await addUser(api, team, 'ADMIN')];
      const createKey = (creator: Session, name: string) =>
        api.ok(
          CREATE_KEY_SHALLOW,
          { input: { name, scopes: ['USERS_READ'] } },
          { token: creator.accessToken },
        );

      const qr = api.dataSource.createQueryRunner();
      const proto = Object.getPrototypeOf(qr);
      await qr.release();
      const statementsFor = async (query: string) => {
        const spy = jest.spyOn(proto, 'query');
        try {
          const data = await api.ok<{
            apiKeys: {
              edges: Array<{ node: { id: string; createdBy: { id: string; email: string } | null } }>;
            };
          }>(query, {}, { token: team.admin.accessToken });
          return { statements: spy.mock.calls.length, edges: data.apiKeys.edges };
        } finally {
          spy.mockRestore();
        }
      };

      const creators = [admins[0], admins[1]];
      for (const [i, creator] of creators.entries()) await createKey(creator, `key ${i}`);
      const two = await statementsFor(API_KEYS_WITH_CREATOR);
      expect(two.edges).toHaveLength(2);

      for (const [i, creator] of [admins[2], admins[0], admins[1], admins[2]].entries()) {
        await createKey(creator, `key ${i + 2}`);
        creators.push(creator);
      }
      const six = await statementsFor(API_KEYS_WITH_CREATOR);
      expect(six.edges).toHaveLength(6);
      // Each key got its own creator (keys are listed oldest first, as they were created).
      expect(six.edges.map((e) => e.node.createdBy?.email)).toEqual(creators.map((c) => c.user.email));

      expect(two.statements).toBeGreaterThan(0);
      expect(six.statements).toBe(two.statements);

      // Control: the spy does see per-field work — leaving createdBy out saves the batched load.
      const withoutCreator = await statementsFor(`{ apiKeys(first: 20) { edges { node { id } } } }`);
      expect(withoutCreator.statements).toBeLessThan(six.statements);
    });
  });

  describe('error hygiene', () => {
    it('errors never carry a stack trace', async () => {
      const token = firm.admin.accessToken;
      const notFound = await api.gql(
        `query ($id: ID!) { user(id: $id) { id } }`,
        { id: randomUUID() },
        { token },
      );
      expect(errorCode(notFound)).toBe('NOT_FOUND');
      expectNoStacktrace(notFound);

      const badInput = await api.gql(USERS_PAGE, { first: 101 }, { token });
      expect(errorCode(badInput)).toBe('BAD_USER_INPUT');
      expectNoStacktrace(badInput);

      const badId = await api.gql(`query ($id: ID!) { user(id: $id) { id } }`, { id: 'nope' }, { token });
      expect(errorCode(badId)).toBe('BAD_USER_INPUT');
      expectNoStacktrace(badId);

      const unauthenticated = await api.gql(`{ me { id } }`);
      expect(errorCode(unauthenticated)).toBe('UNAUTHENTICATED');
      expectNoStacktrace(unauthenticated);

      const invalid = await api.gql(MISSPELT, {}, { token });
      expect(errorCode(invalid)).toBe('GRAPHQL_VALIDATION_FAILED');
      expectNoStacktrace(invalid);
    });

    it('outside production, introspection works and validation errors suggest fields', async () => {
      const token = firm.admin.accessToken;
      const schema = await api.ok<{ __schema: { types: Array<{ name: string }> } }>(
        INTROSPECTION,
        {},
        { token },
      );
      expect(schema.__schema.types.map((t) => t.name)).toContain('User');
      const misspelt = await api.gql(MISSPELT, {}, { token });
      expect(misspelt.errors?.[0].message).toContain('Did you mean');
    });
  });

  describe('schema contract', () => {
    it('the running API serves exactly the committed schema.graphql', () => {
      const printed = `${printSchema(lexicographicSortSchema(api.app.get(GraphQLSchemaHost).schema))}\n`;
      const committed = readFileSync(new URL('../schema.graphql', import.meta.url), 'utf8');
      expect(printed).toBe(committed);
    });
  });

  // The blocks below each boot a second API with other settings. @nestjs/passport registers strategies on the
  // process-wide passport singleton, so the most recently started app authenticates every app's requests, and
  // once it is closed tokens fail everywhere. Hence they come last, and each closes before the next starts.
  describe('query depth limit (GRAPHQL_MAX_DEPTH=3)', () => {
    let shallowApi: TestApi;

    beforeAll(async () => {
      shallowApi = await TestApi.start(ApiModule.forRoot(testConfig({ GRAPHQL_MAX_DEPTH: '3' })));
    });
    afterAll(() => shallowApi.close());

    it('rejects an over-deep query with QUERY_TOO_DEEP, including one hidden in fragments', async () => {
      const token = firm.admin.accessToken;
      const deep = await shallowApi.gql(`{ apiKeys { edges { node { createdBy { id } } } } }`, {}, { token });
      expect(errorCode(deep)).toBe('QUERY_TOO_DEEP');
      expect(deep.status).toBe(400);
      expect(deep.data ?? null).toBeNull();

      const viaFragments = await shallowApi.gql(
        `{ apiKeys { ...Page } }
         fragment Page on ApiKeyConnection { edges { ...Edge } }
         fragment Edge on ApiKeyEdge { node { id } }`,
        {},
        { token },
      );
      expect(errorCode(viaFragments)).toBe('QUERY_TOO_DEEP');

      // Control: depth 3 is allowed.
      const shallow = await shallowApi.ok<{ me: { id: string } }>(`{ me { id } }`, {}, { token });
      expect(shallow.me.id).toBe(firm.admin.user.id);
      // And the default limit (10) lets the same deep query through.
      await api.ok(`{ apiKeys { edges { node { createdBy { id } } } } }`, {}, { token });
    });

    it('rejects before anything executes: an over-deep mutation writes nothing', async () => {
      const token = firm.admin.accessToken;
      const input = { name: 'Too deep', scopes: ['USERS_READ'] };
      const before = await apiKeyCount(firm.tenantId);
      const result = await shallowApi.gql(CREATE_KEY_DEEP, { input }, { token });
      expect(errorCode(result)).toBe('QUERY_TOO_DEEP');
      expect(await apiKeyCount(firm.tenantId)).toBe(before);

      // Control: the same mutation within the limit does write.
      await shallowApi.ok(CREATE_KEY_SHALLOW, { input }, { token });
      expect(await apiKeyCount(firm.tenantId)).toBe(before + 1);
    });
  });

  describe('query complexity limit (GRAPHQL_MAX_COMPLEXITY=50)', () => {
    let frugalApi: TestApi;

    beforeAll(async () => {
      frugalApi = await TestApi.start(ApiModule.forRoot(testConfig({ GRAPHQL_MAX_COMPLEXITY: '50' })));
    });
    afterAll(() => frugalApi.close());

    it('rejects an over-complex query with QUERY_TOO_COMPLEX, and allows a modest one', async () => {
      const token = firm.admin.accessToken;
      const heavy = await frugalApi.gql(OVER_COMPLEX, {}, { token });
      expect(errorCode(heavy)).toBe('QUERY_TOO_COMPLEX');
      expect(heavy.status).toBe(400);
      expect(heavy.data ?? null).toBeNull();

      // Page size counts: `first` passed as a variable is priced too.
      const viaVariable = await frugalApi.gql(
        `query ($n: Int) { users(first: $n) { edges { node { id email } } } }`,
        { n: 100 },
        { token },
      );
      expect(errorCode(viaVariable)).toBe('QUERY_TOO_COMPLEX');

      const modest = await frugalApi.ok<{ users: { edges: unknown[] }; me: { id: string } }>(
        `{ me { id } users(first: 5) { edges { node { id } } } }`,
        {},
        { token },
      );
      expect(modest.me.id).toBe(firm.admin.user.id);
      expect(modest.users.edges.length).toBeGreaterThan(0);

      // Control: the heavy query is within the default limit.
      await api.ok(OVER_COMPLEX, {}, { token });
    });
  });

  describe('production mode', () => {
    let prodApi: TestApi;

    beforeAll(async () => {
      prodApi = await TestApi.start(ApiModule.forRoot(testConfig({ NODE_ENV: 'production' })));
    });
    afterAll(() => prodApi.close());

    it('rejects introspection', async () => {
      const token = firm.admin.accessToken;
      for (const query of [INTROSPECTION, `{ __type(name: "User") { fields { name } } }`]) {
        const result = await prodApi.gql(query, {}, { token });
        expect(result.data ?? null).toBeNull();
        expect(errorCode(result)).toBe('GRAPHQL_VALIDATION_FAILED');
        expect(result.errors?.[0].message).toMatch(/introspection/i);
      }
      // Control: ordinary queries still work in production.
      const me = await prodApi.ok<{ me: { id: string } }>(`{ me { id } }`, {}, { token });
      expect(me.me.id).toBe(firm.admin.user.id);
    });

    it('does not reveal the schema through suggestions, nor stack traces', async () => {
      const token = firm.admin.accessToken;
      const misspelt = await prodApi.gql(MISSPELT, {}, { token });
      expect(errorCode(misspelt)).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(misspelt.errors?.[0].message).not.toContain('Did you mean');
      expect(misspelt.errors?.[0].message).not.toMatch(/"me"/);
      expectNoStacktrace(misspelt);

      const notFound = await prodApi.gql(
        `query ($id: ID!) { user(id: $id) { id } }`,
        { id: randomUUID() },
        { token },
      );
      expect(errorCode(notFound)).toBe('NOT_FOUND');
      expectNoStacktrace(notFound);
    });
  });
});
