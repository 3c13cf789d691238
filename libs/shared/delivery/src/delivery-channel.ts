/** One attempt of one delivery: number `attempt` (1 for the first). What jobs carry: ids only. */
export interface DeliveryRef {
  deliveryId: string;
  attempt: number;
}

/** A delivery the channel's store claimed for one attempt, with what its sender needs. */
export interface ClaimedDelivery extends DeliveryRef {
  /** When the delivery was made: the retry schedule gives up a day after it. */
  createdAt: Date;
}

/** What one send came to. A sender never throws: every outcome is an attempt to record. */
export type DeliveryOutcome = {
  durationMs: number;
  /** What the receiving end answered (an SMTP reply), if anything. */
  response?: string | null;
  /** An HTTP status, for channels that have one. */
  statusCode?: number | null;
} & ({ sent: true; error?: null } | { sent: false; permanent?: boolean; error: string });

/** Where a delivery stands after an attempt: done, due again at `nextAttemptAt`, or given up. */
export type DeliveryResult = 'sent' | 'retrying' | 'failed';

/** What a run reports per delivery; `skipped` when that attempt was not due, or someone else made or recorded it. */
export type AttemptResult = DeliveryResult | 'skipped';

/** One finished attempt, as the store records it. */
export interface FinishedAttempt<T extends ClaimedDelivery> {
  item: T;
  outcome: DeliveryOutcome;
  result: DeliveryResult;
  /** When to try again; null unless `result` is retrying. */
  nextAttemptAt: Date | null;
  finishedAt: Date;
}

/**
 * A channel's tables, as the engine needs them. Every method runs in the tenant of the run (RequestContext).
 * Statements match a delivery by id AND attempt count, so a store never touches an attempt that is not its own.
 */
export interface DeliveryStore<T extends ClaimedDelivery> {
  /**
   * In one transaction: leases for `leaseMs` those of `refs` whose attempt is due now (not sent, at that
   * attempt, not leased), counts the attempt, logs it as started (and an earlier attempt never finished as
   * interrupted), and loads what the sender needs. Returns what it claimed; the others are someone else's.
   */
  claim(refs: DeliveryRef[], leaseMs: number): Promise<T[]>;
  /** Pushes the lease of these claimed attempts to `leaseMs` from now (those still at that attempt). */
  renew(claimed: DeliveryRef[], leaseMs: number): Promise<void>;
  /**
   * Writes the attempts' outcomes in one transaction: each attempt's log row, and its delivery if still at that
   * attempt. Returns the deliveries it updated (the others were taken over after their lease ran out).
   */
  record(done: FinishedAttempt<T>[]): Promise<Set<string>>;
}

/** A way out of Cairn (email, webhooks): the engine claims, schedules, leases and records; the channel sends. */
export interface DeliveryChannel<T extends ClaimedDelivery> {
  /** For logs. */
  readonly name: string;
  /**
   * Sends in flight at once in this process (the sender's connections). Each slot records its accepted message
   * before it sends the next, so a killed process repeats at most this many accepted sends.
   */
  readonly slots: number;
  readonly store: DeliveryStore<T>;
  /** Resolves when the receiver accepted or refused this one delivery; never rejects. */
  send(item: T): Promise<DeliveryOutcome>;
}
