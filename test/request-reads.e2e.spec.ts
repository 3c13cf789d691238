import { jest } from '@jest/globals';
import pg from 'pg';
import { type Kysely, sql } from 'kysely';
import { ApiModule } from '#cairn-app/api';
import { Goal, selectGoals, toGoal } from '#cairn/goals';
import { addDays, todayIn } from '#cairn/shared/calendar';
import { prepareQuery, TenantDatabase, type TenantDB } from '#cairn/shared/database';
import { coachingFirm, testConfig } from '#cairn/shared/testing';
import { RequestContext, RequestLifetime } from '#cairn/shared/tenancy';
import { TestApi } from './support/index.js';

/**
 * The read path of issue 12: an HTTP request's reads share one READ ONLY transaction, which is committed
 * before the response goes out, never writes, survives a failed statement and never outlives the request.
 */
let api: TestApi;
let tenantDb: TenantDatabase;
beforeAll(async () => {
  api = await TestApi.start(ApiModule.forRoot(testConfig()));
  tenantDb = api.app.get(TenantDatabase);
});
afterAll(() => api.close());

/** This API's pooled connections that sit inside a transaction no statement is running in. */
async function idleInTransaction(): Promise<number> {
  // Only this process's pool: suites running beside this one share the database.
  const pool = (api.dataSource.driver as unknown as { master: { _clients: { processID: number }[] } }).master;
  const pids = pool._clients.map((client) => client.processID);
  const [row] = await api.dataSource.query(
    `SELECT count(*)::int AS n FROM pg_stat_activity WHERE pid = ANY($1::int[]) AND state = 'idle in transaction'`,
    [pids],
  );
  return row.n;
}

/** This API's pooled connections left inside a transaction that a failed statement aborted. */
async function abortedInPool(): Promise<number> {
  const pool = (api.dataSource.driver as unknown as { master: { _clients: { processID: number }[] } }).master;
  const [row] = await api.dataSource.query(
    `SELECT count(*)::int AS n FROM pg_stat_activity WHERE pid = ANY($1::int[]) AND state = 'idle in transaction (aborted)'`,
    [pool._clients.map((client) => client.processID)],
  );
  return row.n;
}

/** Runs `work` as an HTTP request of `tenantId` would: with a lifetime that `end` closes. */
function inRequest<T>(tenantId: string, work: () => Promise<T>) {
  const lifetime = new RequestLifetime();
  const result = RequestContext.run(() => RequestContext.runAs({ tenantId }, work), undefined, lifetime);
  return { result, lifetime };
}

describe('one read transaction per request', () => {
  it('is committed before the response arrives, whatever the operation read', async () => {
    const { coach } = await coachingFirm(api);
    const query = `query { me { id } coachDashboard { edges { node { client { id } activeGoals { goal { children { id } measures { id } progress } } } } } }`;
    for (let i = 0; i < 5; i++) {
      await api.ok(query, {}, { token: coach.accessToken });
      expect(await idleInTransaction()).toBe(0);
    }
  });

  it('shares one transaction between the reads of a request, and ends it with the request', async () => {
    const { firm } = await coachingFirm(api);
    const { result, lifetime } = inRequest(firm.tenantId, async () => {
      const pids = await Promise.all(
        [1, 2, 3].map(() => tenantDb.read(async (tx) => (await tx.manager.query('SELECT pg_backend_pid() AS pid'))[0].pid)),
      );
      const txids = await Promise.all(
        [1, 2].map(() => tenantDb.read(async (tx) => (await tx.manager.query('SELECT txid_current_if_assigned() IS NULL AS none, now() AS at'))[0].at)),
      );
      return { pids, txids };
    });
    const { pids, txids } = await result;
    expect(new Set(pids).size).toBe(1);
    // now() is the transaction's start: the same for every read of the request.
    expect(new Set(txids.map((t: Date) => t.getTime())).size).toBe(1);
    expect(await idleInTransaction()).toBe(1);
    await lifetime.end();
    expect(await idleInTransaction()).toBe(0);
  });

  it('refuses a write inside a read, also through a transaction started within it', async () => {
    const { firm } = await coachingFirm(api);
    const write = (tx: { manager: { query(sql: string, params: unknown[]): Promise<unknown> } }) =>
      tx.manager.query(`UPDATE tenants SET name = name WHERE id = $1`, [firm.tenantId]);
    const { result, lifetime } = inRequest(firm.tenantId, async () => {
      const direct = await tenantDb.read(write).catch((error: Error) => error.message);
      const nested = await tenantDb.read(() => tenantDb.transaction(write)).catch((error: Error) => error.message);
      return { direct, nested };
    });
    const { direct, nested } = await result;
    expect(direct).toMatch(/read-only transaction/);
    expect(nested).toMatch(/read-only transaction/);
    await lifetime.end();
    expect(await idleInTransaction()).toBe(0);
  });

  it('gives the reads after a failed statement a fresh transaction, and still ends both', async () => {
    const { firm } = await coachingFirm(api);
    const { result, lifetime } = inRequest(firm.tenantId, async () => {
      const failed = await tenantDb.read((tx) => tx.manager.query('SELECT 1 / 0')).catch((error: Error) => error.message);
      const after = await tenantDb.read(async (tx) => (await tx.manager.query('SELECT 2 AS two'))[0].two);
      return { failed, after };
    });
    expect(await result).toEqual({ failed: expect.stringMatching(/division by zero/), after: 2 });
    await lifetime.end();
    expect(await idleInTransaction()).toBe(0);
  });

  it('hands its connection back before a write transaction of the same request, which later reads then see', async () => {
    const { firm } = await coachingFirm(api);
    const nameNow = () =>
      tenantDb.read(async (tx) => (await tx.manager.query('SELECT name FROM tenants WHERE id = $1', [tx.tenantId]))[0].name);
    const { result, lifetime } = inRequest(firm.tenantId, async () => {
      const before = await nameNow();
      await tenantDb.transaction((tx) => tx.manager.query(`UPDATE tenants SET name = 'Renamed firm' WHERE id = $1`, [tx.tenantId]));
      return { before, after: await nameNow() };
    });
    const { before, after } = await result;
    expect(before).not.toBe('Renamed firm');
    expect(after).toBe('Renamed firm');
    await lifetime.end();
    expect(await idleInTransaction()).toBe(0);
  });

  it('sees only the request’s tenant (row-level security inside the shared read)', async () => {
    const a = await coachingFirm(api);
    const b = await coachingFirm(api);
    const { result, lifetime } = inRequest(a.firm.tenantId, () =>
      tenantDb.read(async (tx) => (await tx.manager.query('SELECT DISTINCT tenant_id FROM users')).map((r: { tenant_id: string }) => r.tenant_id)),
    );
    expect(await result).toEqual([a.firm.tenantId]);
    expect(await result).not.toContain(b.firm.tenantId);
    await lifetime.end();
  });

  it('sends the statement a read starts with along with BEGIN, as the tenant, its values inlined safely', async () => {
    const { firm } = await coachingFirm(api);
    const said = `it's '; DROP TABLE users; --`;
    const first = (db: Kysely<TenantDB>) =>
      db.selectNoFrom([
        sql<string>`current_setting('app.tenant_id')`.as('tenant'),
        sql<string>`current_user`.as('role'),
        sql<string>`${said}::text`.as('said'),
        sql<null>`${null}::text`.as('nothing'),
      ]);
    const sent = jest.spyOn(pg.Client.prototype, 'query');
    try {
      const { result, lifetime } = inRequest(firm.tenantId, async () => {
        const opened = await tenantDb.readStartingWith(first, (rows) => rows);
        const roundTrips = sent.mock.calls.length;
        // The transaction is open now: the same statement runs on its own, with its parameters.
        const joined = await tenantDb.readStartingWith(first, (rows) => rows);
        return { opened, roundTrips, joined };
      });
      const { opened, roundTrips, joined } = await result;
      const expected = [{ tenant: firm.tenantId, role: 'cairn_app', said, nothing: null }];
      expect(opened).toEqual(expected);
      expect(roundTrips).toBe(1);
      expect(joined).toEqual(expected);
      await lifetime.end();
    } finally {
      sent.mockRestore();
    }
    expect(await idleInTransaction()).toBe(0);
  });

  it('refuses to inline a value that is not text or NULL into the statement sent with BEGIN', async () => {
    const { firm } = await coachingFirm(api);
    const { result, lifetime } = inRequest(firm.tenantId, () =>
      tenantDb
        .readStartingWith((db) => db.selectNoFrom(sql<number>`${42}::int`.as('n')), (rows) => rows)
        .catch((error: Error) => error.message),
    );
    expect(await result).toMatch(/text or NULL values only/);
    await lifetime.end();
    expect(await idleInTransaction()).toBe(0);
  });

  it('destroys the connection when the statement sent with BEGIN fails, and later reads get a fresh one', async () => {
    const { firm } = await coachingFirm(api);
    const { result, lifetime } = inRequest(firm.tenantId, async () => {
      const failed = await tenantDb
        .readStartingWith((db) => db.selectNoFrom(sql<number>`1 / ${'0'}::int`.as('boom')), (rows) => rows)
        .catch((error: Error) => error.message);
      const after = await tenantDb.read(async (tx) => (await tx.manager.query('SELECT 2 AS two'))[0].two);
      return { failed, after };
    });
    expect(await result).toEqual({ failed: expect.stringMatching(/division by zero/), after: 2 });
    // Given back to the pool, the connection would sit in the aborted transaction and fail its next user.
    expect(await abortedInPool()).toBe(0);
    await lifetime.end();
    expect(await idleInTransaction()).toBe(0);
  });

  it('goal rows read with typed SQL are the entities TypeORM reads (dates as strings), built once', async () => {
    const { firm, coach, client } = await coachingFirm(api);
    const targetDate = addDays(todayIn('Europe/London'), 30);
    await api.ok(
      `mutation ($input: CreateGoalInput!) { createGoal(input: $input) { id } }`,
      { input: { clientId: client.user.id, horizon: 'LONG_TERM', category: 'POSITION', title: 'Lead a team', targetDate } },
      { token: coach.accessToken },
    );
    const goals = prepareQuery((db, p: { clientId: string }) => selectGoals(db).where('g.client_id', '=', p.clientId));
    const { result, lifetime } = inRequest(firm.tenantId, () =>
      tenantDb.read(async (tx) => ({
        selected: (await goals.execute(tx, { clientId: client.user.id })).map(toGoal),
        found: await tx.repo(Goal).findBy({}),
      })),
    );
    const { selected, found } = await result;
    expect(selected).toHaveLength(1);
    expect(selected[0]).toBeInstanceOf(Goal);
    expect(selected[0].targetDate).toBe(targetDate);
    expect(selected).toEqual(found);
    await lifetime.end();
  });
});
