import { describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { Notification } from '../feed/notification.entity.js';
import { LiveSubscription } from '../live/live-subscription.js';
import { parseNotificationAdded } from '../live/notification-added.message.js';
import { NotificationHub } from '../live/notification-hub.js';
import { NotificationKind } from '../notification-kind.enum.js';

const TENANT = randomUUID();
const OTHER_TENANT = randomUUID();
const ALICE = randomUUID();
const BOB = randomUUID();

function notification(
  recipientUserId: string,
  tenantId = TENANT,
  title = 'Weekly check-in is due',
): Notification {
  return Object.assign(new Notification(), {
    id: randomUUID(),
    tenantId,
    recipientUserId,
    kind: NotificationKind.CHECKIN_DUE,
    title,
    body: null,
    clientId: null,
    checkInId: null,
    dedupeKey: randomUUID(),
    readAt: null,
    createdAt: new Date(),
  });
}

/** Whether `promise` has settled, without waiting for it (two turns of the microtask queue are enough). */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  promise.then(
    () => (done = true),
    () => (done = true),
  );
  await Promise.resolve();
  await Promise.resolve();
  return done;
}

describe('NotificationHub', () => {
  it('hands a notification only to subscriptions of the same tenant and recipient', async () => {
    const hub = new NotificationHub();
    const alice = hub.subscribe(TENANT, ALICE);
    const aliceElsewhere = hub.subscribe(TENANT, ALICE);
    const bob = hub.subscribe(TENANT, BOB);
    // Same user id in another tenant: ids are unique, but isolation must not rely on that.
    const aliceInOtherTenant = hub.subscribe(OTHER_TENANT, ALICE);

    const sent = notification(ALICE);
    expect(hub.publish(sent)).toBe(2);
    expect(await alice.next()).toEqual({ value: sent, done: false });
    expect(await aliceElsewhere.next()).toEqual({ value: sent, done: false });
    expect(bob.buffered).toBe(0);
    expect(aliceInOtherTenant.buffered).toBe(0);
    expect(hub.publish(notification(randomUUID()))).toBe(0);
  });

  it('resolves a pending next() on publish and keeps publish order', async () => {
    const hub = new NotificationHub();
    const alice = hub.subscribe(TENANT, ALICE);
    const pending = alice.next();
    expect(await settled(pending)).toBe(false);
    const [first, second, third] = [notification(ALICE), notification(ALICE), notification(ALICE)];
    hub.publish(first);
    hub.publish(second);
    hub.publish(third);
    expect((await pending).value).toBe(first);
    expect((await alice.next()).value).toBe(second);
    expect((await alice.next()).value).toBe(third);
  });

  it('bounds each buffer: a subscriber that falls behind loses the oldest, keeps the newest', async () => {
    const hub = new NotificationHub();
    const slow = hub.subscribe(TENANT, ALICE, 3);
    const sent = Array.from({ length: 5 }, (_, i) => notification(ALICE, TENANT, `n${i}`));
    for (const n of sent) hub.publish(n);
    expect(slow.buffered).toBe(3);
    expect(slow.dropped).toBe(2);
    const received = [];
    for (let i = 0; i < 3; i++) received.push((await slow.next()).value.title);
    expect(received).toEqual(['n2', 'n3', 'n4']);
  });

  it('return() detaches the subscription, ends a pending next() and ignores later publishes', async () => {
    const hub = new NotificationHub();
    const alice = hub.subscribe(TENANT, ALICE);
    const other = hub.subscribe(TENANT, ALICE);
    expect(hub.subscriberCount()).toBe(2);
    const pending = alice.next();
    expect(await alice.return()).toEqual({ value: undefined, done: true });
    expect(await pending).toEqual({ value: undefined, done: true });
    expect(hub.subscriberCount()).toBe(1);
    expect(hub.publish(notification(ALICE))).toBe(1);
    expect(await alice.next()).toEqual({ value: undefined, done: true });

    await other.return();
    expect(hub.subscriberCount()).toBe(0);
    expect(hub.hasSubscribers(TENANT, ALICE)).toBe(false);
    // Returning twice is harmless.
    await other.return();
    expect(hub.subscriberCount()).toBe(0);
  });

  it('for await … break cleans up, as graphql-ws does on unsubscribe', async () => {
    const hub = new NotificationHub();
    const alice = hub.subscribe(TENANT, ALICE);
    hub.publish(notification(ALICE));
    for await (const n of alice) {
      expect(n.recipientUserId).toBe(ALICE);
      break;
    }
    expect(alice.isClosed).toBe(true);
    expect(hub.subscriberCount()).toBe(0);
  });

  it('throw() also detaches, and rejects with the error', async () => {
    const hub = new NotificationHub();
    const alice = hub.subscribe(TENANT, ALICE);
    await expect(alice.throw(new Error('client went away'))).rejects.toThrow('client went away');
    expect(hub.subscriberCount()).toBe(0);
  });

  it('shutdown closes whatever is still subscribed', async () => {
    const hub = new NotificationHub();
    const alice = hub.subscribe(TENANT, ALICE);
    const pending = alice.next();
    hub.onApplicationShutdown();
    expect(await pending).toEqual({ value: undefined, done: true });
    expect(hub.subscriberCount()).toBe(0);
  });

  it('refuses a subscription without room for a single entry', () => {
    expect(() => new LiveSubscription(0, () => undefined)).toThrow(/capacity/);
  });
});

describe('parseNotificationAdded', () => {
  const valid = { tenantId: TENANT, notificationId: randomUUID(), recipientUserId: ALICE };

  it('accepts the message the publisher sends', () => {
    expect(parseNotificationAdded(JSON.stringify(valid))).toEqual(valid);
  });

  it.each([
    ['not JSON', '{'],
    ['null', 'null'],
    ['an array', '[]'],
    ['a missing id', JSON.stringify({ ...valid, notificationId: undefined })],
    ['a malformed id', JSON.stringify({ ...valid, tenantId: "x' OR 1=1" })],
    ['a number for an id', JSON.stringify({ ...valid, recipientUserId: 7 })],
  ])('ignores %s', (_what, raw) => {
    expect(parseNotificationAdded(raw)).toBeUndefined();
  });
});
