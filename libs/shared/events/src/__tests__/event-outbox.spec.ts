import { describe, expect, it, jest } from '@jest/globals';
import { Injectable, Module, type Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { tenantKysely, type TenantTransaction } from '#cairn/shared/database';
import type { EntityManager } from 'typeorm';
import type { DomainEventName, RecordedEvent } from '../domain-events.js';
import { EventOutbox } from '../event-outbox.service.js';
import { type EventSubscriber, SubscribesTo } from '../event-subscriber.js';
import { EventsModule } from '../events.module.js';

const seen: { subscriber: string; name: DomainEventName; events: readonly RecordedEvent[] }[] = [];

@SubscribesTo(['goal.achieved', 'goal.status_changed'])
@Injectable()
class Goals implements EventSubscriber {
  async onEvents<N extends DomainEventName>(
    _tx: TenantTransaction,
    name: N,
    events: readonly RecordedEvent<N>[],
  ) {
    seen.push({ subscriber: 'goals', name, events });
    return events.map(() => 2);
  }
}

@SubscribesTo(['goal.achieved'])
@Injectable()
class Achievements implements EventSubscriber {
  async onEvents<N extends DomainEventName>(
    _tx: TenantTransaction,
    name: N,
    events: readonly RecordedEvent<N>[],
  ) {
    seen.push({ subscriber: 'achievements', name, events });
  }
}

// A consumer lib's module, wired by the app next to the emitting domain's.
@Module({ providers: [Goals, Achievements] })
class ConsumersModule {}

const TENANT = '11111111-1111-4111-8111-111111111111';

/** A transaction whose typed SQL is compiled for real (tenant scoping included) and recorded, never run. */
function fakeTx() {
  const query = jest.fn(async (_sql: string, _params?: unknown[]) => ({ records: [] as unknown[] }));
  const manager = { queryRunner: { query } } as unknown as EntityManager;
  return { tx: { tenantId: TENANT, manager, db: tenantKysely(manager, TENANT) } as unknown as TenantTransaction, query };
}

const outboxOf = async (...imports: Type[]) => {
  const ref = await Test.createTestingModule({ imports: [EventsModule, ...imports] }).compile();
  await ref.init();
  return ref.get(EventOutbox);
};

const change = { goalId: 'g1', clientId: 'c1', previousStatus: 'ACTIVE', status: 'ACHIEVED' };

describe('EventOutbox', () => {
  it('writes the events in one statement, then hands them to each subscriber of their name only', async () => {
    seen.length = 0;
    const outbox = await outboxOf(ConsumersModule);
    const { tx, query } = fakeTx();
    const at = new Date('2026-12-01T09:00:00Z');

    const emitted = await outbox.emitMany(tx, 'goal.achieved', [change, { ...change, goalId: 'g2' }], at);

    expect(query).toHaveBeenCalledTimes(1);
    const [sql, params] = query.mock.calls[0];
    expect(sql).toMatch(/^insert into "domain_events"/);
    // The name, time and tenant (added by the layer) shared by all rows, then the rows as one JSON parameter.
    expect(params?.slice(0, 3)).toEqual(['goal.achieved', at, TENANT]);
    expect(JSON.parse(params?.[3] as string)).toEqual(
      emitted.map((e, i) => ({ id: e.eventId, payload: { ...change, goalId: `g${i + 1}` } })),
    );
    expect(seen.map((s) => s.subscriber).sort()).toEqual(['achievements', 'goals']);
    expect(seen[0].events.map((e) => [e.id, e.name, e.occurredAt])).toEqual(
      emitted.map((e) => [e.eventId, 'goal.achieved', at]),
    );
    // Deliveries add up over subscribers; one that schedules none counts nothing.
    expect(emitted.map((e) => e.deliveries)).toEqual([2, 2]);

    seen.length = 0;
    const [changed] = await outbox.emitMany(tx, 'goal.status_changed', [change]);
    expect(seen.map((s) => s.subscriber)).toEqual(['goals']);
    expect(changed.deliveries).toBe(2);
  });

  it('records an event nobody subscribes to (the outbox is the history), with no deliveries', async () => {
    seen.length = 0;
    const outbox = await outboxOf(ConsumersModule);
    const { tx, query } = fakeTx();
    const emitted = await outbox.emit(
      tx,
      'checkin.feedback_added',
      { checkInId: 'ci', clientId: 'c1', feedbackId: 'f', authorUserId: 'u' },
      undefined,
      { details: { body: 'Well done' } },
    );
    expect(query).toHaveBeenCalledTimes(1);
    expect(seen).toEqual([]);
    expect(emitted.deliveries).toBe(0);
  });

  it('writes nothing for no events', async () => {
    const outbox = await outboxOf(ConsumersModule);
    const { tx, query } = fakeTx();
    expect(await outbox.emitMany(tx, 'goal.achieved', [])).toEqual([]);
    expect(query).not.toHaveBeenCalled();
  });

  it('hands subscribers the details and outward flag but stores only the payload', async () => {
    const received: RecordedEvent<'nudge.sent'>[] = [];
    @SubscribesTo(['nudge.sent'])
    @Injectable()
    class Feed implements EventSubscriber {
      async onEvents<N extends DomainEventName>(_tx: TenantTransaction, _name: N, events: readonly RecordedEvent<N>[]) {
        received.push(...(events as readonly RecordedEvent[] as RecordedEvent<'nudge.sent'>[]));
      }
    }
    @Module({ providers: [Feed] })
    class FeedModule {}
    const outbox = await outboxOf(FeedModule);
    const { tx, query } = fakeTx();
    const feed = { recipientUserId: 'c1', title: 'Keep going', body: 'Private words', clientId: 'c1' };
    await outbox.emitMany(
      tx,
      'nudge.sent',
      [
        { messageId: 'm1', clientId: 'c1', items: 1, rules: 'GOAL_BEHIND' },
        { messageId: 'm2', clientId: 'c1', items: 1, rules: 'GOAL_BEHIND' },
      ],
      undefined,
      [{ details: { feed } }, { outward: false, details: { feed: null } }],
    );
    expect(received.map((e) => [e.payload.messageId, e.details, e.outward])).toEqual([
      ['m1', { feed }, true],
      ['m2', { feed: null }, false],
    ]);
    expect(query.mock.calls[0][1]?.[3]).not.toContain('Private words');
    await expect(
      outbox.emitMany(tx, 'nudge.sent', [{ messageId: 'm3', clientId: 'c1', items: 1, rules: '' }], undefined, []),
    ).rejects.toThrow(/1 payloads but 0 extras/);
  });

  it('a subscriber added later receives events without the emitting code changing', async () => {
    // What an emitter writes is the same whoever listens: the new subscriber is only wired, never named.
    const emitOnce = async (outbox: EventOutbox) =>
      outbox.emit(tx, 'goal.achieved', change, new Date('2026-12-01T09:00:00Z'));
    const { tx } = fakeTx();
    seen.length = 0;
    await emitOnce(await outboxOf());
    expect(seen).toEqual([]);
    await emitOnce(await outboxOf(ConsumersModule));
    expect(seen.map((s) => `${s.subscriber} ${s.name}`).sort()).toEqual([
      'achievements goal.achieved',
      'goals goal.achieved',
    ]);
  });

  it('refuses to start when a subscriber is provided twice (it would deliver everything twice)', async () => {
    @Module({ providers: [Achievements] })
    class Again {}
    await expect(outboxOf(ConsumersModule, Again)).rejects.toThrow(/Achievements is provided twice/);
  });

  it('fails the emitting transaction when a subscriber fails, so the change rolls back with it', async () => {
    @SubscribesTo(['task.overdue'])
    @Injectable()
    class Broken implements EventSubscriber {
      async onEvents(): Promise<void> {
        throw new Error('endpoint table is gone');
      }
    }
    @Module({ providers: [Broken] })
    class BrokenModule {}
    const outbox = await outboxOf(BrokenModule);
    const { tx } = fakeTx();
    const overdue = {
      taskId: 't',
      goalId: 'g',
      clientId: 'c',
      overdueSince: '2026-12-01',
      daysOverdue: 1,
      recurring: false,
    };
    await expect(outbox.emit(tx, 'task.overdue', overdue)).rejects.toThrow('endpoint table is gone');
  });
});
