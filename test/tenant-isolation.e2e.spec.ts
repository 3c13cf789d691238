import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { ApiModule } from '#cairn-app/api';
import { ApiKey, User } from '#cairn/identity';
import { ApiScope } from '#cairn/shared/auth';
import { SystemDatabase, TenantDatabase, TenantRepository, TenantTransaction } from '#cairn/shared/database';
import { RequestContext, TenantContextMissingError } from '#cairn/shared/tenancy';
import {
  addUser,
  createApiKey,
  errorCode,
  FirmFixture,
  Session,
  signUpFirm,
  testConfig,
} from '#cairn/shared/testing';
import { TestApi } from './support/index.js';

/** Every table that carries tenant data; each must be behind row-level security and a tenant-first index. */
const TENANT_OWNED_TABLES = ['users', 'refresh_tokens', 'api_keys', 'invitations'];
const RLS_TABLES = [...TENANT_OWNED_TABLES, 'tenants'];

const USERS = `query ($first: Int) { users(first: $first) { edges { node { id email } } } }`;
const USER = `query ($id: ID!) { user(id: $id) { id email } }`;

interface Firm {
  fixture: FirmFixture;
  members: Session[];
  apiKey: { id: string; secret: string };
}

describe('tenant isolation', () => {
  let api: TestApi;
  let tenantDb: TenantDatabase;
  let systemDb: SystemDatabase;
  let a: Firm;
  let b: Firm;

  const setUpFirm = async (name: string): Promise<Firm> => {
    const fixture = await signUpFirm(api, name);
    const members = [await addUser(api, fixture, 'COACH'), await addUser(api, fixture, 'CLIENT')];
    const apiKey = await createApiKey(api, fixture, ['USERS_READ']);
    return { fixture, members, apiKey };
  };

  const userIds = (firm: Firm) => [firm.fixture.admin.user.id, ...firm.members.map((m) => m.user.id)].sort();

  /** Runs `work` in a tenant transaction acting as `firm`, exactly as a resolver would. */
  const asTenant = <T>(firm: Firm, work: (tx: TenantTransaction) => Promise<T>): Promise<T> =>
    RequestContext.runAs({ tenantId: firm.fixture.tenantId }, () => tenantDb.transaction(work));

  /** Owner-role (RLS-bypassing) view of a table, to know what really is in the database. */
  const tenantIdsOf = async (table: string): Promise<string[]> =>
    (await systemDb.transaction((m) => m.query(`SELECT tenant_id FROM ${table}`))).map(
      (r: { tenant_id: string }) => r.tenant_id,
    );

  beforeAll(async () => {
    api = await TestApi.start(ApiModule.forRoot(testConfig()));
    tenantDb = api.app.get(TenantDatabase);
    systemDb = api.app.get(SystemDatabase);
    a = await setUpFirm('Firm A');
    b = await setUpFirm('Firm B');
  });
  afterAll(() => api.close());

  describe('the database (row-level security), with no tenant filter in the query', () => {
    it('both firms really have rows in every tenant-owned table (so the checks below are not vacuous)', async () => {
      for (const table of TENANT_OWNED_TABLES) {
        const owners = await tenantIdsOf(table);
        expect({ table, hasA: owners.includes(a.fixture.tenantId) }).toEqual({ table, hasA: true });
        expect({ table, hasB: owners.includes(b.fixture.tenantId) }).toEqual({ table, hasB: true });
      }
    });

    it('an unfiltered entity find returns only the acting tenant’s users', async () => {
      const seenByA = await asTenant(a, (tx) => tx.manager.find(User));
      expect(seenByA.map((u) => u.id).sort()).toEqual(userIds(a));
      expect(new Set(seenByA.map((u) => u.tenantId))).toEqual(new Set([a.fixture.tenantId]));

      const seenByB = await asTenant(b, (tx) => tx.manager.find(User));
      expect(seenByB.map((u) => u.id).sort()).toEqual(userIds(b));
    });

    it('unfiltered raw SQL on every tenant-owned table returns only the acting tenant’s rows', async () => {
      for (const table of TENANT_OWNED_TABLES) {
        const rows: Array<{ tenant_id: string }> = await asTenant(a, (tx) =>
          tx.manager.query(`SELECT tenant_id FROM ${table}`),
        );
        const expected = (await tenantIdsOf(table)).filter((t) => t === a.fixture.tenantId);
        expect({ table, seen: rows.map((r) => r.tenant_id) }).toEqual({ table, seen: expected });
        expect(rows.length).toBeGreaterThan(0);
      }
    });

    it('a tenant sees only its own firm row', async () => {
      const rows: Array<{ id: string }> = await asTenant(a, (tx) =>
        tx.manager.query(`SELECT * FROM tenants`),
      );
      expect(rows.map((r) => r.id)).toEqual([a.fixture.tenantId]);
      const byId: unknown[] = await asTenant(a, (tx) =>
        tx.manager.query(`SELECT id FROM tenants WHERE id = $1`, [b.fixture.tenantId]),
      );
      expect(byId).toEqual([]);
    });

    it('another tenant’s rows are invisible even when asked for by id', async () => {
      const bUser = b.members[0].user.id;
      expect(await asTenant(a, (tx) => tx.manager.findOneBy(User, { id: bUser }))).toBeNull();
      expect(await asTenant(a, (tx) => tx.manager.findOneBy(ApiKey, { id: b.apiKey.id }))).toBeNull();
      const count: Array<{ n: number }> = await asTenant(a, (tx) =>
        tx.manager.query(`SELECT count(*)::int AS n FROM users WHERE tenant_id = $1`, [b.fixture.tenantId]),
      );
      expect(count[0].n).toBe(0);
    });

    it('inserting a row for another tenant violates the WITH CHECK policy and writes nothing', async () => {
      const email = `intruder-${randomUUID().slice(0, 8)}@example.test`;
      await expect(
        asTenant(a, (tx) =>
          tx.manager.query(
            `INSERT INTO users (tenant_id, email, display_name, role) VALUES ($1, $2, 'Eve', 'ADMIN')`,
            [b.fixture.tenantId, email],
          ),
        ),
      ).rejects.toThrow(/row-level security/);
      await expect(
        asTenant(a, (tx) =>
          tx.manager.insert(ApiKey, {
            tenantId: b.fixture.tenantId,
            name: 'Backdoor',
            secretHash: 'x',
            scopes: [ApiScope.USERS_READ],
            createdByUserId: b.fixture.admin.user.id,
          }),
        ),
      ).rejects.toThrow(/row-level security/);

      const written = await systemDb.transaction((m) =>
        m.query(`SELECT id FROM users WHERE email = $1`, [email]),
      );
      expect(written).toEqual([]);
      const keys = await systemDb.transaction((m) =>
        m.query(`SELECT id FROM api_keys WHERE name = 'Backdoor'`),
      );
      expect(keys).toEqual([]);
    });

    it('moving one’s own row to another tenant violates the WITH CHECK policy', async () => {
      await expect(
        asTenant(a, (tx) =>
          tx.manager.query(`UPDATE users SET tenant_id = $1 WHERE id = $2`, [
            b.fixture.tenantId,
            a.members[1].user.id,
          ]),
        ),
      ).rejects.toThrow(/row-level security/);
      const [row] = await systemDb.transaction((m) =>
        m.query(`SELECT tenant_id FROM users WHERE id = $1`, [a.members[1].user.id]),
      );
      expect(row.tenant_id).toBe(a.fixture.tenantId);
    });

    it('updating or deleting another tenant’s row by id affects 0 rows', async () => {
      const victim = b.members[0].user.id;
      const updated = await asTenant(a, (tx) =>
        tx.manager.update(User, { id: victim }, { displayName: 'Hacked' }),
      );
      expect(updated.affected).toBe(0);
      const returned: unknown[] = await asTenant(a, (tx) =>
        tx.manager.query(`UPDATE users SET status = 'DEACTIVATED' WHERE id = $1 RETURNING id`, [victim]),
      );
      // TypeORM answers a raw UPDATE with [returned rows, affected count].
      expect(returned).toEqual([[], 0]);
      const deleted = await asTenant(a, (tx) => tx.manager.delete(ApiKey, { id: b.apiKey.id }));
      expect(deleted.affected).toBe(0);

      const [row] = await systemDb.transaction((m) =>
        m.query(`SELECT display_name, status FROM users WHERE id = $1`, [victim]),
      );
      expect(row).toEqual({ display_name: 'COACH person', status: 'ACTIVE' });
      const [key] = await systemDb.transaction((m) =>
        m.query(`SELECT id FROM api_keys WHERE id = $1`, [b.apiKey.id]),
      );
      expect(key).toEqual({ id: b.apiKey.id });

      // Control: the same statement does change the acting tenant's own row.
      const own = await asTenant(a, (tx) =>
        tx.manager.update(User, { id: a.members[0].user.id }, { displayName: 'COACH person' }),
      );
      expect(own.affected).toBe(1);
    });

    it('fails closed: the application role with no tenant set sees no rows and can write none', async () => {
      const asAppRole = (tenantSetting: string | null) =>
        api.dataSource.transaction(async (m) => {
          await m.query(`SELECT set_config('role', 'cairn_app', true)`);
          if (tenantSetting !== null)
            await m.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenantSetting]);
          const users: unknown[] = await m.query(`SELECT id FROM users`);
          const tenants: unknown[] = await m.query(`SELECT id FROM tenants`);
          const keys: unknown[] = await m.query(`SELECT id FROM api_keys`);
          return { users: users.length, tenants: tenants.length, keys: keys.length };
        });
      expect(await asAppRole(null)).toEqual({ users: 0, tenants: 0, keys: 0 });
      expect(await asAppRole('')).toEqual({ users: 0, tenants: 0, keys: 0 });

      // Control: the owner role in the same kind of transaction does see rows, and a set tenant sees its own.
      const ownerView: unknown[] = await api.dataSource.transaction((m) => m.query(`SELECT id FROM users`));
      expect(ownerView.length).toBeGreaterThanOrEqual(6);
      expect((await asAppRole(a.fixture.tenantId)).users).toBe(userIds(a).length);

      await expect(
        api.dataSource.transaction(async (m) => {
          await m.query(`SELECT set_config('role', 'cairn_app', true)`);
          await m.query(
            `INSERT INTO users (tenant_id, email, display_name, role) VALUES ($1, $2, 'Eve', 'ADMIN')`,
            [a.fixture.tenantId, `nobody-${randomUUID().slice(0, 8)}@example.test`],
          );
        }),
      ).rejects.toThrow(/row-level security/);
    });

    it('the application role cannot bypass row-level security', async () => {
      const [role] = await api.dataSource.query(
        `SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = 'cairn_app'`,
      );
      expect(role).toEqual({ rolsuper: false, rolbypassrls: false });
      const owners: Array<{ owner: string }> = await api.dataSource.query(
        `SELECT DISTINCT pg_get_userbyid(relowner) AS owner FROM pg_class WHERE relname = ANY($1) AND relkind = 'r'`,
        [RLS_TABLES],
      );
      expect(owners.map((o) => o.owner)).not.toContain('cairn_app');
    });
  });

  describe('the service-layer filter (TenantRepository), without row-level security', () => {
    it('scopes reads and writes to its tenant even as the RLS-bypassing owner role', async () => {
      // Sanity: the owner role sees both firms, so only the repository's filter can explain what follows.
      const all = await systemDb.transaction((m) => m.find(User));
      expect(all.some((u) => u.tenantId === b.fixture.tenantId)).toBe(true);

      const seen = await systemDb.transaction((m) =>
        new TenantRepository(m, User, a.fixture.tenantId).find(),
      );
      expect(seen.map((u) => u.id).sort()).toEqual(userIds(a));

      const bUser = b.members[0].user.id;
      const stray = await systemDb.transaction((m) =>
        new TenantRepository(m, User, a.fixture.tenantId).findOne({ id: bUser }),
      );
      expect(stray).toBeNull();
      const changed = await systemDb.transaction((m) =>
        new TenantRepository(m, User, a.fixture.tenantId).update({ id: bUser }, { displayName: 'Hacked' }),
      );
      expect(changed).toBe(0);
    });
  });

  describe('the tenant context', () => {
    it('a tenant transaction outside any tenant context throws TenantContextMissingError', async () => {
      let ran = false;
      const work = async () => {
        ran = true;
      };
      await expect(tenantDb.transaction(work)).rejects.toBeInstanceOf(TenantContextMissingError);
      // Inside a request whose credential has not (yet) set an actor: still no tenant.
      await expect(RequestContext.run(() => tenantDb.transaction(work))).rejects.toBeInstanceOf(
        TenantContextMissingError,
      );
      expect(ran).toBe(false);
    });

    it('a request that has established its tenant cannot switch to another', () => {
      RequestContext.run(() => {
        RequestContext.setActor({ tenantId: a.fixture.tenantId, userId: a.fixture.admin.user.id });
        expect(() => RequestContext.setActor({ tenantId: b.fixture.tenantId })).toThrow(
          /cannot switch tenants/,
        );
        expect(RequestContext.requireTenantId()).toBe(a.fixture.tenantId);
        // Re-asserting the same tenant is fine.
        RequestContext.setActor({ tenantId: a.fixture.tenantId, apiKeyId: a.apiKey.id });
        expect(RequestContext.requireTenantId()).toBe(a.fixture.tenantId);
      });
    });

    it('a nested tenant transaction for a different tenant is refused', async () => {
      await expect(
        asTenant(a, () =>
          RequestContext.runAs({ tenantId: b.fixture.tenantId }, () => tenantDb.transaction(async () => 1)),
        ),
      ).rejects.toThrow(/different tenant/);
    });
  });

  describe('through the GraphQL API', () => {
    it('another firm’s user is NOT_FOUND, exactly like an id that does not exist', async () => {
      const token = a.fixture.admin.accessToken;
      const foreign = await api.gql(USER, { id: b.members[0].user.id }, { token });
      const missing = await api.gql(USER, { id: randomUUID() }, { token });
      expect(errorCode(foreign)).toBe('NOT_FOUND');
      expect(foreign.data).toBeNull();
      expect(foreign.errors?.[0].message).toBe(missing.errors?.[0].message);
      expect(errorCode(missing)).toBe('NOT_FOUND');

      // Control: the same query finds a user of one's own firm.
      const own = await api.ok<{ user: { id: string } }>(USER, { id: a.members[0].user.id }, { token });
      expect(own.user.id).toBe(a.members[0].user.id);
    });

    it('users lists only the caller’s firm', async () => {
      for (const firm of [a, b]) {
        const data = await api.ok<{ users: { edges: Array<{ node: { id: string } }> } }>(
          USERS,
          { first: 100 },
          { token: firm.fixture.admin.accessToken },
        );
        expect(data.users.edges.map((e) => e.node.id).sort()).toEqual(userIds(firm));
      }
    });

    it('an API key with USERS_READ sees only its own firm’s users', async () => {
      const data = await api.ok<{ users: { edges: Array<{ node: { id: string } }> } }>(
        USERS,
        { first: 100 },
        { apiKey: a.apiKey.secret },
      );
      expect(data.users.edges.map((e) => e.node.id).sort()).toEqual(userIds(a));
      const foreign = await api.gql(USER, { id: b.fixture.admin.user.id }, { apiKey: a.apiKey.secret });
      expect(errorCode(foreign)).toBe('NOT_FOUND');
    });

    it('another firm’s users and keys cannot be changed, and stay unchanged', async () => {
      const token = a.fixture.admin.accessToken;
      const victim = b.members[1].user.id;
      const deactivate = await api.gql(
        `mutation ($id: ID!) { deactivateUser(id: $id) { id } }`,
        { id: victim },
        { token },
      );
      expect(errorCode(deactivate)).toBe('NOT_FOUND');
      const revoke = await api.gql(
        `mutation ($id: ID!) { revokeApiKey(id: $id) { id } }`,
        { id: b.apiKey.id },
        { token },
      );
      expect(errorCode(revoke)).toBe('NOT_FOUND');

      const [user] = await systemDb.transaction((m) =>
        m.query(`SELECT status FROM users WHERE id = $1`, [victim]),
      );
      expect(user.status).toBe('ACTIVE');
      const [key] = await systemDb.transaction((m) =>
        m.query(`SELECT revoked_at FROM api_keys WHERE id = $1`, [b.apiKey.id]),
      );
      expect(key.revoked_at).toBeNull();
      // B's key still works.
      await api.ok(USERS, {}, { apiKey: b.apiKey.secret });
    });

    it('apiKeys and invitations list only the caller’s firm', async () => {
      const data = await api.ok<{
        apiKeys: { edges: Array<{ node: { id: string } }> };
        invitations: { edges: Array<{ node: { email: string } }> };
      }>(
        `{ apiKeys(first: 100) { edges { node { id } } } invitations(first: 100) { edges { node { email } } } }`,
        {},
        { token: a.fixture.admin.accessToken },
      );
      expect(data.apiKeys.edges.map((e) => e.node.id)).toEqual([a.apiKey.id]);
      expect(data.invitations.edges.map((e) => e.node.email).sort()).toEqual(
        a.members.map((m) => m.user.email).sort(),
      );
    });
  });

  describe('schema safeguards', () => {
    it('row-level security is enabled, with a policy for the application role, on every tenant-owned table', async () => {
      const rows: Array<{ relname: string; relrowsecurity: boolean }> = await api.dataSource.query(
        `SELECT c.relname, c.relrowsecurity FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname = ANY($1) ORDER BY c.relname`,
        [RLS_TABLES],
      );
      expect(rows).toEqual([...RLS_TABLES].sort().map((relname) => ({ relname, relrowsecurity: true })));

      const policies: Array<{ tablename: string; roles: string[] | string }> = await api.dataSource.query(
        `SELECT tablename, roles FROM pg_policies WHERE schemaname = 'public' AND tablename = ANY($1)`,
        [RLS_TABLES],
      );
      for (const table of RLS_TABLES) {
        const policy = policies.find((p) => p.tablename === table);
        expect({ table, roles: String(policy?.roles ?? '') }).toEqual({
          table,
          roles: expect.stringContaining('cairn_app'),
        });
      }
    });

    it('every table with a tenant_id column (including future ones) has RLS on and has a tenant-first index', async () => {
      const withTenantColumn: Array<{ table_name: string }> = await api.dataSource.query(
        `SELECT table_name FROM information_schema.columns
          WHERE table_schema = 'public' AND column_name = 'tenant_id' ORDER BY table_name`,
      );
      const tables = withTenantColumn.map((r) => r.table_name);
      expect(tables).toEqual(expect.arrayContaining(TENANT_OWNED_TABLES));

      const security: Array<{ relname: string; relrowsecurity: boolean }> = await api.dataSource.query(
        `SELECT relname, relrowsecurity FROM pg_class WHERE relkind = 'r' AND relname = ANY($1)`,
        [tables],
      );
      const indexes: Array<{ tablename: string; indexdef: string }> = await api.dataSource.query(
        `SELECT tablename, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename = ANY($1)`,
        [tables],
      );
      for (const table of tables) {
        expect({ table, rls: security.find((s) => s.relname === table)?.relrowsecurity }).toEqual({
          table,
          rls: true,
        });
        const tenantFirst = indexes.filter(
          (i) => i.tablename === table && /USING \w+ \(tenant_id[,)]/.test(i.indexdef),
        );
        expect({ table, hasTenantFirstIndex: tenantFirst.length > 0 }).toEqual({
          table,
          hasTenantFirstIndex: true,
        });
      }
    });

    it('keys are ready for distribution by tenant: every unique key and foreign key of a tenant table has tenant_id', async () => {
      // README, "Running more than one process" → distributed PostgreSQL: Citus needs the distribution column in
      // every primary and unique key, and co-located foreign keys. The primary keys on (id) alone are the one
      // known exception, changed when the tables are distributed; a new key without tenant_id fails here.
      const keys: Array<{ table: string; name: string; kind: string; def: string }> = await api.dataSource.query(
        `SELECT t.relname AS table, i.relname AS name, CASE WHEN x.indisprimary THEN 'primary' ELSE 'unique' END AS kind,
                pg_get_indexdef(i.oid) AS def
           FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
          WHERE t.relnamespace = 'public'::regnamespace AND x.indisunique
            AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = t.oid AND a.attname = 'tenant_id')`,
      );
      const withoutTenant = keys.filter((k) => !/\(.*\btenant_id\b.*\)/.test(k.def.replace(/ WHERE .*/, '')));
      expect(withoutTenant.filter((k) => k.kind === 'unique')).toEqual([]);
      expect(withoutTenant.every((k) => k.def.endsWith('USING btree (id)'))).toBe(true);
      const foreignKeys: Array<{ table: string; def: string }> = await api.dataSource.query(
        `SELECT conrelid::regclass::text AS table, pg_get_constraintdef(oid) AS def FROM pg_constraint
          WHERE contype = 'f' AND connamespace = 'public'::regnamespace`,
      );
      expect(foreignKeys.filter((k) => !/^FOREIGN KEY \(tenant_id\b/.test(k.def))).toEqual([]);
    });
  });
});
