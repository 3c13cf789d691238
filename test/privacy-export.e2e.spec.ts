import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { WorkerModule } from '#cairn-app/worker';
import { PrivacySweepJob } from '#cairn/privacy';
import { QueueName } from '#cairn/shared/queue';
import { ApiScope } from '#cairn/shared/auth';
import {
  appQueue,
  coachingFirm,
  createApiKey,
  errorCode,
  ownTestDatabaseUrl,
  type PrivateRedis,
  type Session,
  signUpFirm,
  startPrivateRedis,
  testConfig,
  waitFor,
} from '#cairn/shared/testing';
import { ApiModule } from '#cairn-app/api';
import { auditEntries, freshOwnDatabase, TestApi } from './support/index.js';

/**
 * requestClientDataExport: the worker builds and seals the document, dataExport shows progress, GET
 * /exports/<token> answers it once. Own database and a private Redis: the suite boots a worker (WORKER_SUITES
 * is full).
 */
const DATABASE_URL = ownTestDatabaseUrl('privacy_export');

const REQUEST = `mutation ($id: ID!) { requestClientDataExport(clientId: $id) { downloadUrl dataExport { id clientId status progress } } }`;
const STATUS = `query ($id: ID!) { dataExport(id: $id) { id status progress readyAt downloadedAt expiresAt } }`;
type Requested = { downloadUrl: string; dataExport: { id: string; clientId: string; status: string; progress: number } };

let redis: PrivateRedis;
let api: TestApi;
let worker: INestApplicationContext | undefined;
const config = () => testConfig({ DATABASE_URL, REDIS_URL: redis.url });

beforeAll(async () => {
  await freshOwnDatabase(DATABASE_URL);
  redis = await startPrivateRedis();
  api = await TestApi.start(ApiModule.forRoot(config()));
}, 120_000);

afterAll(async () => {
  await worker?.close();
  await api?.close();
  await redis?.stop();
});

const as = (session: Session) => ({ token: session.accessToken });
const pathOf = (url: string) => new URL(url).pathname;
const request = async (session: Session, clientId: string) =>
  (await api.ok<{ requestClientDataExport: Requested }>(REQUEST, { id: clientId }, as(session))).requestClientDataExport;
const exportsOf = async (clientId: string) =>
  (await api.dataSource.query(`SELECT count(*)::int AS n FROM data_exports WHERE client_id = $1`, [clientId]))[0].n as number;

describe('who may export', () => {
  it('refuses coaches, API keys, partner tokens and other firms; a client only themself; bad ids name the argument', async () => {
    const { firm, coach, otherCoach, client } = await coachingFirm(api);
    const other = await coachingFirm(api);
    const key = await createApiKey(api, firm, Object.keys(ApiScope));
    const partner = await api.ok<{ actAsClient: { accessToken: string } }>(
      `mutation ($id: ID!) { actAsClient(clientId: $id) { accessToken } }`,
      { id: client.user.id },
      { apiKey: key.secret },
    );
    const vars = { id: client.user.id };
    for (const token of [coach.accessToken, otherCoach.accessToken, partner.actAsClient.accessToken]) {
      expect(errorCode(await api.gql(REQUEST, vars, { token }))).toBe('FORBIDDEN');
    }
    expect(errorCode(await api.gql(REQUEST, vars, { apiKey: key.secret }))).toBe('FORBIDDEN');
    expect(errorCode(await api.gql(REQUEST, vars))).toBe('UNAUTHENTICATED');
    // Another client of the same firm, and another firm's admin and client.
    expect(errorCode(await api.gql(REQUEST, { id: other.client.user.id }, as(client)))).toBe('FORBIDDEN');
    expect(errorCode(await api.gql(REQUEST, vars, as(other.firm.admin)))).toBe('NOT_FOUND');
    expect(errorCode(await api.gql(REQUEST, vars, as(other.client)))).toBe('FORBIDDEN');
    // Only clients are exported; an id must be one.
    expect(errorCode(await api.gql(REQUEST, { id: coach.user.id }, as(firm.admin)))).toBe('NOT_FOUND');
    expect(errorCode(await api.gql(REQUEST, { id: 'nope' }, as(firm.admin)))).toBe('BAD_USER_INPUT');
    expect(await exportsOf(client.user.id)).toBe(0);
    expect(await auditEntries(api, firm, { actions: ['DATA_EXPORT_REQUESTED'] })).toEqual([]);

    const mine = await request(client, client.user.id);
    const audited = await auditEntries(api, firm, { actions: ['DATA_EXPORT_REQUESTED'] });
    expect(audited).toHaveLength(1);
    expect(audited[0]).toMatchObject({ actorKind: 'USER', actorId: client.user.id, subjectId: client.user.id });
    expect(mine.dataExport).toMatchObject({ clientId: client.user.id, status: 'QUEUED', progress: 0 });
    expect(mine.downloadUrl).toMatch(/\/exports\/exp_[^/]+$/);
    // Its status: the client and the firm's admins; not a coach, another client or another firm.
    const id = { id: mine.dataExport.id };
    await api.ok(STATUS, id, as(client));
    await api.ok(STATUS, id, as(firm.admin));
    expect(errorCode(await api.gql(STATUS, id, as(coach)))).toBe('FORBIDDEN');
    expect(errorCode(await api.gql(STATUS, id, as(other.client)))).toBe('NOT_FOUND');
    expect(errorCode(await api.gql(STATUS, id, as(other.firm.admin)))).toBe('NOT_FOUND');
  });

  it('answers 409 while the export is not built, 404 to anything that is not an export’s token', async () => {
    const { client } = await coachingFirm(api);
    const { downloadUrl } = await request(client, client.user.id);
    expect((await api.http.get(pathOf(downloadUrl))).status).toBe(409);
    const tampered = pathOf(downloadUrl).replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    expect((await api.http.get(tampered)).status).toBe(404);
    expect((await api.http.get('/exports/exp_nothing')).status).toBe(404);
  });
});

/** An export whose job Redis lost before any worker took it (made before the worker starts). */
let lost: { id: string; downloadUrl: string };

describe('a lost job', () => {
  it('leaves the export QUEUED, a row the sweep will find', async () => {
    const { firm, client } = await coachingFirm(api);
    const requested = await request(client, client.user.id);
    const queue = appQueue(QueueName.PRIVACY, redis.url);
    const id = `privacy.export-client/${firm.tenantId}/${requested.dataExport.id}`;
    const job = await waitFor('the export job', () => queue.getJob(id));
    // What a Redis restart without persistence does to it.
    await job.remove();
    await queue.close();
    await api.dataSource.query(`UPDATE data_exports SET updated_at = now() - interval '11 minutes' WHERE id = $1`, [
      requested.dataExport.id,
    ]);
    lost = { id: requested.dataExport.id, downloadUrl: requested.downloadUrl };
  });
});

describe('with a worker', () => {
  beforeAll(async () => {
    worker = await NestFactory.createApplicationContext(WorkerModule.forRoot(config()), { logger: false });
  });

  it('the sweep queues a lost export’s job again, and it is built', async () => {
    // Its job is gone from Redis: only the privacy sweep (which the worker runs at boot, then every 15
    // minutes) can queue it again.
    await waitFor('the lost export to be built', async () => {
      const [row] = await api.dataSource.query(`SELECT status FROM data_exports WHERE id = $1`, [lost.id]);
      return row.status === 'READY';
    });
    expect((await api.http.get(pathOf(lost.downloadUrl))).status).toBe(200);
  });

  it('builds everything held about the client, private goals included, and serves it once', async () => {
    const { firm, coach, client } = await coachingFirm(api);
    const goal = await api.ok<{ createGoal: { id: string } }>(
      `mutation ($input: CreateGoalInput!) { createGoal(input: $input) { id } }`,
      { input: { clientId: client.user.id, horizon: 'IMMEDIATE', category: 'SKILL', title: 'My private ambition' } },
      as(client),
    );
    await api.ok(
      `mutation ($input: SetGoalVisibilityInput!) { setGoalVisibility(input: $input) { id } }`,
      { input: { id: goal.createGoal.id, expectedVersion: 1, audiences: [] } },
      as(client),
    );
    await api.ok(
      `mutation ($input: AddDevelopmentItemInput!) { addDevelopmentItem(input: $input) { id } }`,
      { input: { clientId: client.user.id, category: 'SKILL', source: 'PERFORMANCE_REVIEW', title: 'Negotiation', valueScore: 5, motivationScore: 4 } },
      as(coach),
    );
    const requested = await request(firm.admin, client.user.id);
    const ready = await waitFor('the export to be ready', async () => {
      const { dataExport } = await api.ok<{ dataExport: { status: string; progress: number } }>(
        STATUS,
        { id: requested.dataExport.id },
        as(client),
      );
      return dataExport.status === 'READY' && dataExport;
    });
    expect(ready.progress).toBe(100);
    const [sealed] = await api.dataSource.query(`SELECT document FROM data_exports WHERE id = $1`, [requested.dataExport.id]);
    // Stored sealed: the plain text is nowhere in the row.
    expect(sealed.document.toString('utf8')).not.toContain('My private ambition');

    const [first, second] = await Promise.all([api.http.get(pathOf(requested.downloadUrl)), api.http.get(pathOf(requested.downloadUrl))]);
    const ok = [first, second].find((r) => r.status === 200)!;
    expect([first.status, second.status].sort()).toEqual([200, 410]);
    expect(ok.headers['content-type']).toMatch(/^application\/json/);
    expect(ok.headers['content-disposition']).toBe(`attachment; filename="cairn-export-${client.user.id}.json"`);
    expect(ok.headers['cache-control']).toBe('no-store');
    const document = JSON.parse(ok.text);
    expect(Object.keys(document.readme.sections)).toEqual(expect.arrayContaining(['goals', 'checkInSubmissions', 'messages', 'supporters']));
    expect(document.clientId).toBe(client.user.id);
    expect(document.account).toEqual([expect.objectContaining({ id: client.user.id, email: client.user.email })]);
    expect(document.account[0]).not.toHaveProperty('password_hash');
    expect(document.goals.map((g: { title: string }) => g.title)).toEqual(['My private ambition']);
    expect(document.developmentItems.map((d: { title: string }) => d.title)).toEqual(['Negotiation']);
    expect(document.engagements).toHaveLength(1);
    expect(JSON.stringify(document)).not.toMatch(/secret_hash|tenant_id/);

    expect((await api.http.get(pathOf(requested.downloadUrl))).status).toBe(410);
    const [row] = await api.dataSource.query(`SELECT status, document FROM data_exports WHERE id = $1`, [requested.dataExport.id]);
    expect(row).toEqual({ status: 'DOWNLOADED', document: null });
  });

  it('expires: the sweep deletes the document of an export past its time, and the link answers 410', async () => {
    const { client } = await coachingFirm(api);
    const requested = await request(client, client.user.id);
    await waitFor('the export to be ready', async () => {
      const [row] = await api.dataSource.query(`SELECT status FROM data_exports WHERE id = $1`, [requested.dataExport.id]);
      return row.status === 'READY';
    });
    await api.dataSource.query(`UPDATE data_exports SET expires_at = now() - interval '1 second' WHERE id = $1`, [
      requested.dataExport.id,
    ]);
    expect((await api.http.get(pathOf(requested.downloadUrl))).status).toBe(410);
    expect((await worker!.get(PrivacySweepJob).sweep()).expired).toBeGreaterThanOrEqual(1);
    const [row] = await api.dataSource.query(`SELECT status, document FROM data_exports WHERE id = $1`, [requested.dataExport.id]);
    expect(row).toEqual({ status: 'EXPIRED', document: null });
    expect((await api.http.get(pathOf(requested.downloadUrl))).status).toBe(410);
  });

  it('another firm’s export is out of reach of a firm’s admin', async () => {
    const mine = await signUpFirm(api);
    const { client } = await coachingFirm(api);
    const requested = await request(client, client.user.id);
    expect(errorCode(await api.gql(STATUS, { id: requested.dataExport.id }, as(mine.admin)))).toBe('NOT_FOUND');
  });
});
