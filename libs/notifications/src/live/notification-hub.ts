import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Notification } from '../feed/notification.entity.js';
import { LiveSubscription } from './live-subscription.js';

/** Per subscriber; a person who does not read 100 live notifications in time can reload the feed. */
export const LIVE_BUFFER_SIZE = 100;

const keyOf = (tenantId: string, userId: string) => `${tenantId}/${userId}`;

/**
 * This process's live subscribers, by tenant and person. The Redis listener hands it each notification once;
 * it reaches only the subscriptions of that tenant AND that recipient.
 */
@Injectable()
export class NotificationHub implements OnApplicationShutdown {
  private readonly subscribers = new Map<string, Set<LiveSubscription<Notification>>>();

  subscribe(tenantId: string, userId: string, capacity = LIVE_BUFFER_SIZE): LiveSubscription<Notification> {
    const key = keyOf(tenantId, userId);
    const group = this.subscribers.get(key) ?? new Set();
    this.subscribers.set(key, group);
    const subscription: LiveSubscription<Notification> = new LiveSubscription(capacity, () => {
      group.delete(subscription);
      if (group.size === 0 && this.subscribers.get(key) === group) this.subscribers.delete(key);
    });
    group.add(subscription);
    return subscription;
  }

  hasSubscribers(tenantId: string, userId: string): boolean {
    return this.subscribers.has(keyOf(tenantId, userId));
  }

  /** Returns how many subscriptions received it. */
  publish(notification: Notification): number {
    const group = this.subscribers.get(keyOf(notification.tenantId, notification.recipientUserId));
    for (const subscription of group ?? []) subscription.push(notification);
    return group?.size ?? 0;
  }

  /** Live subscriptions in this process (for tests and metrics). */
  subscriberCount(): number {
    let count = 0;
    for (const group of this.subscribers.values()) count += group.size;
    return count;
  }

  /** Normally empty by now: closing the sockets already returned every iterator. */
  onApplicationShutdown(): void {
    for (const group of [...this.subscribers.values()])
      for (const subscription of [...group]) subscription.close();
  }
}
