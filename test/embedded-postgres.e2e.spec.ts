import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ApiModule, MIGRATIONS } from '#cairn-app/api';
import {
  EmbeddedPostgres,
  migrateDatabase,
  startEmbeddedPostgres,
  TenantDatabase,
} from '#cairn/shared/database';
import { RequestContext } from '#cairn/shared/tenancy';
import { errorCode, FirmFixture, signUpFirm, testConfig } from '#cairn/shared/testing';
import { TestApi } from './support/index.js';

const ME = `{ me { id email role } }`;

/** What `npm start` does for a newcomer with no PostgreSQL: PGlite in memory behind a local socket. */
describe('embedded PostgreSQL (PGlite)', () => {
  let embedded: EmbeddedPostgres;
  let applied: string[];
  let api: TestApi;
  let firmA: FirmFixture;
  let firmB: FirmFixture;

  beforeAll(async () => {
    embedded = await startEmbeddedPostgres(undefined);
    applied = await migrateDatabase(embedded.url, MIGRATIONS);
    api = await TestApi.start(
      ApiModule.forRoot(
        testConfig({ DATABASE_URL: embedded.url, DATABASE_POOL_MAX: '1', DATABASE_IDLE_TIMEOUT_MS: '100' }),
      ),
    );
    firmA = await signUpFirm(api, 'Firm A');
    firmB = await signUpFirm(api, 'Firm B');
  });

  afterAll(async () => {
    await api?.close();
    await embedded?.stop();
  });

  it('starts on an OS-assigned local port and applies every migration', async () => {
    expect(embedded.url).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:[1-9]\d*\/postgres$/);
    expect(applied).toEqual(MIGRATIONS.map((m) => m.name));
    // Running again is a no-op.
    expect(await migrateDatabase(embedded.url, MIGRATIONS)).toEqual([]);
  });

  it('serves the API from it: sign-up and me work', async () => {
    const me = await api.ok<{ me: { id: string; email: string; role: string } }>(
      ME,
      {},
      { token: firmA.admin.accessToken },
    );
    expect(me.me).toEqual({ id: firmA.admin.user.id, email: `admin@${firmA.slug}.test`, role: 'ADMIN' });
    // The rows really are in PGlite, not in the regular test database.
    const [row] = await api.dataSource.query(`SELECT version() AS version`);
    expect(String(row.version)).toMatch(/PGlite/);
    const tenants = await api.dataSource.query(`SELECT id FROM tenants ORDER BY created_at`);
    expect(tenants.map((t: { id: string }) => t.id)).toEqual([firmA.tenantId, firmB.tenantId]);
  });

  it('enforces row-level security: an unfiltered query as firm A sees only firm A', async () => {
    // As the owner (outside RLS) both firms' users are there...
    const all: Array<{ tenant_id: string }> = await api.dataSource.query(`SELECT tenant_id FROM users`);
    expect(new Set(all.map((r) => r.tenant_id))).toEqual(new Set([firmA.tenantId, firmB.tenantId]));

    // ...but a tenant transaction, with no WHERE clause at all, gets only its own.
    const tenantDb = api.app.get(TenantDatabase);
    const seen = await RequestContext.runAs({ tenantId: firmA.tenantId }, () =>
      tenantDb.transaction((tx) => tx.manager.query(`SELECT tenant_id FROM users`)),
    );
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((r: { tenant_id: string }) => r.tenant_id === firmA.tenantId)).toBe(true);

    const asB = await RequestContext.runAs({ tenantId: firmB.tenantId }, () =>
      tenantDb.transaction((tx) => tx.manager.query(`SELECT tenant_id FROM users`)),
    );
    expect(asB.map((r: { tenant_id: string }) => r.tenant_id)).toEqual([firmB.tenantId]);
  });

  it('firm B cannot read firm A through the API either', async () => {
    const list = await api.ok<{ users: { edges: Array<{ node: { id: string } }> } }>(
      `{ users(first: 100) { edges { node { id } } } }`,
      {},
      { token: firmB.admin.accessToken },
    );
    expect(list.users.edges.map((e) => e.node.id)).toEqual([firmB.admin.user.id]);
    const other = await api.gql(
      `query ($id: ID!) { user(id: $id) { id } }`,
      { id: firmA.admin.user.id },
      {
        token: firmB.admin.accessToken,
      },
    );
    expect(errorCode(other)).toBe('NOT_FOUND');
  });
});
