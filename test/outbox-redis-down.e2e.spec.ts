import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiModule } from '#cairn-app/api';
import { coachingFirm, testConfig } from '#cairn/shared/testing';
import { WebhookDeliverer } from '#cairn/webhooks';
import { TestApi } from './support/index.js';

const CREATE_ENDPOINT = `mutation ($input: CreateWebhookEndpointInput!) {
  createWebhookEndpoint(input: $input) { secret endpoint { id } } }`;
const SET_POLICY = `mutation { updateGoalPolicy(requiredCriteria: []) { isDefault } }`;
const CREATE_GOAL = `mutation ($input: CreateGoalInput!) { createGoal(input: $input) { id version } }`;
const STATUS = `mutation ($input: ChangeGoalStatusInput!) { changeGoalStatus(input: $input) { id status } }`;

/**
 * The outbox guarantee with Redis really down (not simulated): an API whose Redis is unreachable still
 * commits the change and its delivery, answers promptly, and the delivery goes out once a process with Redis
 * sweeps it.
 */
describe('webhook outbox with Redis down', () => {
  let down: TestApi;
  let up: TestApi;
  let server: http.Server;
  let receiverUrl: string;
  const received: { headers: http.IncomingHttpHeaders; body: string }[] = [];

  beforeAll(async () => {
    // Nothing listens on port 1: every Redis command the API tries waits in ioredis's offline queue.
    down = await TestApi.start(
      ApiModule.forRoot(testConfig({ REDIS_URL: 'redis://127.0.0.1:1', WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' })),
    );
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await down?.close();
    await up?.close();
  });

  it('commits the change and its delivery, and a process with Redis delivers it later', async () => {
    const cast = await coachingFirm(down);
    const admin = cast.firm.admin.accessToken;
    await down.ok(SET_POLICY, {}, { token: admin });
    const endpoint = await down.ok<{ createWebhookEndpoint: { secret: string; endpoint: { id: string } } }>(
      CREATE_ENDPOINT,
      { input: { url: receiverUrl, eventTypes: ['GOAL_STATUS_CHANGED'] } },
      { token: admin },
    );
    const goal = await down.ok<{ createGoal: { id: string } }>(
      CREATE_GOAL,
      { input: { clientId: cast.client.user.id, horizon: 'LONG_TERM', category: 'POSITION', title: 'Head of Sales' } },
      { token: cast.coach.accessToken },
    );
    const changed = await down.ok<{ changeGoalStatus: { status: string } }>(
      STATUS,
      { input: { id: goal.createGoal.id, expectedVersion: 1, status: 'ACTIVE' } },
      { token: cast.coach.accessToken },
    );
    expect(changed.changeGoalStatus.status).toBe('ACTIVE');

    const [delivery] = await down.dataSource.query(
      `SELECT id, status, attempt_count FROM webhook_deliveries WHERE tenant_id = $1 AND endpoint_id = $2`,
      [cast.firm.tenantId, endpoint.createWebhookEndpoint.endpoint.id],
    );
    expect(delivery).toMatchObject({ status: 'PENDING', attempt_count: 0 });
    expect(received).toHaveLength(0);

    // Redis is back (another process): the sweep finds the row the first API could not enqueue.
    up = await TestApi.start(ApiModule.forRoot(testConfig({ WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' })));
    const deliverer = up.app.get(WebhookDeliverer, { strict: false });
    // No worker runs on this database (worker suites have their own); were one to, it would still go out once.
    const due = (await deliverer.dueDeliveries(10_000)).find((d) => d.deliveryId === delivery.id);
    if (due) {
      expect(due).toEqual({ tenantId: cast.firm.tenantId, deliveryId: delivery.id, attempt: 1 });
      await deliverer.attempt(due);
    }
    const [after] = await up.dataSource.query(`SELECT status, attempt_count FROM webhook_deliveries WHERE id = $1`, [
      delivery.id,
    ]);
    expect(after).toEqual({ status: 'DELIVERED', attempt_count: 1 });
    expect(received).toHaveLength(1);
    const { headers, body } = received[0];
    const signed = createHmac('sha256', endpoint.createWebhookEndpoint.secret)
      .update(`${headers['cairn-timestamp']}.${body}`)
      .digest('hex');
    expect(String(headers['cairn-signature']).split(',')).toContain(`v1=${signed}`);
    expect(JSON.parse(body)).toMatchObject({ type: 'goal.status_changed', data: { goalId: goal.createGoal.id, status: 'ACTIVE' } });
  });
});
