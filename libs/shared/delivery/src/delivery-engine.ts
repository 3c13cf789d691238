import { Logger } from '@nestjs/common';
import type {
  AttemptResult,
  ClaimedDelivery,
  DeliveryChannel,
  DeliveryOutcome,
  DeliveryRef,
  FinishedAttempt,
} from './delivery-channel.js';
import { GroupCommit, Serial } from './group-commit.js';
import { nextAttemptAfterFailure } from './retry-schedule.js';
import { Slots } from './slots.js';

export interface LeaseTimes {
  /** How long a claim holds a delivery: another worker may take it once this ran out without a renewal. */
  leaseMs: number;
  /** How often a run renews the leases of what it claimed and has not recorded yet. */
  renewEveryMs: number;
}

/** A dead worker's claimed deliveries are due again within 15 s of its last renewal; a live one renews every 5 s. */
export const DEFAULT_LEASE: LeaseTimes = { leaseMs: 15_000, renewEveryMs: 5_000 };

/**
 * The one delivery engine: makes a batch of attempts of one channel (in the run's tenant), through the channel's
 * slots (process-wide). It claims the batch a group (half the slots) at a time, one group ahead of the slots (a
 * short, renewed lease; attempts logged as started), so the deliveries of the batch not claimed yet stay free
 * for any worker. Each slot sends one delivery, waits until its outcome is recorded, and only then takes the next:
 * writes are grouped across slots (whatever finished while a write ran goes into the next), never across one
 * slot's deliveries. So a process killed mid-batch leaves at most `slots` sent-but-unrecorded deliveries to be
 * sent again, and its claimed-but-unsent ones (a group per run) are due again once their lease runs out.
 */
export class DeliveryEngine<T extends ClaimedDelivery> {
  private readonly logger: Logger;
  private readonly slots: Slots;

  constructor(
    private readonly channel: DeliveryChannel<T>,
    private readonly lease: LeaseTimes = DEFAULT_LEASE,
  ) {
    this.logger = new Logger(`Delivery:${channel.name}`);
    this.slots = new Slots(channel.slots);
  }

  /**
   * Each attempt of `refs` that is due now, made once and recorded; the others are `skipped`. Rejects when the
   * database fails a claim or a record (the job is then retried; the leases run out for another worker).
   */
  async run(refs: DeliveryRef[]): Promise<Map<string, AttemptResult>> {
    const results = new Map<string, AttemptResult>(refs.map((r) => [r.deliveryId, 'skipped']));
    const { store } = this.channel;
    const { leaseMs } = this.lease;
    // Claimed and not recorded yet: the leases this run keeps alive.
    const held = new Map<string, DeliveryRef>();
    // Renewals never overlap a record, so one never pushes out the retry time an outcome just wrote.
    const serial = new Serial();
    const recorder = new GroupCommit<FinishedAttempt<T>>((done) =>
      serial.run(async () => {
        const recorded = await store.record(done);
        for (const d of done) {
          held.delete(d.item.deliveryId);
          if (recorded.has(d.item.deliveryId)) results.set(d.item.deliveryId, d.result);
        }
      }),
    );
    const renewal = setInterval(() => {
      serial
        .run(() => (held.size > 0 ? store.renew([...held.values()], leaseMs) : Promise.resolve()))
        .catch((error: unknown) => this.logger.warn({ err: error }, 'Could not renew delivery leases'));
    }, this.lease.renewEveryMs);
    renewal.unref();

    const sending = new Set<Promise<void>>();
    let failure: { error: unknown } | undefined;
    // A group is half the slots (or what is left): a few claim statements per batch.
    const groupSize = Math.ceil(this.slots.size / 2);
    let next = 0;
    const claimGroup = (): Promise<T[]> | undefined => {
      if (next >= refs.length) return undefined;
      const batch = refs.slice(next, next + groupSize);
      next += batch.length;
      return store.claim(batch, leaseMs).then((claimed) => {
        for (const item of claimed)
          held.set(item.deliveryId, { deliveryId: item.deliveryId, attempt: item.attempt });
        return claimed;
      });
    };
    // The next group is claimed while the current one is sent, so a freed slot never waits for a claim. That
    // holds one group at most claimed ahead of the slots: a killed run's are due again when their lease ends.
    let upcoming = claimGroup();
    try {
      while (upcoming && !failure) {
        const group = await upcoming;
        upcoming = claimGroup();
        // Awaited on the next turn of the loop (or below); a rejection meanwhile is not unhandled.
        upcoming?.catch(() => undefined);
        for (const item of group) {
          await this.slots.acquire(1);
          if (failure) {
            this.slots.release(1);
            break;
          }
          const done: Promise<void> = this.deliver(item, recorder)
            .catch((error: unknown) => void (failure ??= { error }))
            .finally(() => {
              this.slots.release(1);
              sending.delete(done);
            });
          sending.add(done);
        }
      }
      // A run stopped by a failure leaves the group claimed ahead to its lease.
      await upcoming?.catch(() => undefined);
    } finally {
      await Promise.all(sending);
      clearInterval(renewal);
    }
    if (failure) throw failure.error;
    return results;
  }

  /** One slot's turn: send, then wait until the outcome is written. */
  private async deliver(item: T, recorder: GroupCommit<FinishedAttempt<T>>): Promise<void> {
    const outcome: DeliveryOutcome = await this.channel.send(item).catch((error: unknown) => ({
      sent: false as const,
      error: error instanceof Error ? error.message : String(error),
      durationMs: 0,
    }));
    const finishedAt = new Date();
    const nextAttemptAt =
      outcome.sent || outcome.permanent
        ? null
        : nextAttemptAfterFailure(item.createdAt, item.attempt, finishedAt);
    const result = outcome.sent ? 'sent' : nextAttemptAt ? 'retrying' : 'failed';
    await recorder.add({ item, outcome, result, nextAttemptAt, finishedAt });
  }
}
