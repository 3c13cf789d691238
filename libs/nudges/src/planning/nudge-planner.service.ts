import { Injectable } from '@nestjs/common';
import { CaseloadAccess, type ClientRef } from '#cairn/clients';
import { DeliveryChannel, MessageKind, MessageService, onEveryChannel } from '#cairn/messaging';
import { isValidTimeZone, zoneClock } from '#cairn/shared/calendar';
import { anyOf, jsonRecords, SystemDatabase, TenantDatabase, TenantTransaction } from '#cairn/shared/database';
import { RequestContext } from '#cairn/shared/tenancy';
import { NudgePolicy } from '../policy/nudge-policy.entity.js';
import { NudgePolicyService } from '../policy/nudge-policy.service.js';
import { NudgePreference } from '../preferences/nudge-preference.entity.js';
import { NudgePreferenceService } from '../preferences/nudge-preference.service.js';
import { composeNudge } from '../rules/nudge-composer.js';
import { inQuietHours, NudgeItem } from '../rules/nudge-item.js';
import { NudgeFacts } from './nudge-facts.service.js';

/** Clients per transaction: facts for a batch cost a fixed number of statements. */
const BATCH = 200;

export interface TenantNudgeResult {
  clients: number;
  sent: number;
  quiet: number;
  capped: number;
  optedOut: number;
  failed: number;
}

/**
 * One tenant's nudge run for one period: for each client in an active engagement, the items every rule finds,
 * minus what they muted and what was already nudged about (the ledger), merged into one message, unless it
 * is their quiet hours, they reached the daily cap, or they opted out. The ledger rows, the message and its
 * deliveries commit together, and the message's key names the client and the period, so a retried or
 * duplicated run sends nothing twice; items still true after a lost run are picked up by the next one.
 */
@Injectable()
export class NudgePlanner {
  constructor(
    private readonly tenantDb: TenantDatabase,
    private readonly systemDb: SystemDatabase,
    private readonly policies: NudgePolicyService,
    private readonly preferences: NudgePreferenceService,
    private readonly caseload: CaseloadAccess,
    private readonly facts: NudgeFacts,
    private readonly messages: MessageService,
  ) {}

  /** Tenants with a client in an active engagement and nudges not turned off; cross-tenant (owner role). */
  async tenantsToNudge(): Promise<string[]> {
    const rows = await this.systemDb.transaction((_manager, db) =>
      db
        .selectFrom('engagements as e')
        .leftJoin('nudge_policies as p', 'p.tenant_id', 'e.tenant_id')
        .select('e.tenant_id')
        .distinct()
        .where('e.status', '=', 'ACTIVE')
        .where((eb) => eb.fn.coalesce('p.enabled', eb.lit(true)))
        .execute(),
    );
    return rows.map((r) => r.tenant_id);
  }

  planTenant(tenantId: string, period: string, now = new Date()): Promise<TenantNudgeResult> {
    return RequestContext.runAs({ tenantId }, async () => {
      const result: TenantNudgeResult = { clients: 0, sent: 0, quiet: 0, capped: 0, optedOut: 0, failed: 0 };
      let firm: { policy: NudgePolicy; name: string } | undefined;
      // A page of clients per transaction; a firm with up to BATCH clients takes one.
      for (let after: string | null = null; ;) {
        const page: string[] = await this.tenantDb.transaction(async (tx) => {
          firm ??= { policy: await this.policies.policyOf(tx), name: await this.firmName(tx) };
          if (!firm.policy.enabled) return [];
          const clientIds = await this.eligibleClients(tx, after);
          await this.planBatch(tx, clientIds, firm.policy, firm.name, period, now, result);
          return clientIds;
        });
        if (page.length < BATCH) return result;
        after = page[page.length - 1];
      }
    });
  }

  private async firmName(tx: TenantTransaction): Promise<string> {
    const row = await tx.db.selectFrom('tenants').select('name').executeTakeFirst();
    return row?.name ?? 'Your coach';
  }

  /** The next BATCH active clients (not archived) with at least one ACTIVE engagement, in id order. */
  private async eligibleClients(tx: TenantTransaction, after: string | null): Promise<string[]> {
    const rows = await tx.db
      .selectFrom('users as u')
      .select('u.id')
      .where('u.role', '=', 'CLIENT')
      .where('u.status', '=', 'ACTIVE')
      .$if(after !== null, (qb) => qb.where('u.id', '>', after!))
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom('engagements as e')
            .select(eb.lit(1).as('one'))
            .whereRef('e.client_id', '=', 'u.id')
            .where('e.status', '=', 'ACTIVE'),
        ),
      )
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('profiles as p')
              .select(eb.lit(1).as('one'))
              .whereRef('p.user_id', '=', 'u.id')
              .where('p.archived_at', 'is not', null),
          ),
        ),
      )
      .orderBy('u.id')
      .limit(BATCH)
      .execute();
    return rows.map((r) => r.id);
  }

  private async planBatch(
    tx: TenantTransaction,
    clientIds: string[],
    policy: NudgePolicy,
    firmName: string,
    period: string,
    now: Date,
    result: TenantNudgeResult,
  ): Promise<void> {
    if (clientIds.length === 0) return;
    const refs = await this.caseload.clientRefs(tx, { kind: 'firm' }, clientIds);
    const prefs = await this.preferences.ofClients(tx, clientIds);
    const clock = zoneClock(now);
    const valid: ClientRef[] = [];
    for (const client of refs) {
      result.clients += 1;
      if (prefs.get(client.id)?.optedOut) {
        result.optedOut += 1;
      } else if (!isValidTimeZone(client.timezone)) {
        // Recorded once a day in the delivery log, and the client's items stay for when the zone is fixed.
        await this.recordFailure(
          tx,
          client,
          `Invalid time zone "${client.timezone}"; fix the client’s time zone`,
          now,
        );
        result.failed += 1;
      } else if (inQuietHours(clock(client.timezone).time, policy.quietHoursStart, policy.quietHoursEnd)) {
        result.quiet += 1;
      } else {
        valid.push(client);
      }
    }
    const sentToday = await this.sentToday(tx, valid, now, clock);
    const eligible = valid.filter((client) => {
      if ((sentToday.get(client.id) ?? 0) < policy.dailyCap) return true;
      result.capped += 1;
      return false;
    });
    const found = await this.facts.itemsFor(tx, eligible, policy, now);
    const wanted = eligible.flatMap((client) => {
      const muted = (prefs.get(client.id) as NudgePreference).mutedRules;
      return (found.get(client.id) ?? [])
        .filter((item) => !muted.includes(item.rule))
        .map((item) => ({ client, item }));
    });
    result.sent += await this.send(tx, wanted, prefs, firmName, period);
  }

  /**
   * Claims the items in the ledger (what another run claimed first is left out), then sends each client one
   * message with what they claimed. A fixed number of statements for the whole batch.
   */
  private async send(
    tx: TenantTransaction,
    wanted: { client: ClientRef; item: NudgeItem }[],
    prefs: Map<string, NudgePreference>,
    firmName: string,
    period: string,
  ): Promise<number> {
    if (wanted.length === 0) return 0;
    const items = wanted.map((w) => ({ c: w.client.id, k: w.item.key, r: w.item.rule as string }));
    const claimed = await tx.db
      .insertInto('nudge_items')
      .columns(['client_id', 'item_key', 'rule'])
      .expression((db) =>
        db
          .selectFrom(jsonRecords(items, 'i', 'c uuid, k text, r text'))
          .select(['i.c', 'i.k', 'i.r']),
      )
      .onConflict((oc) => oc.doNothing())
      .returning(['client_id', 'item_key'])
      .execute();
    const mine = new Set(claimed.map((r) => `${r.client_id}|${r.item_key}`));
    const byClient = new Map<string, { client: ClientRef; items: NudgeItem[] }>();
    for (const { client, item } of wanted) {
      if (!mine.has(`${client.id}|${item.key}`)) continue;
      const entry = byClient.get(client.id) ?? { client, items: [] };
      entry.items.push(item);
      byClient.set(client.id, entry);
    }
    const batch = [...byClient.values()];
    const sent = await this.messages.sendMany(
      tx,
      batch.map(({ client, items }) => {
        const preference = prefs.get(client.id) as NudgePreference;
        const composed = composeNudge(client.displayName, firmName, items);
        return {
          recipientUserId: client.id,
          kind: MessageKind.NUDGE,
          subject: composed.subject,
          text: composed.text,
          html: composed.html,
          dedupeKey: `nudge/${client.id}/${period}`,
          inApp: {
            clientId: client.id,
            body: items.map((i) => `• ${i.headline}`).join('\n'),
          },
          event: {
            type: 'nudge.sent',
            data: {
              clientId: client.id,
              items: items.length,
              rules: [...new Set(items.map((i) => i.rule))].join(','),
            },
          },
          skip: {
            ...(preference.email ? {} : { [DeliveryChannel.EMAIL]: 'The client turned email nudges off' }),
            ...(preference.inApp ? {} : { [DeliveryChannel.IN_APP]: 'The client turned in-app nudges off' }),
          },
        };
      }),
    );
    const links = batch.flatMap(({ client, items }, i) =>
      items.map((item) => ({ client: client.id, key: item.key, message: sent[i].messageId })),
    );
    const linked = links.map((l) => ({ c: l.client, k: l.key, m: l.message }));
    await tx.db
      .updateTable('nudge_items as n')
      .from(jsonRecords(linked, 'l', 'c uuid, k text, m uuid'))
      .set((eb) => ({ message_id: eb.ref('l.m') }))
      .whereRef('n.client_id', '=', 'l.c')
      .whereRef('n.item_key', '=', 'l.k')
      .execute();
    return sent.filter((s) => s.created).length;
  }

  /** Nudge messages each client received since their local midnight. */
  private async sentToday(
    tx: TenantTransaction,
    clients: ClientRef[],
    now: Date,
    clock: ReturnType<typeof zoneClock>,
  ): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    if (clients.length === 0) return counts;
    const rows = await tx.db
      .selectFrom('messages')
      .select(['recipient_user_id', 'created_at'])
      .where('kind', '=', 'NUDGE')
      .where('recipient_user_id', '=', anyOf(clients.map((c) => c.id), 'uuid'))
      .where('created_at', '>', new Date(now.getTime() - 27 * 3_600_000))
      .where('dedupe_key', 'like', 'nudge/%')
      .$narrowType<{ recipient_user_id: string }>()
      .execute();
    const midnight = new Map(clients.map((c) => [c.id, clock(c.timezone).midnightMs]));
    for (const row of rows) {
      if (new Date(row.created_at).getTime() < (midnight.get(row.recipient_user_id) ?? 0)) continue;
      counts.set(row.recipient_user_id, (counts.get(row.recipient_user_id) ?? 0) + 1);
    }
    return counts;
  }

  /** A failed nudge in the delivery log, at most once per client and UTC day, every channel FAILED with why. */
  private async recordFailure(
    tx: TenantTransaction,
    client: ClientRef,
    reason: string,
    now: Date,
  ): Promise<void> {
    await this.messages.send(tx, {
      recipientUserId: client.id,
      kind: MessageKind.NUDGE,
      subject: 'Nudge not sent',
      text: reason,
      dedupeKey: `nudge-failed/${client.id}/${now.toISOString().slice(0, 10)}`,
      inApp: {},
      event: { type: 'nudge.sent', data: { clientId: client.id } },
      fail: onEveryChannel(reason),
    });
  }
}
