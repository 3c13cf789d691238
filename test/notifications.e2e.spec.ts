import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import jsonwebtoken from 'jsonwebtoken';
import type { FormattedExecutionResult } from 'graphql';
import { type Client, createClient } from 'graphql-ws';
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';
import { WorkerModule } from '#cairn-app/worker';
import { ApiModule, ENTITIES } from '#cairn-app/api';
import { DeliveryChannel, MessageKind, MessageService } from '#cairn/messaging';
import {
  type NoticeInput,
  NotificationHub,
  NotificationKind,
  NotificationListener,
  NotificationPublisher,
  NOTIFICATIONS_CHANNEL,
  NotificationService,
  parseNotificationAdded,
} from '#cairn/notifications';
import { JWT_AUDIENCE, JWT_ISSUER, TokenKeys } from '#cairn/shared/auth';
import { ConfigModule } from '#cairn/shared/config';
import { DatabaseModule, TenantDatabase } from '#cairn/shared/database';
import { GOING_AWAY_CLOSE_CODE, TOKEN_EXPIRED_CLOSE_CODE } from '#cairn/shared/graphql';
import { closeGracefully } from '#cairn/shared/observability';
import { QueueName } from '#cairn/shared/queue';
import { RequestContext } from '#cairn/shared/tenancy';
import {
  appQueue,
  coachingFirm,
  createApiKey,
  errorCode,
  type FirmFixture,
  type GqlResult,
  type Session,
  signUpFirm,
  addUser,
  isolatedRedisUrl,
  testConfig,
  waitFor,
  ownTestDatabaseUrl,
} from '#cairn/shared/testing';
import { TestApi, freshOwnDatabase } from './support/index.js';

// A Redis database of our own, so the worker booted here never takes another suite's jobs. Pub/sub ignores the
// database index, which is exactly what the "unknown ids are ignored" behaviour is for.
const REDIS_URL = isolatedRedisUrl('notifications');
// The worker's sweeps cover every tenant in a database: in the shared one they would work on other suites' rows.
const DATABASE_URL = ownTestDatabaseUrl('notifications');
beforeAll(() => freshOwnDatabase(DATABASE_URL));

const FIELDS = 'id kind title body clientId checkInId readAt createdAt';
const FEED = `query ($first: Int, $after: String, $unreadOnly: Boolean) {
  notifications(first: $first, after: $after, unreadOnly: $unreadOnly) {
    edges { cursor node { ${FIELDS} } } pageInfo { hasNextPage hasPreviousPage endCursor } } }`;
const COUNT = `{ unreadNotificationCount }`;
const MARK = `mutation ($input: MarkNotificationsReadInput!) { markNotificationsRead(input: $input) { id readAt } }`;
const MARK_ALL = `mutation { markAllNotificationsRead }`;
const ADDED = `subscription { notificationAdded { ${FIELDS} } }`;
const ACT_AS_CLIENT = `mutation ($clientId: ID!) { actAsClient(clientId: $clientId) { accessToken } }`;

interface Node {
  id: string;
  kind: string;
  title: string;
  body: string | null;
  clientId: string | null;
  checkInId: string | null;
  readAt: string | null;
  createdAt: string;
}
interface Feed {
  notifications: {
    edges: { cursor: string; node: Node }[];
    pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string | null };
  };
}


const notice = (recipientUserId: string, overrides: Partial<NoticeInput> = {}): NoticeInput => ({
  recipientUserId,
  kind: NotificationKind.CHECKIN_DUE,
  title: 'Weekly check-in is due',
  dedupeKey: `test:${randomUUID()}`,
  ...overrides,
});

/** As a domain service would: inside a tenant transaction of the given process (API or worker). */
function record(app: INestApplicationContext, tenantId: string, notices: NoticeInput[]): Promise<string[]> {
  return RequestContext.runAs({ tenantId }, () =>
    app.get(TenantDatabase).transaction((tx) => app.get(NotificationService).notify(tx, notices)),
  );
}

describe('notifications', () => {
  let api: TestApi;
  let worker: INestApplicationContext;
  let wsUrl: string;
  let hub: NotificationHub;
  const clients: Client[] = [];

  /** Every message announced on the channel, by any process on this Redis, in order. */
  let tap: Redis;
  const announced: { notificationId: string }[] = [];

  beforeAll(async () => {
    api = await TestApi.start(ApiModule.forRoot(testConfig({ DATABASE_URL, REDIS_URL })));
    await api.app.listen(0, '127.0.0.1');
    wsUrl = `ws://127.0.0.1:${(api.app.getHttpServer().address() as AddressInfo).port}/graphql`;
    hub = api.app.get(NotificationHub);
    // A separate process's worth of Nest: notifications it records reach the API only through Redis.
    worker = await NestFactory.createApplicationContext(WorkerModule.forRoot(testConfig({ DATABASE_URL, REDIS_URL })), {
      logger: false,
    });
    tap = new Redis(REDIS_URL);
    tap.on('message', (_channel: string, raw: string) => {
      const message = parseNotificationAdded(raw);
      if (message) announced.push(message);
    });
    await tap.subscribe(NOTIFICATIONS_CHANNEL);
    await waitFor(
      'the API to listen for live notifications',
      () => api.app.get(NotificationListener).listening,
    );
  });

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.dispose()));
    await worker?.close();
    await api?.close();
    await tap?.quit();
    for (const name of Object.values(QueueName)) {
      const queue = appQueue(name, REDIS_URL);
      await queue.obliterate({ force: true });
      await queue.close();
    }
  });

  const feed = async (session: { accessToken: string }, vars: Record<string, unknown> = {}) =>
    (await api.ok<Feed>(FEED, vars, { token: session.accessToken })).notifications;
  const unread = async (session: { accessToken: string }) =>
    (await api.ok<{ unreadNotificationCount: number }>(COUNT, {}, { token: session.accessToken }))
      .unreadNotificationCount;
  const readAtOf = async (id: string) =>
    (await api.dataSource.query(`SELECT read_at FROM notifications WHERE id = $1`, [id]))[0]?.read_at ?? null;

  describe('feed', () => {
    it('lists your own notifications newest first, page by page, and unreadOnly; counts unread', async () => {
      const { firm, client, coach } = await coachingFirm(api);
      const ids: string[] = [];
      // Separate transactions, so each has its own created_at.
      for (const title of ['first', 'second', 'third']) {
        ids.push(...(await record(api.app, firm.tenantId, [notice(client.user.id, { title })])));
      }
      const checkInId = randomUUID();
      const [detailed] = await record(api.app, firm.tenantId, [
        notice(client.user.id, {
          kind: NotificationKind.CHECKIN_FEEDBACK_ADDED,
          title: 'fourth',
          body: 'Your coach left feedback',
          clientId: client.user.id,
          checkInId,
        }),
      ]);
      await record(api.app, firm.tenantId, [notice(coach.user.id, { title: 'for the coach' })]);

      const page1 = await feed(client, { first: 2 });
      expect(page1.edges.map((e) => e.node.title)).toEqual(['fourth', 'third']);
      expect(page1.edges[0].node).toEqual({
        id: detailed,
        kind: 'CHECKIN_FEEDBACK_ADDED',
        title: 'fourth',
        body: 'Your coach left feedback',
        clientId: client.user.id,
        checkInId,
        readAt: null,
        createdAt: expect.any(String),
      });
      expect(page1.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
      const page2 = await feed(client, { first: 2, after: page1.pageInfo.endCursor });
      expect(page2.edges.map((e) => e.node.title)).toEqual(['second', 'first']);
      expect(page2.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
      expect(page2.edges.map((e) => e.node.id)).toEqual([ids[1], ids[0]]);
      // A notification added meanwhile does not shift the next page.
      await record(api.app, firm.tenantId, [notice(client.user.id, { title: 'fifth' })]);
      const again = await feed(client, { first: 2, after: page1.pageInfo.endCursor });
      expect(again.edges.map((e) => e.node.title)).toEqual(['second', 'first']);

      expect(await unread(client)).toBe(5);
      await api.ok(MARK, { input: { ids: [ids[1], detailed] } }, { token: client.accessToken });
      const unreadOnly = await feed(client, { unreadOnly: true });
      expect(unreadOnly.edges.map((e) => e.node.title)).toEqual(['fifth', 'third', 'first']);
      expect(await unread(client)).toBe(3);
      expect((await feed(coach)).edges.map((e) => e.node.title)).toEqual(['for the coach']);
    });

    it('refuses a cursor it did not issue', async () => {
      const { client } = await coachingFirm(api);
      const result = await api.gql(FEED, { after: 'bm90LWEtY3Vyc29y' }, { token: client.accessToken });
      expect(errorCode(result)).toBe('BAD_USER_INPUT');
    });

    it('the same dedupeKey twice is a no-op, within one batch or across calls; other recipients may reuse it', async () => {
      const { firm, client, coach } = await coachingFirm(api);
      const dedupeKey = `checkin-due:${randomUUID()}`;
      const first = await record(api.app, firm.tenantId, [
        notice(client.user.id, { dedupeKey }),
        notice(client.user.id, { dedupeKey, title: 'a retry within the batch' }),
        notice(coach.user.id, { dedupeKey }),
      ]);
      expect(first).toHaveLength(2);
      expect(
        await record(api.app, firm.tenantId, [notice(client.user.id, { dedupeKey, title: 'a re-run' })]),
      ).toEqual([]);
      expect((await feed(client)).edges.map((e) => e.node.title)).toEqual(['Weekly check-in is due']);
      expect(await unread(coach)).toBe(1);
    });

    it('markNotificationsRead keeps the first readAt; markAllNotificationsRead returns how many changed', async () => {
      const { firm, client } = await coachingFirm(api);
      const ids = await record(api.app, firm.tenantId, [
        notice(client.user.id),
        notice(client.user.id),
        notice(client.user.id),
      ]);
      const marked = await api.ok<{ markNotificationsRead: { id: string; readAt: string }[] }>(
        MARK,
        { input: { ids: [ids[0].toUpperCase(), ids[0]] } },
        { token: client.accessToken },
      );
      expect(marked.markNotificationsRead).toEqual([{ id: ids[0], readAt: expect.any(String) }]);
      const firstReadAt = await readAtOf(ids[0]);
      expect(firstReadAt).toBeInstanceOf(Date);

      const again = await api.ok<{ markNotificationsRead: { id: string; readAt: string }[] }>(
        MARK,
        { input: { ids: [ids[1], ids[0]] } },
        { token: client.accessToken },
      );
      expect(again.markNotificationsRead.map((n) => n.id)).toEqual([ids[1], ids[0]]);
      expect(await readAtOf(ids[0])).toEqual(firstReadAt);
      expect(again.markNotificationsRead[1].readAt).toBe(marked.markNotificationsRead[0].readAt);

      expect(
        (await api.ok<{ markAllNotificationsRead: number }>(MARK_ALL, {}, { token: client.accessToken }))
          .markAllNotificationsRead,
      ).toBe(1);
      expect(await unread(client)).toBe(0);
      expect(await readAtOf(ids[0])).toEqual(firstReadAt);
      expect(
        (await api.ok<{ markAllNotificationsRead: number }>(MARK_ALL, {}, { token: client.accessToken }))
          .markAllNotificationsRead,
      ).toBe(0);
    });

    it('is published only after the outermost commit; a rolled-back transaction leaves nothing and publishes nothing', async () => {
      const { firm, client } = await coachingFirm(api);
      const publisher = api.app.get(NotificationPublisher);
      const publish = jest.spyOn(publisher, 'publish');
      try {
        const tenantDb = api.app.get(TenantDatabase);
        const service = api.app.get(NotificationService);
        const rolledBack = `rolled-back:${randomUUID()}`;
        let doomedIds: string[] = [];
        await expect(
          RequestContext.runAs({ tenantId: firm.tenantId }, () =>
            tenantDb.transaction(async (tx) => {
              doomedIds = await service.notify(tx, [notice(client.user.id, { dedupeKey: rolledBack })]);
              throw new Error('the change failed');
            }),
          ),
        ).rejects.toThrow('the change failed');
        expect(doomedIds).toHaveLength(1);
        const rows = await api.dataSource.query(`SELECT id FROM notifications WHERE dedupe_key = $1`, [
          rolledBack,
        ]);
        expect(rows).toEqual([]);

        // Nested transactions join the outer one: nothing goes out before the outermost commit.
        const [kept] = await RequestContext.runAs({ tenantId: firm.tenantId }, () =>
          tenantDb.transaction(async () => {
            const ids = await tenantDb.transaction((inner) =>
              service.notify(inner, [notice(client.user.id)]),
            );
            expect(publish).not.toHaveBeenCalled();
            return ids;
          }),
        );
        expect(publish).toHaveBeenCalledTimes(1);
        expect(publish.mock.calls[0][0]).toEqual([
          { tenantId: firm.tenantId, notificationId: kept, recipientUserId: client.user.id },
        ]);
        // On Redis, in order: the committed one arrives and the rolled-back one never came before it.
        await waitFor('the committed notification on the channel', () =>
          announced.some((m) => m.notificationId === kept),
        );
        expect(announced.map((m) => m.notificationId)).not.toContain(doomedIds[0]);
        expect((await feed(client)).edges.map((e) => e.node.id)).toEqual([kept]);
      } finally {
        publish.mockRestore();
      }
    });

    it('a message’s feed entry arrives through its event; a message that skips WEBHOOK keeps its event inside', async () => {
      const { firm, client } = await coachingFirm(api);
      // An endpoint for nudge.sent (written directly: only the fan-out matters here, not the delivery).
      await api.dataSource.query(
        `INSERT INTO webhook_endpoints (tenant_id, url, event_types, secret) VALUES ($1, $2, ARRAY['nudge.sent'], 'unused')`,
        [firm.tenantId, 'https://hooks.example.test/cairn'],
      );
      const messages = api.app.get(MessageService, { strict: false });
      const send = (skip: Partial<Record<DeliveryChannel, string>>) =>
        RequestContext.runAs({ tenantId: firm.tenantId }, () =>
          api.app.get(TenantDatabase).transaction((tx) =>
            messages.send(tx, {
              recipientUserId: client.user.id,
              kind: MessageKind.NUDGE,
              subject: 'Keep going',
              text: 'You are nearly there',
              dedupeKey: `test:${randomUUID()}`,
              inApp: { clientId: client.user.id },
              event: { type: 'nudge.sent', data: { clientId: client.user.id, items: 1, rules: 'GOAL_BEHIND' } },
              skip: { [DeliveryChannel.EMAIL]: 'Not in this test', ...skip },
            }),
          ),
        );
      const inside = await send({ [DeliveryChannel.WEBHOOK]: 'Not for partners' });
      const outward = await send({});

      const events: { message_id: string; deliveries: number }[] = await api.dataSource.query(
        `SELECT e.payload->>'messageId' AS message_id,
                (SELECT count(*)::int FROM webhook_deliveries d WHERE d.event_id = e.id) AS deliveries
           FROM domain_events e WHERE e.tenant_id = $1 AND e.type = 'nudge.sent'`,
        [firm.tenantId],
      );
      expect(new Map(events.map((e) => [e.message_id, e.deliveries]))).toEqual(
        new Map([
          [inside.messageId, 0],
          [outward.messageId, 1],
        ]),
      );
      const [webhook] = await api.dataSource.query(
        `SELECT status, last_error, webhook_event_id FROM message_deliveries WHERE message_id = $1 AND channel = 'WEBHOOK'`,
        [inside.messageId],
      );
      expect(webhook).toEqual({ status: 'SKIPPED', last_error: 'Not for partners', webhook_event_id: null });
      expect((await feed(client)).edges.map(({ node }) => [node.kind, node.title, node.body, node.clientId])).toEqual([
        ['NUDGE', 'Keep going', 'You are nearly there', client.user.id],
        ['NUDGE', 'Keep going', 'You are nearly there', client.user.id],
      ]);
    });

    it('notify refuses a malformed notice and the transaction writes nothing', async () => {
      const { firm, client } = await coachingFirm(api);
      await expect(
        record(api.app, firm.tenantId, [notice(client.user.id), notice(client.user.id, { title: '' })]),
      ).rejects.toThrow(/notice 1: title must be 1 to 200 characters/);
      await expect(record(api.app, firm.tenantId, [notice('not-a-uuid')])).rejects.toThrow(/recipientUserId/);
      await expect(
        record(api.app, firm.tenantId, [notice(client.user.id, { body: 'x'.repeat(2001) })]),
      ).rejects.toThrow(/body/);
      expect(await unread(client)).toBe(0);
    });

    it('row-level security: unfiltered SQL in a tenant transaction sees and writes only that tenant’s rows', async () => {
      const a = await coachingFirm(api);
      const b = await coachingFirm(api);
      await record(api.app, a.firm.tenantId, [notice(a.client.user.id)]);
      await record(api.app, b.firm.tenantId, [notice(b.client.user.id)]);
      const tenantDb = api.app.get(TenantDatabase);
      const seen = await RequestContext.runAs({ tenantId: a.firm.tenantId }, () =>
        tenantDb.transaction((tx) => tx.manager.query(`SELECT DISTINCT tenant_id FROM notifications`)),
      );
      expect(seen).toEqual([{ tenant_id: a.firm.tenantId }]);
      await expect(
        RequestContext.runAs({ tenantId: a.firm.tenantId }, () =>
          tenantDb.transaction((tx) =>
            tx.manager.query(
              `INSERT INTO notifications (tenant_id, recipient_user_id, kind, title, dedupe_key)
               VALUES ($1, $2, 'CHECKIN_DUE', 'smuggled', $3)`,
              [b.firm.tenantId, b.client.user.id, randomUUID()],
            ),
          ),
        ),
      ).rejects.toThrow(/row-level security/);
      expect(await unread(b.client)).toBe(1);
    });
  });

  describe('with Redis unreachable', () => {
    it('recording still commits (publishing never holds up the change) and shutdown does not hang', async () => {
      const { firm, client } = await coachingFirm(api);
      // Nothing listens on port 1: every connection attempt is refused, and reconnects go on forever.
      const offline = await NestFactory.createApplicationContext(
        {
          module: class OfflineProcess {},
          imports: [
            ConfigModule.forRoot(testConfig({ DATABASE_URL, REDIS_URL: 'redis://127.0.0.1:1' })),
            DatabaseModule.forRoot({ entities: ENTITIES, applicationName: 'cairn-test-offline' }),
            // What notify needs, without the event subscription (it reads clients, whose module wants the app).
            { module: class OfflineFeed {}, providers: [NotificationService, NotificationPublisher] },
          ],
        },
        { logger: false },
      );
      try {
        const [id] = await record(offline, firm.tenantId, [
          notice(client.user.id, { title: 'while Redis is down' }),
        ]);
        expect((await feed(client)).edges.map((e) => e.node.id)).toEqual([id]);
      } finally {
        await offline.close();
      }
    });
  });

  describe('who may', () => {
    let firm: FirmFixture;
    let client: Session;
    let colleague: Session;
    let outsider: Session;
    let mine: string[];

    beforeAll(async () => {
      const cast = await coachingFirm(api);
      firm = cast.firm;
      client = cast.client;
      colleague = cast.otherCoach;
      const otherFirm = await signUpFirm(api, 'Other Coaching');
      outsider = await addUser(api, otherFirm, 'CLIENT');
      mine = await record(api.app, firm.tenantId, [notice(client.user.id), notice(client.user.id)]);
      await record(api.app, otherFirm.tenantId, [notice(outsider.user.id, { title: 'the outsider’s own' })]);
    });

    it.each([
      ['another person of the same firm', () => colleague],
      ['a person of another firm', () => outsider],
    ])('%s never sees, counts or marks them', async (_who, who) => {
      const other = who();
      const theirFeed = await feed(other);
      expect(theirFeed.edges.map((e) => e.node.id).filter((id) => mine.includes(id))).toEqual([]);
      const before = await unread(other);

      const stolen = await api.gql(MARK, { input: { ids: [mine[0]] } }, { token: other.accessToken });
      expect(errorCode(stolen)).toBe('NOT_FOUND');
      // All or nothing: their own id alongside does not get marked either.
      const ownIds = theirFeed.edges.map((e) => e.node.id);
      if (ownIds.length > 0) {
        const mixed = await api.gql(
          MARK,
          { input: { ids: [ownIds[0], mine[1]] } },
          { token: other.accessToken },
        );
        expect(errorCode(mixed)).toBe('NOT_FOUND');
        expect(await readAtOf(ownIds[0])).toBeNull();
      }
      expect(
        (await api.ok<{ markAllNotificationsRead: number }>(MARK_ALL, {}, { token: other.accessToken }))
          .markAllNotificationsRead,
      ).toBe(before);
      expect(await readAtOf(mine[0])).toBeNull();
      expect(await readAtOf(mine[1])).toBeNull();
      expect(await unread(client)).toBe(2);
    });

    it('the recipient marking one of theirs with an unknown id alongside changes nothing', async () => {
      const result = await api.gql(
        MARK,
        { input: { ids: [mine[0], randomUUID()] } },
        { token: client.accessToken },
      );
      expect(errorCode(result)).toBe('NOT_FOUND');
      expect(await readAtOf(mine[0])).toBeNull();
    });

    it('an API key is FORBIDDEN, with or without CHECKINS_READ: it is not a person', async () => {
      const withScope = await createApiKey(api, firm, ['CHECKINS_READ']);
      const result = await api.gql(COUNT, {}, { apiKey: withScope.secret });
      expect(errorCode(result)).toBe('FORBIDDEN');
      expect(result.errors?.[0].message).toMatch(/belong to a person/);
      const withoutScope = await createApiKey(api, firm, ['GOALS_READ']);
      expect(errorCode(await api.gql(FEED, {}, { apiKey: withoutScope.secret }))).toBe('FORBIDDEN');
      expect(errorCode(await api.gql(MARK_ALL, {}, { apiKey: withScope.secret }))).toBe('FORBIDDEN');
      expect(await unread(client)).toBe(2);
    });

    it('a partner token acting as the client needs CHECKINS_READ, and then sees only that client’s feed', async () => {
      const mint = async (scopes: string[]) => {
        const key = await createApiKey(api, firm, ['CLIENTS_ACT', ...scopes]);
        return (
          await api.ok<{ actAsClient: { accessToken: string } }>(
            ACT_AS_CLIENT,
            { clientId: client.user.id },
            { apiKey: key.secret },
          )
        ).actAsClient.accessToken;
      };
      const unscoped = await mint(['GOALS_READ']);
      const refused = await api.gql(FEED, {}, { token: unscoped });
      expect(errorCode(refused)).toBe('FORBIDDEN');
      expect(refused.errors?.[0].message).toBe('Missing scope: CHECKINS_READ');
      expect(errorCode(await api.gql(MARK, { input: { ids: [mine[0]] } }, { token: unscoped }))).toBe(
        'FORBIDDEN',
      );
      expect(await readAtOf(mine[0])).toBeNull();

      const scoped = await mint(['CHECKINS_READ']);
      const seen = (await api.ok<Feed>(FEED, {}, { token: scoped })).notifications.edges.map(
        (e) => e.node.id,
      );
      expect(seen.sort()).toEqual([...mine].sort());
    });

    it('without a credential: UNAUTHENTICATED', async () => {
      expect(errorCode(await api.gql(COUNT))).toBe('UNAUTHENTICATED');
    });

    it.each([
      ['an empty list', []],
      ['more than 100 ids', Array.from({ length: 101 }, () => randomUUID())],
      ['a malformed id', ['not-an-id']],
    ])('refuses %s as BAD_USER_INPUT', async (_what, ids) => {
      const result: GqlResult = await api.gql(MARK, { input: { ids } }, { token: client.accessToken });
      expect(errorCode(result)).toBe('BAD_USER_INPUT');
      expect(await unread(client)).toBe(2);
    });
  });

  describe('live over graphql-ws', () => {
    interface Watch {
      results: FormattedExecutionResult<Record<string, unknown>, unknown>[];
      errors: unknown[];
      completed: boolean;
      unsubscribe: () => void;
    }

    function connect(connectionParams: Record<string, unknown>) {
      const closes: number[] = [];
      const client = createClient({
        url: wsUrl,
        webSocketImpl: WebSocket,
        connectionParams,
        retryAttempts: 0,
        on: { closed: (event) => closes.push((event as { code: number }).code) },
      });
      clients.push(client);
      return { client, closes };
    }
    const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

    function watch(client: Client, query = ADDED): Watch {
      const w: Watch = { results: [], errors: [], completed: false, unsubscribe: () => undefined };
      w.unsubscribe = client.subscribe(
        { query },
        {
          next: (result) => w.results.push(result),
          error: (error) => w.errors.push(error),
          complete: () => (w.completed = true),
        },
      );
      return w;
    }

    /** Subscribes and waits until the API's hub holds the subscription, so nothing published later is missed. */
    async function subscribed(client: Client): Promise<Watch> {
      const before = hub.subscriberCount();
      const w = watch(client);
      await waitFor(
        'the subscription to reach the hub',
        () => hub.subscriberCount() > before || w.results.length > 0,
      );
      expect(w.results).toEqual([]);
      return w;
    }

    const titles = (w: Watch) =>
      w.results.map((r) => (r.data as { notificationAdded: Node } | undefined)?.notificationAdded.title);

    /** The error a refused subscription ends with: its only result, then complete. */
    async function refusal(client: Client, query = ADDED) {
      const w = watch(client, query);
      await waitFor('the subscription to end', () => w.completed || w.errors.length > 0);
      expect(w.errors).toEqual([]);
      expect(w.results).toHaveLength(1);
      return w.results[0].errors?.[0] as { message: string; extensions?: { code?: string } };
    }

    it('a notification recorded by the worker reaches its recipient, and no one else', async () => {
      const { firm, client, coach } = await coachingFirm(api);
      const otherFirm = await signUpFirm(api, 'Elsewhere Coaching');
      const outsider = await addUser(api, otherFirm, 'COACH');

      const recipient = await subscribed(connect(bearer(client.accessToken)).client);
      const colleague = await subscribed(connect(bearer(coach.accessToken)).client);
      const stranger = await subscribed(connect(bearer(outsider.accessToken)).client);

      const checkInId = randomUUID();
      const [id] = await record(worker, firm.tenantId, [
        notice(client.user.id, {
          title: 'From the worker',
          body: 'Due Friday',
          clientId: client.user.id,
          checkInId,
        }),
      ]);
      await waitFor('the recipient to receive it', () => recipient.results.length > 0);
      expect(recipient.results[0]).toEqual({
        data: {
          notificationAdded: {
            id,
            kind: 'CHECKIN_DUE',
            title: 'From the worker',
            body: 'Due Friday',
            clientId: client.user.id,
            checkInId,
            readAt: null,
            createdAt: expect.any(String),
          },
        },
      });

      // Announcements are delivered in order, so had the others been sent the recipient's notification, it
      // would arrive before their own sentinel.
      await record(worker, firm.tenantId, [notice(coach.user.id, { title: 'colleague sentinel' })]);
      await record(worker, otherFirm.tenantId, [notice(outsider.user.id, { title: 'stranger sentinel' })]);
      await waitFor('the sentinels', () => colleague.results.length > 0 && stranger.results.length > 0);
      expect(titles(colleague)).toEqual(['colleague sentinel']);
      expect(titles(stranger)).toEqual(['stranger sentinel']);

      // Recorded by the API itself: the same path, through Redis.
      await record(api.app, firm.tenantId, [notice(client.user.id, { title: 'From the API' })]);
      await waitFor('the second one', () => recipient.results.length > 1);
      expect(titles(recipient)).toEqual(['From the worker', 'From the API']);
      expect(titles(colleague)).toEqual(['colleague sentinel']);
    });

    it('ignores messages it cannot use: unknown ids (another database on this Redis) and garbage', async () => {
      const { firm, client } = await coachingFirm(api);
      const w = await subscribed(connect(bearer(client.accessToken)).client);
      const raw = new Redis(REDIS_URL);
      try {
        const base = { tenantId: firm.tenantId, recipientUserId: client.user.id };
        await raw.publish(NOTIFICATIONS_CHANNEL, JSON.stringify({ ...base, notificationId: randomUUID() }));
        await raw.publish(NOTIFICATIONS_CHANNEL, 'not json');
        await raw.publish(NOTIFICATIONS_CHANNEL, JSON.stringify({ ...base, notificationId: "1' OR '1'='1" }));
      } finally {
        await raw.quit();
      }
      await record(worker, firm.tenantId, [notice(client.user.id, { title: 'real' })]);
      await waitFor('the real one', () => w.results.length > 0);
      expect(titles(w)).toEqual(['real']);
      expect(w.errors).toEqual([]);
      expect(w.completed).toBe(false);
    });

    it('refuses a missing, invalid or expired token with UNAUTHENTICATED, and no stack trace', async () => {
      const { firm, client } = await coachingFirm(api);
      const missing = await refusal(connect({}).client);
      expect(missing.extensions?.code).toBe('UNAUTHENTICATED');
      expect(missing.message).toBe('Authentication required');

      const invalid = await refusal(connect(bearer(`${client.accessToken.slice(0, -4)}AAAA`)).client);
      expect(invalid.extensions?.code).toBe('UNAUTHENTICATED');
      expect(invalid.message).toBe('Invalid credentials');
      expect(JSON.stringify(invalid)).not.toMatch(/stack|at .*\.js/);

      const keys = api.app.get(TokenKeys, { strict: false });
      const expired = keys.sign(
        {
          sub: client.user.id,
          tid: firm.tenantId,
          role: 'CLIENT',
          typ: 'access',
          exp: Math.floor(Date.now() / 1000) - 60,
        },
        { issuer: JWT_ISSUER, audience: JWT_AUDIENCE },
      );
      const late = await refusal(connect(bearer(expired)).client);
      expect(late.extensions?.code).toBe('UNAUTHENTICATED');
      expect(late.message).toBe('Access token has expired');
    });

    it('the tenant comes from the token, never from connectionParams', async () => {
      const { firm, client } = await coachingFirm(api);
      const otherFirm = await signUpFirm(api, 'Spoofed Coaching');
      const w = await subscribed(
        connect({
          ...bearer(client.accessToken),
          tenantId: otherFirm.tenantId,
          'x-tenant-id': otherFirm.tenantId,
        }).client,
      );
      await record(worker, firm.tenantId, [notice(client.user.id, { title: 'own tenant' })]);
      await waitFor('the notification', () => w.results.length > 0);
      expect(titles(w)).toEqual(['own tenant']);
    });

    it('an API key, or a partner token without CHECKINS_READ, is FORBIDDEN', async () => {
      const { firm, client } = await coachingFirm(api);
      const key = await createApiKey(api, firm, ['CHECKINS_READ', 'CLIENTS_ACT', 'GOALS_READ']);
      const byKey = await refusal(connect({ 'x-api-key': key.secret }).client);
      expect(byKey.extensions?.code).toBe('FORBIDDEN');
      expect(byKey.message).toMatch(/belong to a person/);

      const narrow = await createApiKey(api, firm, ['CLIENTS_ACT', 'GOALS_READ']);
      const minted = await api.ok<{ actAsClient: { accessToken: string } }>(
        ACT_AS_CLIENT,
        { clientId: client.user.id },
        { apiKey: narrow.secret },
      );
      const partner = await refusal(connect(bearer(minted.actAsClient.accessToken)).client);
      expect(partner.extensions?.code).toBe('FORBIDDEN');
    });

    it('serves subscriptions only: queries and mutations belong on HTTP', async () => {
      const { client } = await coachingFirm(api);
      const query = await refusal(connect(bearer(client.accessToken)).client, COUNT);
      expect(query.extensions?.code).toBe('BAD_REQUEST');
      const invalid = watch(
        connect(bearer(client.accessToken)).client,
        'subscription { notificationAdded { nope } }',
      );
      await waitFor('a validation error', () => invalid.errors.length > 0 || invalid.completed);
      expect((invalid.errors[0] as { extensions?: { code?: string } }[])[0].extensions?.code).toBe(
        'GRAPHQL_VALIDATION_FAILED',
      );
    });

    it('applies the same complexity limit as HTTP (GRAPHQL_MAX_COMPLEXITY, 2000 by default)', async () => {
      const { client } = await coachingFirm(api);
      const before = hub.subscriberCount();
      const aliases = Array.from({ length: 2001 }, (_, i) => `a${i}: id`).join(' ');
      const tooComplex = await refusal(
        connect(bearer(client.accessToken)).client,
        `subscription { notificationAdded { ${aliases} } }`,
      );
      expect(tooComplex.extensions?.code).toBe('QUERY_TOO_COMPLEX');
      expect(hub.subscriberCount()).toBe(before);
    });

    it('leaves no listener behind after an unsubscribe or a closed socket', async () => {
      const { firm, client } = await coachingFirm(api);
      const before = hub.subscriberCount();
      const { client: ws } = connect(bearer(client.accessToken));
      const first = await subscribed(ws);
      await subscribed(ws);
      expect(hub.subscriberCount()).toBe(before + 2);
      first.unsubscribe();
      await waitFor('the unsubscribe to reach the hub', () => hub.subscriberCount() === before + 1);
      await ws.dispose();
      await waitFor('the closed socket to release its subscription', () => hub.subscriberCount() === before);
      expect(hub.hasSubscribers(firm.tenantId, client.user.id)).toBe(false);
    });

    it('closes the socket with 4401 once the session it authenticated with ends; others stay open', async () => {
      const { client, coach } = await coachingFirm(api);
      const before = hub.subscriberCount();
      const ended = connect(bearer(client.accessToken));
      const kept = connect(bearer(coach.accessToken));
      await subscribed(ended.client);
      await subscribed(kept.client);
      await api.ok(`mutation ($t: String!) { logout(input: { refreshToken: $t }) }`, { t: client.refreshToken });
      await waitFor('the logged-out socket to close', () => ended.closes.length > 0, 30_000);
      expect(ended.closes).toEqual([TOKEN_EXPIRED_CLOSE_CODE]);
      expect(kept.closes).toEqual([]);
      await kept.client.dispose();
      await waitFor('their subscriptions to be released', () => hub.subscriberCount() === before);
    });

    it('closes the socket with 4401 when the access token it authenticated with expires', async () => {
      const { firm, client } = await coachingFirm(api);
      const keys = api.app.get(TokenKeys, { strict: false });
      const shortLived = keys.sign(
        {
          sub: client.user.id,
          tid: firm.tenantId,
          role: 'CLIENT',
          typ: 'access',
          sid: (jsonwebtoken.decode(client.accessToken) as { sid: string }).sid,
          exp: Math.floor(Date.now() / 1000) + 2,
        },
        { issuer: JWT_ISSUER, audience: JWT_AUDIENCE },
      );
      const before = hub.subscriberCount();
      const { client: ws, closes } = connect(bearer(shortLived));
      const w = await subscribed(ws);
      await waitFor('the socket to close', () => closes.length > 0);
      expect(closes).toEqual([TOKEN_EXPIRED_CLOSE_CODE]);
      expect(w.errors).toHaveLength(1);
      await waitFor('its subscription to be released', () => hub.subscriberCount() === before);
    });

    it('a draining API tells subscribers to reconnect (1001) instead of waiting out its deadline', async () => {
      const draining = await TestApi.start(ApiModule.forRoot(testConfig({ DATABASE_URL, REDIS_URL })));
      try {
        await draining.app.listen(0, '127.0.0.1');
        const port = (draining.app.getHttpServer().address() as AddressInfo).port;
        const { client } = await coachingFirm(draining);
        const closes: number[] = [];
        const ws = createClient({
          url: `ws://127.0.0.1:${port}/graphql`,
          webSocketImpl: WebSocket,
          connectionParams: bearer(client.accessToken),
          retryAttempts: 0,
          on: { closed: (event) => closes.push((event as { code: number }).code) },
        });
        clients.push(ws);
        watch(ws);
        const theirHub = draining.app.get(NotificationHub);
        await waitFor('the subscription', () => theirHub.subscriberCount() === 1);
        // A deadline far beyond this test's timeout: only closing the socket lets the drain finish.
        await closeGracefully(draining.app, 10 * 60_000);
        expect(closes).toEqual([GOING_AWAY_CLOSE_CODE]);
        expect(theirHub.subscriberCount()).toBe(0);
      } finally {
        if (draining.app.getHttpServer().listening) await draining.close();
      }
    });
  });
});
