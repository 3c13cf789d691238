import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { In } from 'typeorm';
import { CaseloadAccess, engagedWith } from '#cairn/clients';
import type { Principal } from '#cairn/shared/auth';
import { anyOf, jsonRecords, TenantDatabase, TenantTransaction } from '#cairn/shared/database';
import {
  type DomainEvents,
  EventDeliveryOutcomes,
  type EventExtra,
  EventOutbox,
  type EventValue,
  type MessageEvents,
} from '#cairn/shared/events';
import { asNode, ConnectionShape, paginate, requestGroupLoader } from '#cairn/shared/graphql';
import { DeliveryChannel, DeliveryStatus } from '../deliveries/delivery.enums.js';
import { MessageDeliveryAttempt } from '../deliveries/message-delivery-attempt.entity.js';
import { MessageDelivery } from '../deliveries/message-delivery.entity.js';
import { withWebhookOutcome } from '../deliveries/webhook-channel-status.js';
import { EmailEnqueuer } from '../email/email-enqueuer.js';
import { EmailTransport } from '../email/email-transport.js';
import { MessagesArgs } from './dto/messages.args.js';
import { MessageKind } from './message-kind.enum.js';
import { Message } from './message.entity.js';

export interface OutgoingMessage {
  /** Null for someone without an account yet: then `to` says where the email goes, and only email is sent. */
  recipientUserId: string | null;
  to?: { email: string; name: string };
  /**
   * For a recipient without an account whose emails belong to a list (a supporter's digest): whose opt-out the
   * unsubscribe link and headers set.
   */
  listMemberId?: string;
  kind: MessageKind;
  subject: string;
  text: string;
  html?: string | null;
  /** Unique per tenant: composing the same message again (a retried job, a second replica) is a no-op. */
  dedupeKey: string;
  /** The feed entry (its title is the subject, its body the text, unless given); none: the channel is SKIPPED. */
  inApp?: { title?: string; body?: string | null; clientId?: string | null };
  /**
   * The message's event, `messageId` added to its data: webhooks deliver it (partners send push or SMS), and the
   * feed entry rides on it (libs/notifications subscribes), so a message shown in the feed needs one. None:
   * WEBHOOK is SKIPPED. Relayed as composed: the contract's payload type is not checked here (a message failing
   * on every channel sends none).
   */
  event?: { type: keyof MessageEvents; data: Record<string, EventValue> };
  /** Channels not to use, with why (the recipient opted out…): logged as SKIPPED. */
  skip?: Partial<Record<DeliveryChannel, string>>;
  /** Channels that cannot be used, with why (the recipient's data is wrong): logged as FAILED, nothing sent. */
  fail?: Partial<Record<DeliveryChannel, string>>;
}

/**
 * Sends a message on every channel in the caller's transaction: the message, its delivery log and its event
 * commit together, with what the event's subscribers write (the feed entry, the webhook deliveries), and the
 * email is enqueued only after commit. The feed entry is written in the transaction and so SENT at once; email
 * is QUEUED until the worker hands it to the SMTP server; the webhook event's delivery shows how the firm's
 * endpoints took it (see withWebhookOutcome).
 */
@Injectable()
export class MessageService {
  constructor(
    private readonly tenantDb: TenantDatabase,
    private readonly caseload: CaseloadAccess,
    private readonly outbox: EventOutbox,
    private readonly webhookOutcomes: EventDeliveryOutcomes,
    private readonly email: EmailTransport,
    private readonly enqueuer: EmailEnqueuer,
  ) {}

  /** Returns the message id, and whether it was new (false: it had been sent already). */
  async send(tx: TenantTransaction, message: OutgoingMessage): Promise<{ messageId: string; created: boolean }> {
    const [sent] = await this.sendMany(tx, [message]);
    return sent;
  }

  /**
   * Many messages in a fixed number of statements whatever their number (a nudge run's batch); results in
   * `messages` order. A message whose key was already used is not sent again.
   */
  async sendMany(tx: TenantTransaction, messages: OutgoingMessage[]): Promise<Array<{ messageId: string; created: boolean }>> {
    if (messages.length === 0) return [];
    const proposed = messages.map(() => randomUUID());
    const planned = messages.map((message, i) => ({ message, id: proposed[i], ...this.plan(message) }));
    const channels = Object.values(DeliveryChannel);
    const deliveryRows: { id: string; message_id: string; channel: string; status: DeliveryStatus; reason: string | null }[] = planned.flatMap(({ id, statusOf, reasonOf }) =>
      channels.map((channel) => ({ id: randomUUID(), message_id: id, channel, status: statusOf(channel), reason: reasonOf(channel) })),
    );
    // One statement for the messages and their delivery log (only for messages actually inserted: a key already
    // used skips both); rows as JSON parameters, cheaper to send than an array per column.
    const messageRows = messages.map((m, i) => ({
      id: proposed[i],
      recipient: m.recipientUserId,
      recipient_email: m.recipientUserId ? null : (m.to?.email ?? null),
      recipient_name: m.recipientUserId ? null : (m.to?.name ?? null),
      list_member_id: m.listMemberId ?? null,
      kind: m.kind as string,
      subject: m.subject,
      text_body: m.text,
      html_body: m.html ?? null,
      dedupe_key: m.dedupeKey,
    }));
    const now = sql<Date>`now()`;
    const inserted = await tx.db
      .with('inserted', (db) =>
        db
          .insertInto('messages')
          .columns(['id', 'recipient_user_id', 'recipient_email', 'recipient_name', 'list_member_id', 'kind', 'subject', 'text_body', 'html_body', 'dedupe_key'])
          .expression((db) =>
            db
              .selectFrom(
                jsonRecords(
                  messageRows,
                  'm',
                  'id uuid, recipient uuid, recipient_email text, recipient_name text, list_member_id uuid, kind text, subject text, text_body text, html_body text, dedupe_key text',
                ),
              )
              .select(['m.id', 'm.recipient', 'm.recipient_email', 'm.recipient_name', 'm.list_member_id', 'm.kind', 'm.subject', 'm.text_body', 'm.html_body', 'm.dedupe_key']),
          )
          .onConflict((oc) => oc.constraint('messages_dedupe').doNothing())
          .returning('id'),
      )
      .with('deliveries', (db) =>
        db
          .insertInto('message_deliveries')
          .columns(['id', 'message_id', 'channel', 'status', 'next_attempt_at', 'last_error', 'sent_at', 'failed_at'])
          .expression((db) =>
            db
              .selectFrom(jsonRecords(deliveryRows, 'd', 'id uuid, message_id uuid, channel text, status text, reason text'))
              .select((eb) => [
                'd.id',
                'd.message_id',
                'd.channel',
                'd.status',
                eb.case().when('d.status', '=', DeliveryStatus.QUEUED).then(now).end().as('next_attempt_at'),
                'd.reason',
                eb.case().when('d.status', '=', DeliveryStatus.SENT).then(now).end().as('sent_at'),
                eb.case().when('d.status', '=', DeliveryStatus.FAILED).then(now).end().as('failed_at'),
              ])
              .where('d.message_id', 'in', (eb) => eb.selectFrom('inserted').select('inserted.id')),
          )
          .returning('id'),
      )
      .selectFrom('inserted')
      .select('inserted.id')
      .execute();
    const createdIds = new Set(inserted.map((r) => r.id));
    const existing = new Map<string, string>();
    const taken = messages.filter((_, i) => !createdIds.has(proposed[i]));
    if (taken.length) {
      const rows = await tx.db
        .selectFrom('messages')
        .select(['id', 'dedupe_key'])
        .where('dedupe_key', '=', anyOf(taken.map((m) => m.dedupeKey), 'text'))
        .execute();
      for (const row of rows) existing.set(row.dedupe_key, row.id);
    }
    const fresh = planned.filter(({ id }) => createdIds.has(id));

    await this.recordEvents(tx, fresh);

    this.enqueuer.enqueueAfterCommit(
      tx,
      deliveryRows
        .filter((r) => r.status === DeliveryStatus.QUEUED && createdIds.has(r.message_id))
        .map((r) => ({ deliveryId: r.id, attempt: 1 })),
    );
    return messages.map((message, i) =>
      createdIds.has(proposed[i])
        ? { messageId: proposed[i], created: true }
        : { messageId: existing.get(message.dedupeKey) as string, created: false },
    );
  }

  /**
   * One event per message that goes to the feed or to webhooks (`outward` only for the latter); the WEBHOOK
   * delivery is named on its event so the log can follow the firm's endpoints, and SKIPPED, with why, when no
   * endpoint subscribes to the event type.
   */
  private async recordEvents(
    tx: TenantTransaction,
    fresh: { message: OutgoingMessage; id: string; sends: (channel: DeliveryChannel) => boolean }[],
  ): Promise<void> {
    type Entry = { messageId: string; payload: Record<string, EventValue>; extra: EventExtra<keyof MessageEvents> };
    const byType = new Map<keyof MessageEvents, Entry[]>();
    for (const { message, id, sends } of fresh) {
      const { event, inApp } = message;
      if (!event || !(sends(DeliveryChannel.WEBHOOK) || sends(DeliveryChannel.IN_APP))) continue;
      const feed =
        inApp && sends(DeliveryChannel.IN_APP)
          ? {
              recipientUserId: message.recipientUserId as string,
              title: inApp.title ?? message.subject,
              body: inApp.body ?? message.text,
              clientId: inApp.clientId ?? null,
            }
          : null;
      const entries = byType.get(event.type) ?? [];
      entries.push({
        messageId: id,
        payload: { ...event.data, messageId: id },
        extra: { outward: sends(DeliveryChannel.WEBHOOK), details: { feed } },
      });
      byType.set(event.type, entries);
    }
    const rows: { m: string; e: string; skip: string | null }[] = [];
    for (const [type, entries] of byType) {
      const recorded = await this.outbox.emitMany(
        tx,
        type,
        entries.map((e) => e.payload as DomainEvents[typeof type]),
        undefined,
        entries.map((e) => e.extra),
      );
      recorded.forEach(({ eventId, deliveries }, i) => {
        if (!entries[i].extra.outward) return;
        rows.push({
          m: entries[i].messageId,
          e: eventId,
          skip: deliveries > 0 ? null : `No enabled webhook endpoint subscribes to ${type}`,
        });
      });
    }
    if (rows.length === 0) return;
    await tx.db
      .updateTable('message_deliveries as d')
      .from(jsonRecords(rows, 'w', 'm uuid, e uuid, skip text'))
      .set((eb) => ({
        webhook_event_id: eb.ref('w.e'),
        status: eb.case().when('w.skip', 'is', null).then(eb.ref('d.status')).else(DeliveryStatus.SKIPPED).end(),
        last_error: eb.fn.coalesce('w.skip', 'd.last_error'),
        sent_at: eb.case().when('w.skip', 'is', null).then(eb.ref('d.sent_at')).end(),
      }))
      .whereRef('d.message_id', '=', 'w.m')
      .where('d.channel', '=', DeliveryChannel.WEBHOOK)
      .execute();
  }

  /** Each channel's status for one message: FAILED or SKIPPED with why, else email QUEUED and the rest SENT. */
  private plan(message: OutgoingMessage) {
    const fail = { ...message.fail };
    const skip = { ...message.skip };
    if (!message.recipientUserId) skip[DeliveryChannel.IN_APP] ??= 'No account yet: only email reaches this recipient';
    if (!message.inApp) skip[DeliveryChannel.IN_APP] ??= 'Not shown in the in-app feed';
    if (message.inApp && !message.event) throw new Error('MessageService: a feed entry needs the message’s event');
    if (!message.event) skip[DeliveryChannel.WEBHOOK] ??= 'Not announced to webhooks';
    if (!this.email.configured) skip[DeliveryChannel.EMAIL] ??= 'Email is not configured (SMTP_URL is not set)';
    const statusOf = (channel: DeliveryChannel) =>
      fail[channel]
        ? DeliveryStatus.FAILED
        : skip[channel]
          ? DeliveryStatus.SKIPPED
          : channel === DeliveryChannel.EMAIL
            ? DeliveryStatus.QUEUED
            : DeliveryStatus.SENT;
    const reasonOf = (channel: DeliveryChannel) => fail[channel] ?? skip[channel] ?? null;
    const sends = (channel: DeliveryChannel) => !fail[channel] && !skip[channel];
    return { statusOf, reasonOf, sends };
  }

  /** Messages the caller may see, newest first: their own, and for coaches their caseload's; admins the firm's. */
  list(principal: Principal, args: MessagesArgs): Promise<ConnectionShape<Message>> {
    return this.tenantDb.transaction(async (tx) => {
      let query = tx.db
        .selectFrom('messages as m')
        .select([
          'm.id',
          'm.recipient_user_id as recipientUserId',
          'm.recipient_email as recipientEmail',
          'm.kind',
          'm.subject',
          'm.text_body as textBody',
          'm.html_body as htmlBody',
          'm.created_at as createdAt',
        ]);
      const scope = this.caseload.scopeOf(principal);
      if (scope.kind === 'client') {
        query = query.where('m.recipient_user_id', '=', scope.clientId);
      } else if (scope.kind === 'coach') {
        const me = scope.coachId;
        query = query.where((eb) => eb.or([eb('m.recipient_user_id', '=', me), engagedWith(tx, 'm.recipient_user_id', me)]));
      }
      if (args.recipientId) query = query.where('m.recipient_user_id', '=', args.recipientId);
      if (args.kind) query = query.where('m.kind', '=', args.kind);
      return paginate(query, 'm', args, { newestFirst: true, node: asNode(Message) });
    });
  }

  /** A message's deliveries, one per channel; batched across a page. */
  deliveriesOf(messageId: string): Promise<MessageDelivery[]> {
    return requestGroupLoader(
      'message-deliveries-by-message',
      (ids: readonly string[]) =>
        this.tenantDb.read(async (tx) => {
          const deliveries = await tx.repo(MessageDelivery).find({
            where: { messageId: In([...ids]) },
            order: { channel: 'ASC' },
          });
          const eventIds = deliveries.flatMap((d) => (d.webhookEventId ? [d.webhookEventId] : []));
          const outcomes = await this.webhookOutcomes.of(tx, eventIds);
          return deliveries.map((d) => (d.webhookEventId ? withWebhookOutcome(d, outcomes.get(d.webhookEventId)) : d));
        }),
      (delivery) => delivery.messageId,
    ).load(messageId);
  }

  /** A delivery's attempts, oldest first; batched across a page. */
  attemptsOf(deliveryId: string): Promise<MessageDeliveryAttempt[]> {
    return requestGroupLoader(
      'message-delivery-attempts-by-delivery',
      (ids: readonly string[]) =>
        this.tenantDb.read((tx) =>
          tx.repo(MessageDeliveryAttempt).find({ where: { deliveryId: In([...ids]) }, order: { attemptNumber: 'ASC' } }),
        ),
      (attempt) => attempt.deliveryId,
    ).load(deliveryId);
  }
}
