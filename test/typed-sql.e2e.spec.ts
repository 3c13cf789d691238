import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import { ApiModule } from '#cairn-app/api';
import { User } from '#cairn/identity';
import { ownerKysely, SystemDatabase, TenantDatabase, tenantKysely, type TenantTransaction } from '#cairn/shared/database';
import { RequestContext, TenantContextMissingError } from '#cairn/shared/tenancy';
import { addUser, FirmFixture, signUpFirm, testConfig } from '#cairn/shared/testing';
import { TestApi } from './support/index.js';

describe('typed SQL (Kysely on the tenant transaction)', () => {
  let api: TestApi;
  let tenantDb: TenantDatabase;
  let systemDb: SystemDatabase;
  let a: FirmFixture;
  let b: FirmFixture;

  const asTenant = <T>(firm: FirmFixture, work: (tx: TenantTransaction) => Promise<T>) =>
    RequestContext.runAs({ tenantId: firm.tenantId }, () => tenantDb.transaction(work));
  const readAs = <T>(firm: FirmFixture, work: (tx: TenantTransaction) => Promise<T>) =>
    RequestContext.runAs({ tenantId: firm.tenantId }, () => tenantDb.read(work));

  beforeAll(async () => {
    api = await TestApi.start(ApiModule.forRoot(testConfig()));
    tenantDb = api.app.get(TenantDatabase);
    systemDb = api.app.get(SystemDatabase);
    a = await signUpFirm(api, 'Typed A');
    b = await signUpFirm(api, 'Typed B');
    await addUser(api, b, 'COACH');
  });
  afterAll(() => api.close());

  describe('first wall: the query layer scopes to the tenant even with RLS off (owner connection)', () => {
    it('a select through the layer sees only the tenant’s rows, though the connection sees both firms', async () => {
      const { all, scoped } = await systemDb.transaction(async (manager, owner) => ({
        all: await owner.selectFrom('users').select('tenant_id').execute(),
        scoped: await tenantKysely(manager, a.tenantId).selectFrom('users').select(['id', 'tenant_id']).execute(),
      }));
      const tenants = new Set(all.map((row) => row.tenant_id));
      expect(tenants.has(a.tenantId) && tenants.has(b.tenantId)).toBe(true);
      expect(scoped.map((row) => row.id)).toEqual([a.admin.user.id]);
    });

    it('an update or delete of another tenant’s row by id changes nothing', async () => {
      const victim = b.admin.user.id;
      const { updated, deleted } = await systemDb.transaction(async (manager) => {
        const db = tenantKysely(manager, a.tenantId);
        return {
          updated: await db.updateTable('users').set({ display_name: 'hijacked' }).where('id', '=', victim).executeTakeFirst(),
          deleted: await db.deleteFrom('refresh_tokens').where('user_id', '=', victim).executeTakeFirst(),
        };
      });
      expect(updated.numUpdatedRows).toBe(0n);
      expect(deleted.numDeletedRows).toBe(0n);
      const user = await systemDb.transaction((m) => m.findOneByOrFail(User, { id: victim }));
      expect(user.displayName).not.toBe('hijacked');
    });

    it('an insert through the layer gets the tenant, whatever tenant the connection is set to', async () => {
      const row = await systemDb.transaction((manager) =>
        tenantKysely(manager, a.tenantId)
          .insertInto('notifications')
          .values({ recipient_user_id: a.admin.user.id, kind: 'NUDGE', title: 'Typed', dedupe_key: 'typed-sql-test' })
          .returning(['id', 'tenant_id'])
          .executeTakeFirstOrThrow(),
      );
      expect(row.tenant_id).toBe(a.tenantId);
    });
  });

  describe('second wall: with the layer bypassed, RLS still hides other tenants', () => {
    it('an unscoped query on the tenant transaction sees only the tenant’s rows', async () => {
      const rows = await asTenant(a, (tx) => ownerKysely(tx.manager).selectFrom('users').select('tenant_id').execute());
      expect(new Set(rows.map((row) => row.tenant_id))).toEqual(new Set([a.tenantId]));
    });
  });

  describe('runs on the tenant transaction itself', () => {
    it('sees that transaction’s own uncommitted writes, and its role and tenant', async () => {
      const seen = await asTenant(a, async (tx) => {
        await tx.repo(User).update({ id: a.admin.user.id }, { displayName: 'Renamed in tx' });
        return tx.db
          .selectFrom('users')
          .select([
            'display_name',
            sql<string>`current_user`.as('role'),
            sql<string>`current_setting('app.tenant_id')`.as('tenant'),
          ])
          .where('id', '=', a.admin.user.id)
          .executeTakeFirstOrThrow();
      });
      expect(seen).toEqual({ display_name: 'Renamed in tx', role: 'cairn_app', tenant: a.tenantId });
    });

    it('a write inside a read fails (READ ONLY), as a database error', async () => {
      await expect(
        readAs(a, (tx) => tx.db.updateTable('users').set({ display_name: 'x' }).where('id', '=', a.admin.user.id).execute()),
      ).rejects.toMatchObject({ name: 'QueryFailedError', driverError: { code: '25006' } });
    });

    it('concurrent statements of one read wait their turn on its connection', async () => {
      const pids = await readAs(a, (tx) =>
        Promise.all(
          Array.from({ length: 5 }, () =>
            tx.db.selectNoFrom(sql<number>`pg_backend_pid()`.as('pid')).executeTakeFirstOrThrow(),
          ),
        ),
      );
      expect(new Set(pids.map((row) => row.pid)).size).toBe(1);
    });
  });

  it('fails closed: no tenant context, no typed SQL', async () => {
    await expect(tenantDb.read((tx) => tx.db.selectFrom('users').select('id').execute())).rejects.toBeInstanceOf(
      TenantContextMissingError,
    );
    await expect(
      systemDb.transaction(async (manager) => tenantKysely(manager, undefined as unknown as string)),
    ).rejects.toThrow('tenant id');
  });
});
