import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import type { Job } from 'bullmq';
import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiModule } from '#cairn-app/api';
import { WorkerModule } from '#cairn-app/worker';
import { JobHandlerRegistry, QueueName } from '#cairn/shared/queue';
import {
  appQueue,
  coachingFirm,
  createApiKey,
  errorCode,
  type GqlResult,
  signUpFirm,
  isolatedRedisUrl,
  testConfig,
  waitFor,
  ownTestDatabaseUrl,
} from '#cairn/shared/testing';
import { WebhookDeliverer, WebhookRetention } from '#cairn/webhooks';
import { SecretBox } from '#cairn/shared/auth';
import { TestApi, freshOwnDatabase } from './support/index.js';

// A Redis database of our own, so no other suite's worker takes our jobs; emptied before and after.
const REDIS_URL = isolatedRedisUrl('webhooks');
// The worker's sweeps cover every tenant in a database: in the shared one they would work on other suites' rows.
const DATABASE_URL = ownTestDatabaseUrl('webhooks');
beforeAll(() => freshOwnDatabase(DATABASE_URL));

const CREATE = `mutation ($input: CreateWebhookEndpointInput!) {
  createWebhookEndpoint(input: $input) { secret endpoint { id url description eventTypes enabled version } } }`;
const UPDATE = `mutation ($input: UpdateWebhookEndpointInput!) {
  updateWebhookEndpoint(input: $input) { id url eventTypes enabled version } }`;
const ROTATE = `mutation ($id: ID!) {
  rotateWebhookSecret(id: $id) { secret endpoint { id version previousSecretExpiresAt } } }`;
const DELETE = `mutation ($id: ID!) { deleteWebhookEndpoint(id: $id) { id enabled } }`;
const ENDPOINTS = `query ($first: Int, $after: String) { webhookEndpoints(first: $first, after: $after) {
  edges { node { id url eventTypes enabled previousSecretExpiresAt } } pageInfo { hasNextPage endCursor } } }`;
const DELIVERIES = `query ($endpointId: ID, $status: WebhookDeliveryStatus, $first: Int, $after: String) {
  webhookDeliveries(endpointId: $endpointId, status: $status, first: $first, after: $after) {
    edges { node { id eventId endpointId status attemptCount nextAttemptAt lastStatusCode lastError deliveredAt
      failedAt resentFromId event { id type occurredAt data }
      attempts { attemptNumber statusCode error succeeded durationMs attemptedAt } } }
    pageInfo { hasNextPage endCursor } } }`;
const RESEND = `mutation ($id: ID!) { resendWebhookDelivery(id: $id) { id status resentFromId eventId attemptCount } }`;
const CREATE_GOAL = `mutation ($input: CreateGoalInput!) { createGoal(input: $input) { id version } }`;
const STATUS = `mutation ($input: ChangeGoalStatusInput!) { changeGoalStatus(input: $input) { id status version } }`;
const SET_POLICY = `mutation { updateGoalPolicy(requiredCriteria: []) { isDefault } }`;

interface EndpointsPage {
  webhookEndpoints: {
    edges: { node: Record<string, unknown> & { id: string } }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}

/** The nodes of one page of webhookEndpoints. */
const listEndpoints = async (api: TestApi, token: string, vars: { first?: number; after?: string } = {}) =>
  (await api.ok<EndpointsPage>(ENDPOINTS, vars, { token })).webhookEndpoints.edges.map((e) => e.node);

const fieldsOf = (result: GqlResult) =>
  (result.errors?.[0]?.extensions?.fields as { field: string; messages: string[] }[] | undefined) ?? [];

interface Delivery {
  id: string;
  eventId: string;
  endpointId: string;
  status: string;
  attemptCount: number;
  lastStatusCode: number | null;
  lastError: string | null;
  resentFromId: string | null;
  event: { id: string; type: string; occurredAt: string; data: string };
  attempts: { attemptNumber: number; statusCode: number | null; error: string | null; succeeded: boolean }[];
}

describe('webhook endpoint URLs (private targets not allowed: the default)', () => {
  let api: TestApi;
  let token: string;
  beforeAll(async () => {
    api = await TestApi.start(ApiModule.forRoot(testConfig({ DATABASE_URL, REDIS_URL })));
    token = (await signUpFirm(api)).admin.accessToken;
  });
  afterAll(() => api.close());

  it.each([
    ['http://127.0.0.1:8080/hook', /loopback, private.*start Cairn with WEBHOOK_ALLOW_PRIVATE_TARGETS=true/],
    ['https://localhost/hook', /loopback, private/],
    ['https://10.1.2.3/hook', /loopback, private/],
    ['https://192.168.0.10/hook', /loopback, private/],
    ['https://169.254.169.254/latest/meta-data', /loopback, private/],
    ['https://[::1]/hook', /loopback, private/],
    ['https://[fd00::1]/hook', /loopback, private/],
    ['https://[::ffff:127.0.0.1]/hook', /loopback, private/],
    ['ftp://93.184.215.14/hook', /https/],
    ['not a url', /absolute/],
    ['https://user:secret@93.184.215.14/hook', /credentials/],
  ])('refuses %s with a field error on url', async (url, message) => {
    const result = await api.gql(CREATE, { input: { url, eventTypes: ['GOAL_ACHIEVED'] } }, { token });
    expect(errorCode(result)).toBe('BAD_USER_INPUT');
    expect(fieldsOf(result)).toEqual([{ field: 'url', messages: [expect.stringMatching(message)] }]);
  });

  it('refuses no event types and an over-long description; nothing is written', async () => {
    const none = await api.gql(
      CREATE,
      { input: { url: 'https://93.184.215.14/h', eventTypes: [] } },
      { token },
    );
    expect(errorCode(none)).toBe('BAD_USER_INPUT');
    expect(fieldsOf(none).map((f) => f.field)).toEqual(['eventTypes']);
    const long = await api.gql(
      CREATE,
      {
        input: {
          url: 'https://93.184.215.14/h',
          eventTypes: ['GOAL_ACHIEVED'],
          description: 'x'.repeat(501),
        },
      },
      { token },
    );
    expect(fieldsOf(long).map((f) => f.field)).toEqual(['description']);
    const unknown = await api.gql(
      CREATE,
      { input: { url: 'https://93.184.215.14/h', eventTypes: ['GOAL_EATEN'] } },
      { token },
    );
    expect(errorCode(unknown)).toBe('BAD_USER_INPUT');
    expect(await listEndpoints(api, token)).toEqual([]);
  });

  it('accepts a public https address, and re-checks the URL on update', async () => {
    const created = await api.ok<{
      createWebhookEndpoint: { secret: string; endpoint: { id: string; version: number } };
    }>(
      CREATE,
      {
        input: {
          url: 'https://93.184.215.14/hook',
          eventTypes: ['GOAL_ACHIEVED', 'CHECKIN_DUE'],
          description: ' CRM ',
        },
      },
      { token },
    );
    expect(created.createWebhookEndpoint.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(created.createWebhookEndpoint.endpoint).toMatchObject({
      description: 'CRM',
      enabled: true,
      version: 1,
    });
    const { id } = created.createWebhookEndpoint.endpoint;
    const bad = await api.gql(
      UPDATE,
      { input: { id, expectedVersion: 1, url: 'https://127.0.0.1/x' } },
      { token },
    );
    expect(fieldsOf(bad).map((f) => f.field)).toEqual(['url']);
    // Deleted at the end so no sweep ever tries to call it.
    await api.ok(DELETE, { id }, { token });
  });
});

type Reply = 'fail' | 'redirect' | 'hang' | 'ok';

describe('outbound webhooks (private targets allowed, as the receiver is on 127.0.0.1)', () => {
  let api: TestApi;
  let deliverer: WebhookDeliverer;
  let server: http.Server;
  let receiverUrl: string;
  const script: Reply[] = [];
  const received: { headers: http.IncomingHttpHeaders; body: string }[] = [];
  const tenants: string[] = [];

  beforeAll(async () => {
    api = await TestApi.start(
      ApiModule.forRoot(testConfig({ DATABASE_URL, REDIS_URL, WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' })),
    );
    deliverer = api.app.get(WebhookDeliverer);
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        const reply = script.shift() ?? 'ok';
        if (reply === 'hang') return; // never answers: the attempt times out
        if (reply === 'redirect') res.writeHead(302, { location: 'http://127.0.0.1:9/elsewhere' }).end();
        else res.writeHead(reply === 'fail' ? 500 : 204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  });

  afterAll(async () => {
    // Leave nothing a worker's sweep (ours or another suite's) could pick up later.
    await api.dataSource.query(`UPDATE webhook_endpoints SET enabled = false WHERE tenant_id = ANY($1)`, [
      tenants,
    ]);
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await api.close();
    const queue = appQueue(QueueName.WEBHOOKS, REDIS_URL);
    await queue.obliterate({ force: true });
    await queue.close();
  });

  /** A firm with an endpoint on our receiver, a goal, and a policy that lets DRAFT goals become ACTIVE. */
  async function setup(eventTypes = ['GOAL_STATUS_CHANGED', 'GOAL_ACHIEVED']) {
    const cast = await coachingFirm(api);
    tenants.push(cast.firm.tenantId);
    const admin = cast.firm.admin.accessToken;
    await api.ok(SET_POLICY, {}, { token: admin });
    const created = await api.ok<{ createWebhookEndpoint: { secret: string; endpoint: { id: string } } }>(
      CREATE,
      { input: { url: receiverUrl, eventTypes } },
      { token: admin },
    );
    const goal = await api.ok<{ createGoal: { id: string; version: number } }>(
      CREATE_GOAL,
      {
        input: {
          clientId: cast.client.user.id,
          horizon: 'LONG_TERM',
          category: 'POSITION',
          title: 'Chief Sales Officer at Northwind',
        },
      },
      { token: cast.coach.accessToken },
    );
    return {
      ...cast,
      admin,
      endpointId: created.createWebhookEndpoint.endpoint.id,
      secret: created.createWebhookEndpoint.secret,
      goal: goal.createGoal,
    };
  }

  const deliveries = async (token: string, vars: Record<string, unknown> = {}) =>
    (
      await api.ok<{ webhookDeliveries: { edges: { node: Delivery }[] } }>(DELIVERIES, vars, { token })
    ).webhookDeliveries.edges.map((e) => e.node);

  /** Makes the delivery due now (instead of waiting out its back-off) and runs the attempt the worker would. */
  async function attemptNow(tenantId: string, deliveryId: string) {
    const [row] = await api.dataSource.query(
      `UPDATE webhook_deliveries SET next_attempt_at = now() - interval '1 second'
        WHERE id = $1 AND status = 'PENDING' RETURNING attempt_count`,
      [deliveryId],
    );
    return deliverer.attempt({ tenantId, deliveryId, attempt: row[0].attempt_count + 1 });
  }

  /** Keeps a fresh delivery out of any sweep until the test attempts it itself. */
  const park = (tenantId: string) =>
    api.dataSource.query(
      `UPDATE webhook_deliveries SET next_attempt_at = now() + interval '1 day' WHERE tenant_id = $1 AND status = 'PENDING'`,
      [tenantId],
    );

  /** Abandons the setup's goal (one goal.status_changed event) and parks its delivery; that delivery. */
  async function abandonGoal({
    firm,
    admin,
    coach,
    goal,
    endpointId,
  }: {
    firm: { tenantId: string };
    admin: string;
    coach: { accessToken: string };
    goal: { id: string };
    endpointId: string;
  }) {
    await api.ok(
      STATUS,
      { input: { id: goal.id, expectedVersion: 1, status: 'ABANDONED' } },
      { token: coach.accessToken },
    );
    await park(firm.tenantId);
    const [delivery] = await deliveries(admin, { endpointId });
    return delivery;
  }

  /** The signatures of `Cairn-Signature`, in header order (newest secret first). */
  const signaturesOf = (headers: http.IncomingHttpHeaders) =>
    String(headers['cairn-signature'] ?? '')
      .split(',')
      .map((s) => s.trim());

  /** The receiver side of the README recipe: the request verifies if any one signature matches the secret. */
  function verify(
    secret: string,
    headers: http.IncomingHttpHeaders,
    body: string,
    nowSeconds = Math.floor(Date.now() / 1000),
  ) {
    const timestamp = Number(headers['cairn-timestamp']);
    if (!Number.isInteger(timestamp) || Math.abs(nowSeconds - timestamp) > 300) return false;
    const expected = Buffer.from(
      `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`,
    );
    return signaturesOf(headers).some(
      (given) => given.length === expected.length && timingSafeEqual(Buffer.from(given), expected),
    );
  }

  describe('endpoints', () => {
    it('an admin manages endpoints; the secret is shown at creation and rotation only', async () => {
      const { admin, endpointId, secret } = await setup(['CHECKIN_DUE']);
      expect(await listEndpoints(api, admin)).toEqual([
        {
          id: endpointId,
          url: receiverUrl,
          eventTypes: ['CHECKIN_DUE'],
          enabled: true,
          previousSecretExpiresAt: null,
        },
      ]);
      for (const field of ['secret', 'previousSecret']) {
        const secretField = await api.gql(
          `{ webhookEndpoints { edges { node { ${field} } } } }`,
          {},
          { token: admin },
        );
        expect(errorCode(secretField)).toBe('GRAPHQL_VALIDATION_FAILED');
      }

      const updated = await api.ok<{ updateWebhookEndpoint: Record<string, unknown> }>(
        UPDATE,
        {
          input: {
            id: endpointId,
            expectedVersion: 1,
            eventTypes: ['CHECKIN_SUBMITTED', 'REPORT_READY'],
            enabled: false,
            // A null url is ignored, as the input says (the hostile-input fuzz found it answered 500).
            url: null,
          },
        },
        { token: admin },
      );
      expect(updated.updateWebhookEndpoint).toMatchObject({
        url: receiverUrl,
        eventTypes: ['CHECKIN_SUBMITTED', 'REPORT_READY'],
        enabled: false,
        version: 2,
      });
      const stale = await api.gql(
        UPDATE,
        { input: { id: endpointId, expectedVersion: 1, enabled: true } },
        { token: admin },
      );
      expect(errorCode(stale)).toBe('CONFLICT');

      const rotated = await api.ok<{
        rotateWebhookSecret: {
          secret: string;
          endpoint: { version: number; previousSecretExpiresAt: string | null };
        };
      }>(ROTATE, { id: endpointId }, { token: admin });
      expect(rotated.rotateWebhookSecret.secret).not.toBe(secret);
      expect(rotated.rotateWebhookSecret.endpoint.version).toBe(3);
      const [stored] = await api.dataSource.query(
        `SELECT secret, previous_secret, event_types,
                previous_secret_expires_at - now() BETWEEN interval '23 hours' AND interval '24 hours' AS day_window,
                previous_secret_expires_at
           FROM webhook_endpoints WHERE id = $1`,
        [endpointId],
      );
      // The retired secret is kept (to sign alongside the new one) for a day from the rotation, sealed both.
      const box = api.app.get(SecretBox, { strict: false });
      expect(stored).toMatchObject({ event_types: ['checkin.submitted', 'report.ready'], day_window: true });
      expect([stored.secret, stored.previous_secret].every((v: string) => v.startsWith('v2.'))).toBe(true);
      expect(box.open(stored.secret)).toBe(rotated.rotateWebhookSecret.secret);
      expect(box.open(stored.previous_secret)).toBe(secret);
      expect(rotated.rotateWebhookSecret.endpoint.previousSecretExpiresAt).toBe(
        stored.previous_secret_expires_at.toISOString(),
      );

      expect(
        (await api.ok<{ deleteWebhookEndpoint: unknown }>(DELETE, { id: endpointId }, { token: admin }))
          .deleteWebhookEndpoint,
      ).toEqual({
        id: endpointId,
        enabled: false,
      });
      expect(await listEndpoints(api, admin)).toEqual([]);
      expect(errorCode(await api.gql(ROTATE, { id: endpointId }, { token: admin }))).toBe('NOT_FOUND');
      const [row] = await api.dataSource.query(
        `SELECT enabled, deleted_at IS NOT NULL AS deleted FROM webhook_endpoints WHERE id = $1`,
        [endpointId],
      );
      expect(row).toEqual({ enabled: false, deleted: true });
    });

    it('lists endpoints as a Relay connection, oldest first, page by page, deleted ones left out', async () => {
      const { admin, endpointId: first } = await setup(['CHECKIN_DUE']);
      const more: string[] = [];
      for (let i = 0; i < 3; i++) {
        const created = await api.ok<{ createWebhookEndpoint: { endpoint: { id: string } } }>(
          CREATE,
          { input: { url: receiverUrl, eventTypes: ['CHECKIN_DUE'] } },
          { token: admin },
        );
        more.push(created.createWebhookEndpoint.endpoint.id);
      }
      await api.ok(DELETE, { id: more[1] }, { token: admin });
      const page1 = await api.ok<EndpointsPage>(ENDPOINTS, { first: 2 }, { token: admin });
      expect(page1.webhookEndpoints.edges.map((e) => e.node.id)).toEqual([first, more[0]]);
      expect(page1.webhookEndpoints.pageInfo.hasNextPage).toBe(true);
      const page2 = await api.ok<EndpointsPage>(
        ENDPOINTS,
        { first: 2, after: page1.webhookEndpoints.pageInfo.endCursor },
        { token: admin },
      );
      expect(page2.webhookEndpoints.edges.map((e) => e.node.id)).toEqual([more[2]]);
      expect(page2.webhookEndpoints.pageInfo.hasNextPage).toBe(false);
      expect((await listEndpoints(api, admin)).map((e) => e.id)).toEqual([first, more[0], more[2]]);
      expect(errorCode(await api.gql(ENDPOINTS, { first: 101 }, { token: admin }))).toBe('BAD_USER_INPUT');
    });

    it('only admins: a coach or client is FORBIDDEN, an API key is refused, another firm gets NOT_FOUND', async () => {
      const { firm, admin, coach, client, endpointId } = await setup();
      const input = { url: receiverUrl, eventTypes: ['GOAL_ACHIEVED'] };
      for (const token of [coach.accessToken, client.accessToken]) {
        expect(errorCode(await api.gql(CREATE, { input }, { token }))).toBe('FORBIDDEN');
        expect(errorCode(await api.gql(ENDPOINTS, {}, { token }))).toBe('FORBIDDEN');
        expect(errorCode(await api.gql(DELIVERIES, {}, { token }))).toBe('FORBIDDEN');
        expect(errorCode(await api.gql(ROTATE, { id: endpointId }, { token }))).toBe('FORBIDDEN');
      }
      const key = await createApiKey(api, firm, ['USERS_READ', 'GOALS_READ', 'GOALS_WRITE']);
      expect(errorCode(await api.gql(ENDPOINTS, {}, { apiKey: key.secret }))).toBe('FORBIDDEN');

      const other = (await signUpFirm(api)).admin.accessToken;
      expect(errorCode(await api.gql(ROTATE, { id: endpointId }, { token: other }))).toBe('NOT_FOUND');
      expect(errorCode(await api.gql(DELETE, { id: endpointId }, { token: other }))).toBe('NOT_FOUND');
      expect(
        errorCode(
          await api.gql(
            UPDATE,
            { input: { id: endpointId, expectedVersion: 1, enabled: false } },
            { token: other },
          ),
        ),
      ).toBe('NOT_FOUND');
      expect(await listEndpoints(api, other)).toEqual([]);
      expect(await deliveries(other, { endpointId })).toEqual([]);
      expect(await listEndpoints(api, admin)).toEqual([
        expect.objectContaining({ id: endpointId, enabled: true }),
      ]);
    });
  });

  describe('the outbox', () => {
    it('a goal status change writes its events and deliveries in the same transaction', async () => {
      const { firm, admin, coach, goal, endpointId } = await setup(['GOAL_ACHIEVED']);
      // A second, disabled endpoint and one subscribed to other events get nothing.
      const statusOnly = await api.ok<{ createWebhookEndpoint: { endpoint: { id: string } } }>(
        CREATE,
        { input: { url: receiverUrl, eventTypes: ['GOAL_STATUS_CHANGED'] } },
        { token: admin },
      );
      const disabled = await api.ok<{ createWebhookEndpoint: { endpoint: { id: string } } }>(
        CREATE,
        { input: { url: receiverUrl, eventTypes: ['GOAL_STATUS_CHANGED', 'GOAL_ACHIEVED'] } },
        { token: admin },
      );
      await api.ok(
        UPDATE,
        { input: { id: disabled.createWebhookEndpoint.endpoint.id, expectedVersion: 1, enabled: false } },
        { token: admin },
      );

      await api.ok(
        STATUS,
        { input: { id: goal.id, expectedVersion: 1, status: 'ACTIVE' } },
        { token: coach.accessToken },
      );
      await api.ok(
        STATUS,
        { input: { id: goal.id, expectedVersion: 2, status: 'ACHIEVED' } },
        { token: coach.accessToken },
      );

      const events: { type: string; payload: Record<string, string> }[] = await api.dataSource.query(
        `SELECT type, payload FROM domain_events WHERE tenant_id = $1 ORDER BY created_at, type DESC`,
        [firm.tenantId],
      );
      expect(events).toEqual([
        {
          type: 'goal.status_changed',
          payload: {
            goalId: goal.id,
            clientId: expect.any(String),
            previousStatus: 'DRAFT',
            status: 'ACTIVE',
          },
        },
        {
          type: 'goal.status_changed',
          payload: {
            goalId: goal.id,
            clientId: expect.any(String),
            previousStatus: 'ACTIVE',
            status: 'ACHIEVED',
          },
        },
        {
          type: 'goal.achieved',
          payload: {
            goalId: goal.id,
            clientId: expect.any(String),
            previousStatus: 'ACTIVE',
            status: 'ACHIEVED',
          },
        },
      ]);
      const rows: {
        endpoint_id: string;
        type: string;
        goal_xmin: string;
        event_xmin: string;
        delivery_xmin: string;
      }[] = await api.dataSource.query(
        `SELECT d.endpoint_id, e.type, g.xmin::text AS goal_xmin, e.xmin::text AS event_xmin, d.xmin::text AS delivery_xmin
             FROM webhook_deliveries d JOIN domain_events e ON e.id = d.event_id
             JOIN goals g ON g.id = $2
            WHERE d.tenant_id = $1 ORDER BY e.created_at, e.type`,
        [firm.tenantId, goal.id],
      );
      expect(rows.map((r) => [r.endpoint_id, r.type])).toEqual([
        [statusOnly.createWebhookEndpoint.endpoint.id, 'goal.status_changed'],
        [endpointId, 'goal.achieved'],
        [statusOnly.createWebhookEndpoint.endpoint.id, 'goal.status_changed'],
      ]);
      await park(firm.tenantId);
      // The last change (to ACHIEVED) wrote the goal row, its events and deliveries: one transaction id for all.
      const achieved = rows.filter((r) => r.type === 'goal.achieved');
      expect(achieved).toHaveLength(1);
      expect(achieved[0].endpoint_id).toBe(endpointId);
      expect(achieved[0].event_xmin).toBe(achieved[0].goal_xmin);
      expect(achieved[0].delivery_xmin).toBe(achieved[0].goal_xmin);
      expect(rows.filter((r) => r.type === 'goal.status_changed').map((r) => r.endpoint_id)).toEqual([
        statusOnly.createWebhookEndpoint.endpoint.id,
        statusOnly.createWebhookEndpoint.endpoint.id,
      ]);
    });

    it('a failed status change writes no event and no delivery', async () => {
      const { firm, coach, goal } = await setup();
      const count = async () =>
        (
          await api.dataSource.query(
            `SELECT (SELECT count(*)::int FROM domain_events WHERE tenant_id = $1) AS events,
                    (SELECT count(*)::int FROM webhook_deliveries WHERE tenant_id = $1) AS deliveries`,
            [firm.tenantId],
          )
        )[0];
      const stale = await api.gql(
        STATUS,
        { input: { id: goal.id, expectedVersion: 7, status: 'ACTIVE' } },
        { token: coach.accessToken },
      );
      expect(errorCode(stale)).toBe('CONFLICT');
      const illegal = await api.gql(
        STATUS,
        { input: { id: goal.id, expectedVersion: 1, status: 'ACHIEVED' } },
        { token: coach.accessToken },
      );
      expect(errorCode(illegal)).toBe('BAD_USER_INPUT');
      expect(await count()).toEqual({ events: 0, deliveries: 0 });
      await api.ok(
        STATUS,
        { input: { id: goal.id, expectedVersion: 1, status: 'ABANDONED' } },
        { token: coach.accessToken },
      );
      await park(firm.tenantId);
      expect(await count()).toEqual({ events: 1, deliveries: 1 });
    });
  });

  describe('delivery', () => {
    it('retries after a 500, a redirect and a timeout, then delivers a verifiable, signed request', async () => {
      const { firm, admin, coach, client, goal, endpointId, secret } = await setup(['GOAL_ACHIEVED']);
      await api.ok(
        STATUS,
        { input: { id: goal.id, expectedVersion: 1, status: 'ACTIVE' } },
        { token: coach.accessToken },
      );
      await api.ok(
        STATUS,
        { input: { id: goal.id, expectedVersion: 2, status: 'ACHIEVED' } },
        { token: coach.accessToken },
      );
      await park(firm.tenantId);
      const [pending] = await deliveries(admin, { endpointId });
      expect(pending).toMatchObject({ status: 'PENDING', attemptCount: 0, attempts: [] });

      received.length = 0;
      script.push('fail', 'redirect', 'hang', 'ok');
      expect(await attemptNow(firm.tenantId, pending.id)).toBe('retrying');
      // Not due: the back-off put the next attempt in the future, so a second job for it does nothing.
      expect(await deliverer.attempt({ tenantId: firm.tenantId, deliveryId: pending.id, attempt: 2 })).toBe(
        'skipped',
      );
      expect(await attemptNow(firm.tenantId, pending.id)).toBe('retrying');
      // A short timeout for the attempt that hangs only: the others answer, however slowly the machine runs.
      deliverer.timeoutMs = 300;
      try {
        expect(await attemptNow(firm.tenantId, pending.id)).toBe('retrying');
      } finally {
        deliverer.timeoutMs = 10_000;
      }
      expect(await attemptNow(firm.tenantId, pending.id)).toBe('delivered');
      // Delivered: a job for a later attempt finds nothing to do.
      expect(await deliverer.attempt({ tenantId: firm.tenantId, deliveryId: pending.id, attempt: 5 })).toBe(
        'skipped',
      );
      expect(received).toHaveLength(4);

      const [done] = await deliveries(admin, { endpointId });
      expect(done).toMatchObject({
        id: pending.id,
        status: 'DELIVERED',
        attemptCount: 4,
        lastStatusCode: 204,
        lastError: null,
      });
      expect(done.attempts).toEqual([
        expect.objectContaining({ attemptNumber: 1, statusCode: 500, error: 'HTTP 500', succeeded: false }),
        expect.objectContaining({
          attemptNumber: 2,
          statusCode: 302,
          error: 'Redirect (302) not followed',
          succeeded: false,
        }),
        expect.objectContaining({
          attemptNumber: 3,
          statusCode: null,
          error: 'Timed out after 300 ms',
          succeeded: false,
        }),
        expect.objectContaining({ attemptNumber: 4, statusCode: 204, error: null, succeeded: true }),
      ]);
      expect(await deliveries(admin, { endpointId, status: 'PENDING' })).toEqual([]);

      const last = received[3];
      expect(verify(secret, last.headers, last.body)).toBe(true);
      expect(verify(secret, last.headers, last.body.replace('ACHIEVED', 'ABANDONED'))).toBe(false);
      expect(verify('whsec_wrong', last.headers, last.body)).toBe(false);
      // Outside the five-minute replay window the same request is refused.
      expect(verify(secret, last.headers, last.body, Number(last.headers['cairn-timestamp']) + 301)).toBe(
        false,
      );
      expect(Math.abs(Number(last.headers['cairn-timestamp']) - Date.now() / 1000)).toBeLessThan(300);
      expect(last.headers).toMatchObject({
        'content-type': 'application/json',
        'cairn-event-id': done.eventId,
        'cairn-event-type': 'goal.achieved',
        'cairn-delivery-id': done.id,
      });
      expect(JSON.parse(last.body)).toEqual({
        id: done.eventId,
        type: 'goal.achieved',
        occurredAt: done.event.occurredAt,
        tenantId: firm.tenantId,
        data: { goalId: goal.id, clientId: client.user.id, previousStatus: 'ACTIVE', status: 'ACHIEVED' },
      });
      expect(JSON.parse(done.event.data)).toEqual(JSON.parse(last.body).data);
      // Every attempt carried the same event id, each freshly signed.
      expect(new Set(received.map((r) => r.headers['cairn-event-id']))).toEqual(new Set([done.eventId]));
      expect(received.every((r) => verify(secret, r.headers, r.body))).toBe(true);

      // Re-send: a new delivery of the same event, which is delivered in turn.
      const resent = await api.ok<{ resendWebhookDelivery: Record<string, unknown> & { id: string } }>(
        RESEND,
        { id: done.id },
        { token: admin },
      );
      expect(resent.resendWebhookDelivery).toMatchObject({
        status: 'PENDING',
        resentFromId: done.id,
        eventId: done.eventId,
        attemptCount: 0,
      });
      await park(firm.tenantId);
      expect(await attemptNow(firm.tenantId, resent.resendWebhookDelivery.id)).toBe('delivered');
      expect(received.at(-1)?.headers['cairn-event-id']).toBe(done.eventId);
      expect((await deliveries(admin, { endpointId })).map((d) => [d.status, d.resentFromId])).toEqual([
        ['DELIVERED', null],
        ['DELIVERED', done.id],
      ]);
      const other = (await signUpFirm(api)).admin.accessToken;
      expect(errorCode(await api.gql(RESEND, { id: done.id }, { token: other }))).toBe('NOT_FOUND');
      expect(errorCode(await api.gql(RESEND, { id: done.id }, { token: coach.accessToken }))).toBe(
        'FORBIDDEN',
      );
    });

    it('signs with the new and the previous secret for a day after a rotation, then with the new one only', async () => {
      const { firm, admin, coach, goal, endpointId, secret: original } = await setup(['GOAL_STATUS_CHANGED']);
      const first = await abandonGoal({ firm, admin, coach, goal, endpointId });
      const rotate = async () =>
        (
          await api.ok<{ rotateWebhookSecret: { secret: string } }>(
            ROTATE,
            { id: endpointId },
            { token: admin },
          )
        ).rotateWebhookSecret.secret;
      /** Re-sends the delivery and attempts it now: every attempt is signed with the secrets of that moment. */
      const deliverAgain = async () => {
        const resent = await api.ok<{ resendWebhookDelivery: { id: string } }>(
          RESEND,
          { id: first.id },
          { token: admin },
        );
        await park(firm.tenantId);
        expect(await attemptNow(firm.tenantId, resent.resendWebhookDelivery.id)).toBe('delivered');
        return received.at(-1) as (typeof received)[number];
      };
      const sign = (secret: string, request: (typeof received)[number]) =>
        `v1=${createHmac('sha256', secret).update(`${request.headers['cairn-timestamp']}.${request.body}`).digest('hex')}`;

      // Before any rotation: one signature.
      expect(await attemptNow(firm.tenantId, first.id)).toBe('delivered');
      const before = received.at(-1) as (typeof received)[number];
      expect(signaturesOf(before.headers)).toEqual([sign(original, before)]);

      // Rotated: the new secret's signature first, then the old one's; a receiver holding either verifies.
      const second = await rotate();
      const overlap = await deliverAgain();
      expect(signaturesOf(overlap.headers)).toEqual([sign(second, overlap), sign(original, overlap)]);
      expect(verify(second, overlap.headers, overlap.body)).toBe(true);
      expect(verify(original, overlap.headers, overlap.body)).toBe(true);
      expect(verify('whsec_wrong', overlap.headers, overlap.body)).toBe(false);
      expect(verify(original, overlap.headers, overlap.body.replace('ABANDONED', 'ACHIEVED'))).toBe(false);

      // Rotated again within the window: the secret just retired replaces the older one; never three.
      const third = await rotate();
      const again = await deliverAgain();
      expect(signaturesOf(again.headers)).toEqual([sign(third, again), sign(second, again)]);
      expect(verify(third, again.headers, again.body)).toBe(true);
      expect(verify(second, again.headers, again.body)).toBe(true);
      expect(verify(original, again.headers, again.body)).toBe(false);

      // The window is over: the new secret alone.
      await api.dataSource.query(
        `UPDATE webhook_endpoints SET previous_secret_expires_at = now() - interval '1 second' WHERE id = $1`,
        [endpointId],
      );
      const after = await deliverAgain();
      expect(signaturesOf(after.headers)).toEqual([sign(third, after)]);
      expect(verify(third, after.headers, after.body)).toBe(true);
      expect(verify(second, after.headers, after.body)).toBe(false);
    });

    it('stores signing secrets sealed; seals ones stored in the clear; records, unsent, one sealed under another key', async () => {
      const { firm, admin, coach, goal, endpointId, secret } = await setup(['GOAL_STATUS_CHANGED']);
      const stored = async () =>
        (await api.dataSource.query(`SELECT secret FROM webhook_endpoints WHERE id = $1`, [endpointId]))[0]
          .secret as string;
      const sealed = await stored();
      expect(sealed).toMatch(/^v2\.default\./);
      expect(sealed).not.toContain(secret.slice('whsec_'.length, 20));
      const first = await abandonGoal({ firm, admin, coach, goal, endpointId });
      expect(await attemptNow(firm.tenantId, first.id)).toBe('delivered');
      const signed = received.at(-1) as (typeof received)[number];
      expect(verify(secret, signed.headers, signed.body)).toBe(true);

      // A secret from before sealing still signs, and the retention run seals it.
      await api.dataSource.query(`UPDATE webhook_endpoints SET secret = $2 WHERE id = $1`, [
        endpointId,
        secret,
      ]);
      const resend = async () => {
        const resent = await api.ok<{ resendWebhookDelivery: { id: string } }>(
          RESEND,
          { id: first.id },
          { token: admin },
        );
        await park(firm.tenantId);
        return resent.resendWebhookDelivery.id;
      };
      expect(await attemptNow(firm.tenantId, await resend())).toBe('delivered');
      expect(verify(secret, received.at(-1)!.headers, received.at(-1)!.body)).toBe(true);
      expect(await api.app.get(WebhookRetention).sealPlainSecrets()).toBeGreaterThanOrEqual(1);
      expect(await stored()).toMatch(/^v2\./);
      expect(await attemptNow(firm.tenantId, await resend())).toBe('delivered');
      expect(verify(secret, received.at(-1)!.headers, received.at(-1)!.body)).toBe(true);

      // Sealed under another key (DATA_ENCRYPTION_KEY changed): a failed attempt that says so, nothing sent.
      const otherKey = new SecretBox(
        testConfig({ DATABASE_URL, DATA_ENCRYPTION_KEY: Buffer.alloc(32, 'x').toString('base64') }),
      );
      await api.dataSource.query(`UPDATE webhook_endpoints SET secret = $2 WHERE id = $1`, [
        endpointId,
        otherKey.seal(secret),
      ]);
      const count = received.length;
      const unreadable = await resend();
      expect(await attemptNow(firm.tenantId, unreadable)).toBe('retrying');
      expect(received).toHaveLength(count);
      const [row] = await api.dataSource.query(`SELECT last_error FROM webhook_deliveries WHERE id = $1`, [
        unreadable,
      ]);
      expect(row.last_error).toMatch(/cannot be read with this DATA_ENCRYPTION_KEY/);
    });

    it('gives up as FAILED once a delivery has been retried for a day; deleting an endpoint fails what is pending', async () => {
      const { firm, admin, coach, goal, endpointId } = await setup();
      const delivery = await abandonGoal({ firm, admin, coach, goal, endpointId });
      await api.dataSource.query(
        `UPDATE webhook_deliveries SET created_at = now() - interval '25 hours' WHERE id = $1`,
        [delivery.id],
      );
      script.push('fail');
      expect(await attemptNow(firm.tenantId, delivery.id)).toBe('failed');
      const [failed] = await deliveries(admin, { endpointId, status: 'FAILED' });
      expect(failed).toMatchObject({
        id: delivery.id,
        status: 'FAILED',
        attemptCount: 1,
        lastStatusCode: 500,
        nextAttemptAt: null,
      });

      await api.ok(
        STATUS,
        { input: { id: goal.id, expectedVersion: 2, status: 'DRAFT' } },
        { token: coach.accessToken },
      );
      await park(firm.tenantId);
      await api.ok(DELETE, { id: endpointId }, { token: admin });
      const all = await deliveries(admin, { endpointId });
      expect(all.map((d) => [d.status, d.lastError])).toEqual([
        ['FAILED', 'HTTP 500'],
        ['FAILED', 'Endpoint deleted'],
      ]);
      expect(errorCode(await api.gql(RESEND, { id: delivery.id }, { token: admin }))).toBe('CONFLICT');
    });

    it('refuses, as a recorded failed attempt, an endpoint whose host now resolves to a private address', async () => {
      // Registered while private targets were allowed; the worker of a deployment that does not allow them
      // re-checks the resolved address at delivery time (DNS rebinding).
      const { firm, admin, coach, goal, endpointId } = await setup();
      await api.dataSource.query(`UPDATE webhook_endpoints SET url = $2 WHERE id = $1`, [
        endpointId,
        receiverUrl.replace('127.0.0.1', 'localhost'),
      ]);
      const delivery = await abandonGoal({ firm, admin, coach, goal, endpointId });
      const strict = new WebhookDeliverer(
        deliverer.store,
        testConfig({ DATABASE_URL }),
        (deliverer as unknown as { box: never }).box,
      );
      await api.dataSource.query(
        `UPDATE webhook_deliveries SET next_attempt_at = now() - interval '1 second' WHERE id = $1`,
        [delivery.id],
      );
      const before = received.length;
      expect(await strict.attempt({ tenantId: firm.tenantId, deliveryId: delivery.id, attempt: 1 })).toBe(
        'retrying',
      );
      expect(received.length).toBe(before);
      const [after] = await deliveries(admin, { endpointId });
      expect(after.attempts).toEqual([
        expect.objectContaining({
          attemptNumber: 1,
          statusCode: null,
          succeeded: false,
          error: 'localhost resolves to a blocked address',
        }),
      ]);
    });
  });

  describe('retention', () => {
    it('purges finished deliveries, their attempts and unreferenced events past WEBHOOK_RETENTION_DAYS (30)', async () => {
      const { firm, endpointId } = await setup();
      const tenantId = firm.tenantId;
      /** An event written `age` ago (an SQL interval). */
      const event = async (age: string) =>
        (
          await api.dataSource.query(
            `INSERT INTO domain_events (tenant_id, type, payload, occurred_at, created_at)
             VALUES ($1, 'goal.achieved', '{}', now() - $2::interval, now() - $2::interval) RETURNING id`,
            [tenantId, age],
          )
        )[0].id as string;
      /** A delivery created `age` ago and, unless PENDING, finished `finished` ago, with one attempt. */
      const delivery = async (
        eventId: string,
        status: 'PENDING' | 'DELIVERED' | 'FAILED',
        age: string,
        { finished = age, resentFromId = null as string | null } = {},
      ) => {
        const [row] = await api.dataSource.query(
          `INSERT INTO webhook_deliveries (tenant_id, event_id, endpoint_id, status, attempt_count, next_attempt_at,
                                           delivered_at, failed_at, resent_from_id, created_at)
           VALUES ($1, $2, $3, $4, 1,
                   CASE WHEN $4 = 'PENDING' THEN now() + interval '1 day' END,
                   CASE WHEN $4 = 'DELIVERED' THEN now() - $6::interval END,
                   CASE WHEN $4 = 'FAILED' THEN now() - $6::interval END,
                   $7, now() - $5::interval)
           RETURNING id`,
          [tenantId, eventId, endpointId, status, age, finished, resentFromId],
        );
        await api.dataSource.query(
          `INSERT INTO webhook_delivery_attempts (tenant_id, delivery_id, attempt_number, attempted_at, duration_ms,
                                                  status_code, succeeded)
           VALUES ($1, $2, 1, now() - $3::interval, 5, 500, false)`,
          [tenantId, row.id, age],
        );
        return row.id as string;
      };

      const oldDone = await event('40 days');
      const oldDelivered = await delivery(oldDone, 'DELIVERED', '40 days');
      const oldFailed = await delivery(oldDone, 'FAILED', '40 days', { finished: '39 days' });
      // An old delivery and its old re-send go together, in one run.
      const oldResent = await delivery(oldDone, 'DELIVERED', '35 days', { resentFromId: oldDelivered });
      const oldNoDeliveries = await event('31 days');

      const young = await event('29 days');
      const youngDelivered = await delivery(young, 'DELIVERED', '29 days');
      const youngNoDeliveries = await event('1 day');

      // Old, but still waiting (its endpoint was disabled for weeks): never purged, nor is its event.
      const waiting = await event('60 days');
      const oldPending = await delivery(waiting, 'PENDING', '60 days');
      const besidePending = await delivery(waiting, 'DELIVERED', '60 days');
      // Created long ago but failed only recently: kept the full period from when it finished.
      const lateFail = await delivery(waiting, 'FAILED', '45 days', { finished: '2 days' });

      // An old delivery a young re-send points at stays with it, and so does their event.
      const resentEvent = await event('50 days');
      const resentOriginal = await delivery(resentEvent, 'FAILED', '50 days');
      const youngCopy = await delivery(resentEvent, 'DELIVERED', '1 day', { resentFromId: resentOriginal });

      // A previous secret whose overlap window is over is forgotten; one still in its window is kept.
      const endpointWithPrevious = async (expiresIn: string) =>
        (
          await api.dataSource.query(
            `INSERT INTO webhook_endpoints (tenant_id, url, event_types, secret, enabled, previous_secret,
                                            previous_secret_expires_at)
             VALUES ($1, $2, ARRAY['report.ready'], 'whsec_now', false, 'whsec_before', now() + $3::interval)
             RETURNING id`,
            [tenantId, receiverUrl, expiresIn],
          )
        )[0].id as string;
      const expiredSecretEndpoint = await endpointWithPrevious('-1 minute');
      const liveSecretEndpoint = await endpointWithPrevious('1 hour');

      const ids = async (table: string) =>
        (
          (await api.dataSource.query(`SELECT id FROM ${table} WHERE tenant_id = $1`, [tenantId])) as {
            id: string;
          }[]
        ).map((r) => r.id);
      const allDeliveries = [oldDelivered, oldFailed, oldResent, besidePending, youngDelivered, oldPending];
      allDeliveries.push(lateFail, resentOriginal, youngCopy);
      expect(new Set(await ids('webhook_deliveries'))).toEqual(new Set(allDeliveries));
      expect(new Set(await ids('domain_events'))).toEqual(
        new Set([oldDone, oldNoDeliveries, young, youngNoDeliveries, waiting, resentEvent]),
      );

      await api.app.get(WebhookRetention).purge();

      expect(new Set(await ids('webhook_deliveries'))).toEqual(
        new Set([youngDelivered, oldPending, lateFail, resentOriginal, youngCopy]),
      );
      expect(new Set(await ids('domain_events'))).toEqual(
        new Set([young, youngNoDeliveries, waiting, resentEvent]),
      );
      const attempts: { delivery_id: string }[] = await api.dataSource.query(
        `SELECT delivery_id FROM webhook_delivery_attempts WHERE tenant_id = $1`,
        [tenantId],
      );
      expect(new Set(attempts.map((a) => a.delivery_id))).toEqual(
        new Set([youngDelivered, oldPending, lateFail, resentOriginal, youngCopy]),
      );
      const secrets = await api.dataSource.query(
        `SELECT id, previous_secret, previous_secret_expires_at IS NOT NULL AS expiry
           FROM webhook_endpoints WHERE id = ANY($1)`,
        [[expiredSecretEndpoint, liveSecretEndpoint]],
      );
      // The live one, stored in the clear by this test, is sealed by the same run.
      const box = api.app.get(SecretBox, { strict: false });
      expect(
        secrets.map((r: { id: string; previous_secret: string | null; expiry: boolean }) => ({
          ...r,
          previous_secret: r.previous_secret && box.open(r.previous_secret),
          sealed: r.previous_secret === null || SecretBox.isSealed(r.previous_secret),
        })),
      ).toEqual(
        expect.arrayContaining([
          { id: expiredSecretEndpoint, previous_secret: null, expiry: false, sealed: true },
          { id: liveSecretEndpoint, previous_secret: 'whsec_before', expiry: true, sealed: true },
        ]),
      );
    });
  });

  describe('the worker', () => {
    let worker: INestApplicationContext | undefined;
    afterAll(() => worker?.close());

    it('delivers through BullMQ: the fast path after commit, and the sweep for rows nobody enqueued', async () => {
      const queue = appQueue(QueueName.WEBHOOKS, REDIS_URL);
      await queue.obliterate({ force: true });
      await queue.close();
      // Stop every earlier test's endpoint, so this worker only delivers this test's events.
      await api.dataSource.query(`UPDATE webhook_endpoints SET enabled = false WHERE tenant_id = ANY($1)`, [
        tenants,
      ]);
      const { firm, admin, coach, goal, endpointId, secret } = await setup();
      worker = await NestFactory.createApplicationContext(
        WorkerModule.forRoot(testConfig({ DATABASE_URL, REDIS_URL, WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' })),
        { logger: false },
      );
      received.length = 0;
      await api.ok(
        STATUS,
        { input: { id: goal.id, expectedVersion: 1, status: 'ACTIVE' } },
        { token: coach.accessToken },
      );
      await waitFor(
        'the fast-path delivery',
        async () => (await deliveries(admin, { endpointId, status: 'DELIVERED' })).length === 1,
      );

      // A delivery written without any enqueue (as if Redis had been down): the periodic sweep finds it.
      const [event] = await api.dataSource.query(
        `SELECT event_id FROM webhook_deliveries WHERE endpoint_id = $1`,
        [endpointId],
      );
      await api.dataSource.query(
        `INSERT INTO webhook_deliveries (tenant_id, event_id, endpoint_id, next_attempt_at) VALUES ($1, $2, $3, now())`,
        [firm.tenantId, event.event_id, endpointId],
      );
      await waitFor(
        'the swept delivery',
        async () => (await deliveries(admin, { endpointId, status: 'DELIVERED' })).length === 2,
      );
      expect(received).toHaveLength(2);
      expect(received.every((r) => verify(secret, r.headers, r.body))).toBe(true);
    }, 120_000);

    it('schedules the retention purge hourly on the webhooks queue; its handler runs the purge', async () => {
      worker ??= await NestFactory.createApplicationContext(
        WorkerModule.forRoot(testConfig({ DATABASE_URL, REDIS_URL, WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' })),
        { logger: false },
      );
      const queue = appQueue(QueueName.WEBHOOKS, REDIS_URL);
      try {
        await waitFor('the purge scheduler', async () =>
          (await queue.getJobSchedulers()).some(
            (s) => s.key === 'webhooks.purge-old' && s.every === 60 * 60 * 1000,
          ),
        );
      } finally {
        await queue.close();
      }
      const { firm, endpointId } = await setup();
      const [old] = await api.dataSource.query(
        `INSERT INTO domain_events (tenant_id, type, payload, occurred_at, created_at)
         VALUES ($1, 'goal.achieved', '{}', now() - interval '40 days', now() - interval '40 days') RETURNING id`,
        [firm.tenantId],
      );
      await api.dataSource.query(
        `INSERT INTO webhook_deliveries (tenant_id, event_id, endpoint_id, status, delivered_at, created_at)
         VALUES ($1, $2, $3, 'DELIVERED', now() - interval '40 days', now() - interval '40 days')`,
        [firm.tenantId, old.id, endpointId],
      );
      const handler = worker.get(JobHandlerRegistry).handlerFor('webhooks.purge-old');
      await handler({ name: 'webhooks.purge-old', data: {} } as Job);
      const left = await api.dataSource.query(
        `SELECT (SELECT count(*)::int FROM domain_events WHERE tenant_id = $1) AS events,
                (SELECT count(*)::int FROM webhook_deliveries WHERE tenant_id = $1) AS deliveries`,
        [firm.tenantId],
      );
      expect(left).toEqual([{ events: 0, deliveries: 0 }]);
    });
  });
});
