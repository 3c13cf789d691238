import { describe, expect, it } from '@jest/globals';
import type {
  ClaimedDelivery,
  DeliveryChannel,
  DeliveryOutcome,
  DeliveryRef,
  DeliveryStore,
  FinishedAttempt,
} from '../delivery-channel.js';
import { DeliveryEngine } from '../delivery-engine.js';
import { GIVE_UP_AFTER_MS } from '../retry-schedule.js';

type Item = ClaimedDelivery;
type Event =
  { kind: 'claim'; ids: string[] } | { kind: 'send'; id: string } | { kind: 'recorded'; ids: string[] };

const refs = (n: number): DeliveryRef[] =>
  Array.from({ length: n }, (_, i) => ({ deliveryId: `d${String(i).padStart(3, '0')}`, attempt: 1 }));

/** Lets the event loop run until `condition` holds (events, not time). */
async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 10_000 && !condition(); i++) await new Promise((resolve) => setImmediate(resolve));
  if (!condition()) throw new Error('condition never held');
}

/** A fake store and sender recording the order of claims, sends and writes; writes take a few turns. */
class Fake implements DeliveryChannel<Item>, DeliveryStore<Item> {
  readonly name = 'fake';
  readonly store = this;
  readonly events: Event[] = [];
  readonly renewed: string[][] = [];
  outcome: (item: Item) => DeliveryOutcome = () => ({ sent: true, durationMs: 1 });
  createdAt = new Date();
  /** Sends wait for this before answering (a test can hold them). */
  gate: Promise<void> = Promise.resolve();
  failRecord = false;

  constructor(readonly slots: number) {}

  async claim(batch: DeliveryRef[]): Promise<Item[]> {
    this.events.push({ kind: 'claim', ids: batch.map((r) => r.deliveryId) });
    return batch.map((r) => ({ ...r, createdAt: this.createdAt }));
  }

  async renew(claimed: DeliveryRef[]): Promise<void> {
    this.renewed.push(claimed.map((r) => r.deliveryId));
  }

  async record(done: FinishedAttempt<Item>[]): Promise<Set<string>> {
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
    if (this.failRecord) throw new Error('database gone');
    this.events.push({ kind: 'recorded', ids: done.map((d) => d.item.deliveryId) });
    return new Set(done.map((d) => d.item.deliveryId));
  }

  async send(item: Item): Promise<DeliveryOutcome> {
    this.events.push({ kind: 'send', id: item.deliveryId });
    await this.gate;
    // Answers arrive in a varying order, as from several connections.
    const turns = Number(item.deliveryId.slice(1)) % 3;
    for (let i = 0; i < turns; i++) await new Promise((resolve) => setImmediate(resolve));
    return this.outcome(item);
  }
}

describe('DeliveryEngine', () => {
  it('never has more sent-but-unrecorded deliveries than slots, and writes group across slots', async () => {
    const fake = new Fake(4);
    const results = await new DeliveryEngine(fake).run(refs(40));
    expect([...results.values()].every((r) => r === 'sent')).toBe(true);

    let unrecorded = 0;
    let claimedUnsent = 0;
    let maxClaimedUnsent = 0;
    let maxUnrecorded = 0;
    const writes: string[][] = [];
    for (const event of fake.events) {
      if (event.kind === 'claim') {
        claimedUnsent += event.ids.length;
        maxClaimedUnsent = Math.max(maxClaimedUnsent, claimedUnsent);
      } else if (event.kind === 'send') {
        claimedUnsent--;
        unrecorded++;
        maxUnrecorded = Math.max(maxUnrecorded, unrecorded);
      } else {
        unrecorded -= event.ids.length;
        writes.push(event.ids);
      }
    }
    // Claims run one group (half the slots) ahead of the sends, and a group being sent: never the whole batch.
    expect(maxClaimedUnsent).toBeLessThanOrEqual(4);
    expect(maxClaimedUnsent).toBeGreaterThan(2);
    // A slot's message is recorded before that slot sends the next one.
    expect(maxUnrecorded).toBeLessThanOrEqual(4);
    expect(maxUnrecorded).toBeGreaterThan(1);
    // Writes hold outcomes of several slots (what finished while a write ran), never more than one per slot.
    expect(writes.some((w) => w.length > 1)).toBe(true);
    expect(writes.every((w) => w.length <= 4)).toBe(true);
    expect(writes.flat().sort()).toEqual(refs(40).map((r) => r.deliveryId));
    // Claims come in groups (half the slots at least, or what is left), not one statement per message.
    const claims = fake.events.filter((e) => e.kind === 'claim');
    expect(claims.length).toBeLessThan(40);
  });

  it('shares its slots among concurrent runs of the process', async () => {
    const fake = new Fake(3);
    const engine = new DeliveryEngine(fake);
    let sending = 0;
    let most = 0;
    const send = fake.send.bind(fake);
    fake.send = async (item) => {
      sending++;
      most = Math.max(most, sending);
      const outcome = await send(item);
      sending--;
      return outcome;
    };
    await Promise.all([
      engine.run(refs(10)),
      engine.run(refs(10).map((r) => ({ ...r, deliveryId: `x${r.deliveryId}` }))),
    ]);
    expect(most).toBeLessThanOrEqual(3);
  });

  it('renews the leases of what it claimed and has not recorded, and stops once recorded', async () => {
    const fake = new Fake(2);
    let open!: () => void;
    fake.gate = new Promise((resolve) => (open = resolve));
    const run = new DeliveryEngine(fake, { leaseMs: 1_000, renewEveryMs: 5 }).run(refs(2));
    await until(() => fake.renewed.length >= 2);
    expect(fake.renewed.at(-1)?.sort()).toEqual(['d000', 'd001']);
    open();
    await run;
    const renewals = fake.renewed.length;
    await new Promise((resolve) => setTimeout(resolve, 30));
    // The run is over: nothing renews its leases (a dead worker's run out the same way).
    expect(fake.renewed.length).toBe(renewals);
  });

  it('fails the run when a write fails, after the sends in flight settle, and stops renewing', async () => {
    const fake = new Fake(2);
    fake.failRecord = true;
    await expect(new DeliveryEngine(fake, { leaseMs: 1_000, renewEveryMs: 5 }).run(refs(6))).rejects.toThrow(
      'database gone',
    );
    const renewals = fake.renewed.length;
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(fake.renewed.length).toBe(renewals);
    // What was never claimed stays for another worker.
    expect(
      fake.events.filter((e) => e.kind === 'claim').flatMap((e) => (e.kind === 'claim' ? e.ids : [])).length,
    ).toBeLessThan(6);
  });

  it('schedules a retry after a failure, gives up on a permanent one or a day-old delivery', async () => {
    const fake = new Fake(3);
    const recorded: FinishedAttempt<Item>[] = [];
    const record = fake.record.bind(fake);
    fake.record = (done) => (recorded.push(...done), record(done));
    fake.outcome = (item) =>
      item.deliveryId === 'd000'
        ? { sent: false, error: 'refused', durationMs: 1 }
        : { sent: false, permanent: true, error: 'no such mailbox', durationMs: 1 };
    const results = await new DeliveryEngine(fake).run(refs(2));
    expect(Object.fromEntries(results)).toEqual({ d000: 'retrying', d001: 'failed' });
    const retry = recorded.find((r) => r.item.deliveryId === 'd000')!;
    expect(retry.nextAttemptAt!.getTime() - retry.finishedAt.getTime()).toBe(30_000);

    fake.createdAt = new Date(Date.now() - GIVE_UP_AFTER_MS);
    fake.outcome = () => ({ sent: false, error: 'refused', durationMs: 1 });
    expect(Object.fromEntries(await new DeliveryEngine(fake).run(refs(1)))).toEqual({ d000: 'failed' });
  });

  it('reports deliveries it could not claim as skipped', async () => {
    const fake = new Fake(2);
    fake.claim = async (batch) =>
      batch.filter((r) => r.deliveryId !== 'd001').map((r) => ({ ...r, createdAt: new Date() }));
    expect(Object.fromEntries(await new DeliveryEngine(fake).run(refs(3)))).toEqual({
      d000: 'sent',
      d001: 'skipped',
      d002: 'sent',
    });
  });
});
