import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Queue, Worker } from 'bullmq';
import { ApiModule } from '#cairn-app/api';
import { QueueName, QUEUE_PREFIX } from '#cairn/shared/queue';
import {
  appQueue,
  FirmFixture,
  isolatedRedisUrl,
  redisConnectionOf,
  signUpFirm,
  testConfig,
} from '#cairn/shared/testing';
import { TestApi } from './support/index.js';

const PASSWORD = 'queue-dashboard-password-for-e2e';
/** Its own Redis database: the listing and the counts this suite checks are of its jobs only. */
const REDIS_URL = isolatedRedisUrl('queue-dashboard');

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;
const OPERATOR = basic('operator', PASSWORD);

interface DashboardQueue {
  name: string;
  readOnlyMode: boolean;
  allowRetries: boolean;
  isPaused: boolean;
  counts: Record<string, number>;
  jobs: Array<{ id: string; name: string; data: unknown }>;
}

describe('queue dashboard at /admin/queues', () => {
  const queues = new Map<QueueName, Queue>();
  const maintenance = () => queues.get(QueueName.MAINTENANCE) as Queue;
  let api: TestApi;
  let unmounted: TestApi | undefined;
  let firm: FirmFixture;

  const listing = async (query = '') => {
    const res = await api.http.get(`/admin/queues/api/queues${query}`).set('authorization', OPERATOR);
    expect(res.status).toBe(200);
    return res.body.queues as DashboardQueue[];
  };

  beforeAll(async () => {
    for (const name of Object.values(QueueName)) {
      const queue = appQueue(name, REDIS_URL);
      await queue.obliterate({ force: true });
      queues.set(name, queue);
    }
    api = await TestApi.start(
      ApiModule.forRoot(testConfig({ REDIS_URL, QUEUE_DASHBOARD_PASSWORD: PASSWORD })),
    );
    firm = await signUpFirm(api);
  });

  afterAll(async () => {
    await unmounted?.close();
    await api?.close();
    for (const queue of queues.values()) {
      await queue.obliterate({ force: true });
      await queue.close();
    }
  });

  it('is not mounted at all without QUEUE_DASHBOARD_PASSWORD', async () => {
    unmounted = await TestApi.start(ApiModule.forRoot(testConfig({ REDIS_URL })));
    for (const path of ['/admin/queues', '/admin/queues/', '/admin/queues/api/queues']) {
      const res = await unmounted.http.get(path).set('authorization', OPERATOR);
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
    }
  });

  it('answers 401 with a Basic challenge without credentials, with a wrong password or with any Bearer token', async () => {
    const attempts: Array<string | undefined> = [
      undefined,
      basic('operator', `${PASSWORD}x`),
      basic('operator', PASSWORD.slice(0, -1)),
      basic(PASSWORD, ''),
      `Basic ${Buffer.from(PASSWORD).toString('base64')}`,
      'Basic not-base64!',
      `Bearer ${firm.admin.accessToken}`,
      `Bearer ${PASSWORD}`,
      PASSWORD,
    ];
    for (const path of [
      '/admin/queues',
      '/admin/queues/api/queues',
      '/admin/queues/static/favicon-32x32.png',
    ]) {
      for (const authorization of attempts) {
        const req = api.http.get(path);
        const res = await (authorization === undefined ? req : req.set('authorization', authorization));
        expect({ path, authorization, status: res.status }).toEqual({ path, authorization, status: 401 });
        expect(res.headers['www-authenticate']).toBe('Basic realm="Cairn queues"');
        expect(res.text).not.toContain(QueueName.MAINTENANCE);
      }
    }
    // A firm's API key is a tenant credential too.
    const res = await api.http.get('/admin/queues/api/queues').set('x-api-key', 'ak_whatever');
    expect(res.status).toBe(401);
  });

  it('serves the page and its assets with the password, under any username', async () => {
    for (const authorization of [OPERATOR, basic('', PASSWORD), basic('anyone', PASSWORD)]) {
      const page = await api.http.get('/admin/queues').set('authorization', authorization);
      expect(page.status).toBe(200);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.text).toContain('<base href="/admin/queues/" />');
      expect(page.text).toContain('<title>Cairn queues</title>');
      expect(page.headers['cache-control']).toBe('no-store');
    }
    const asset = await api.http.get('/admin/queues/static/favicon-32x32.png').set('authorization', OPERATOR);
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toBe('image/png');
    // The board's own client-side routes serve the same page.
    const queuePage = await api.http.get('/admin/queues/queue/maintenance').set('authorization', OPERATOR);
    expect(queuePage.status).toBe(200);
    expect(queuePage.text).toContain('<title>Cairn queues</title>');
  });

  it('lists every Cairn queue, read-only, with a job added to one of them', async () => {
    const job = await maintenance().add(
      'identity.purge-expired-credentials',
      { marker: 'dashboard' },
      { jobId: 'dashboard-delayed', delay: 60 * 60 * 1000 },
    );

    const all = await listing();
    expect(all.map((q) => q.name).sort()).toEqual(Object.values(QueueName).sort());
    for (const queue of all) {
      expect({
        name: queue.name,
        readOnlyMode: queue.readOnlyMode,
        allowRetries: queue.allowRetries,
      }).toEqual({
        name: queue.name,
        readOnlyMode: true,
        allowRetries: false,
      });
    }
    expect(all.find((q) => q.name === QueueName.MAINTENANCE)?.counts).toMatchObject({
      delayed: 1,
      waiting: 0,
    });

    const [shown] = (await listing('?activeQueue=maintenance&status=delayed')).filter(
      (q) => q.name === QueueName.MAINTENANCE,
    );
    expect(shown.jobs).toEqual([
      expect.objectContaining({
        id: job.id,
        name: 'identity.purge-expired-credentials',
        data: { marker: 'dashboard' },
      }),
    ]);
    const one = await api.http
      .get(`/admin/queues/api/queues/maintenance/${job.id}`)
      .set('authorization', OPERATOR);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ status: 'delayed', job: { id: job.id } });
  });

  it('refuses every write with 405 and changes nothing', async () => {
    // A failed job to retry, failed by hand so no worker runs here.
    const worker = new Worker(QueueName.MAINTENANCE, null, {
      connection: redisConnectionOf(REDIS_URL),
      prefix: QUEUE_PREFIX,
      autorun: false,
    });
    await maintenance().add('identity.purge-expired-credentials', {}, { jobId: 'dashboard-failed' });
    const active = await worker.getNextJob('dashboard-token');
    expect(active?.id).toBe('dashboard-failed');
    await active?.moveToFailed(new Error('failed for the dashboard'), 'dashboard-token', false);
    await worker.close();

    const before = await maintenance().getJobCounts();
    expect(before).toMatchObject({ delayed: 1, failed: 1 });
    const write = (method: 'put' | 'post' | 'patch', path: string, body?: object) =>
      api.http[method](`/admin/queues/api/queues/${path}`).set('authorization', OPERATOR).send(body);
    const writes: Array<[method: 'put' | 'post' | 'patch', path: string, body?: object]> = [
      ['put', 'maintenance/dashboard-failed/retry'],
      ['put', 'maintenance/retry/failed'],
      ['put', 'maintenance/dashboard-delayed/promote'],
      ['put', 'maintenance/promote'],
      ['put', 'maintenance/dashboard-failed/clean'],
      ['put', 'maintenance/clean/failed'],
      ['put', 'maintenance/clean/delayed'],
      ['put', 'maintenance/empty'],
      ['put', 'maintenance/pause'],
      ['put', 'maintenance/obliterate', { force: true }],
      ['put', 'maintenance/job-schedulers/identity.purge-expired-credentials/run'],
      ['post', 'maintenance/add', { name: 'identity.purge-expired-credentials', data: {}, options: {} }],
      ['patch', 'maintenance/dashboard-delayed/update-data', { jobData: { tampered: true } }],
    ];
    for (const [method, path, body] of writes) {
      const res = await write(method, path, body);
      expect({ method, path, status: res.status, body: res.body }).toEqual({
        method,
        path,
        status: 405,
        body: { error: { key: 'ERRORS.QUEUE_READ_ONLY' } },
      });
    }
    // "Pause all" skips read-only queues instead of refusing: it answers 200 and pauses none.
    const pauseAll = await api.http.put('/admin/queues/api/queues/pause').set('authorization', OPERATOR);
    expect(pauseAll.status).toBe(200);

    expect(await maintenance().getJobCounts()).toEqual(before);
    expect(await maintenance().getJobState('dashboard-failed')).toBe('failed');
    expect(await maintenance().getJobState('dashboard-delayed')).toBe('delayed');
    expect((await maintenance().getJob('dashboard-delayed'))?.data).toEqual({ marker: 'dashboard' });
    for (const queue of queues.values()) expect(await queue.isPaused()).toBe(false);
    expect((await listing()).every((q) => !q.isPaused)).toBe(true);
  });

  it('leaves GraphQL and the credential guard as they were', async () => {
    const me = await api.gql<{ firm: { id: string } }>(
      '{ firm { id } }',
      {},
      { token: firm.admin.accessToken },
    );
    expect(me.errors).toBeUndefined();
    expect(me.data?.firm.id).toBe(firm.tenantId);
    // The dashboard password is no credential for the API.
    const res = await api.http
      .post('/graphql')
      .set('authorization', OPERATOR)
      .set('content-type', 'application/json')
      .send({ query: '{ firm { id } }' });
    expect(res.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(res.body.data?.firm ?? null).toBeNull();
  });
});
