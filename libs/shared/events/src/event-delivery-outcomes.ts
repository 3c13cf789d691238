import type { TenantTransaction } from '#cairn/shared/database';

/** How the outside world took one event, each receiver by its latest delivery (a resend replaces a failure). */
export interface EventDeliveryOutcome {
  /** Receivers the event was scheduled for (webhooks: the firm's subscribed endpoints). */
  endpoints: number;
  delivered: number;
  failed: number;
  /** Waiting for their next attempt. */
  pending: number;
  /** Pending, but their receiver is disabled: nothing is tried until an admin enables it again. */
  held: number;
  /** The most attempts any receiver's delivery took so far. */
  attempts: number;
  /** The earliest next attempt among the pending ones. */
  nextAttemptAt: Date | null;
  /** When the last receiver accepted it, once all have. */
  deliveredAt: Date | null;
  failedAt: Date | null;
}

/**
 * For other domains' logs (a message sent as an event): outcomes by event id, never receiver details. A port:
 * the delivering lib (libs/webhooks) provides it app-wide, so readers depend on this contract only.
 */
export abstract class EventDeliveryOutcomes {
  abstract of(tx: TenantTransaction, eventIds: string[]): Promise<Map<string, EventDeliveryOutcome>>;
}
