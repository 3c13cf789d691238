import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { SystemDatabase, TenantDatabase } from '#cairn/shared/database';
import {
  type ClaimedDelivery,
  type DeliveryRef,
  type DeliveryStore,
  type FinishedAttempt,
  finishedState,
  leaseEnd,
  renewLeases,
  startAttempts,
} from '#cairn/shared/delivery';
import { DeliveryStatus } from '../deliveries/delivery.enums.js';
import { MessageKind } from '../messages/message-kind.enum.js';
import { EmailTransport } from './email-transport.js';

/** An email delivery claimed for one attempt, with what its email is made of. */
export interface ClaimedEmail extends ClaimedDelivery {
  tenantId: string;
  kind: MessageKind;
  /** Null for an invitee without an account: such emails belong to no list. */
  recipientUserId: string | null;
  /** A recipient without an account whose emails belong to a list (a supporter): whose opt-out it is. */
  listMemberId: string | null;
  subject: string;
  textBody: string;
  htmlBody: string | null;
  email: string;
  displayName: string;
  /** The stable Message-ID every attempt of this delivery carries. */
  messageId: string;
}

const STATUS_OF = {
  sent: DeliveryStatus.SENT,
  retrying: DeliveryStatus.QUEUED,
  failed: DeliveryStatus.FAILED,
};

/** The engine's view of message_deliveries (channel EMAIL) and message_delivery_attempts. */
@Injectable()
export class EmailDeliveryStore implements DeliveryStore<ClaimedEmail> {
  constructor(
    private readonly tenantDb: TenantDatabase,
    private readonly systemDb: SystemDatabase,
    private readonly transport: EmailTransport,
  ) {}

  /**
   * QUEUED email deliveries due for a while across tenants, oldest first (the worker's sweep). A never-tried one
   * waits `graceMs` (the job enqueued after its commit will send it); a retry or an expired lease does not.
   */
  due(limit: number, graceMs: number): Promise<Array<DeliveryRef & { tenantId: string }>> {
    return this.systemDb.transaction(async (_m, db) => {
      const rows = await db
        .selectFrom('message_deliveries')
        .select(['tenant_id', 'id', 'attempt_count'])
        .where('status', '=', DeliveryStatus.QUEUED)
        .where('channel', '=', 'EMAIL')
        .where(
          'next_attempt_at',
          '<=',
          sql<Date>`now() - CASE WHEN attempt_count = 0 THEN make_interval(secs => ${graceMs / 1000}::float8) ELSE interval '0' END`,
        )
        .orderBy('next_attempt_at')
        .limit(limit)
        .execute();
      return rows.map((r) => ({ tenantId: r.tenant_id, deliveryId: r.id, attempt: r.attempt_count + 1 }));
    });
  }

  claim(refs: DeliveryRef[], leaseMs: number): Promise<ClaimedEmail[]> {
    return this.tenantDb.transaction(async (tx) => {
      const claimed = await tx.db
        .updateTable('message_deliveries')
        .set((eb) => ({ attempt_count: eb('attempt_count', '+', 1), next_attempt_at: leaseEnd(leaseMs) }))
        .where('channel', '=', 'EMAIL')
        .where('status', '=', DeliveryStatus.QUEUED)
        .where('next_attempt_at', '<=', sql<Date>`now()`)
        .where((eb) =>
          eb(
            eb.refTuple('id', 'attempt_count'),
            'in',
            refs.map((r) => eb.tuple(r.deliveryId, r.attempt - 1)),
          ),
        )
        .returning(['id', 'attempt_count', 'created_at', 'message_id'])
        .execute();
      if (claimed.length === 0) return [];
      await startAttempts(tx.db, 'message_delivery_attempts', claimed);
      const messages = await tx.db
        .selectFrom('messages as m')
        // A recipient without an account (an invitation) has the address on the message.
        .leftJoin('users as u', 'u.id', 'm.recipient_user_id')
        .select((eb) => [
          'm.id',
          'm.kind',
          'm.recipient_user_id',
          'm.list_member_id',
          'm.subject',
          'm.text_body',
          'm.html_body',
          eb.fn.coalesce('u.email', 'm.recipient_email').as('email'),
          eb.fn.coalesce('u.display_name', 'm.recipient_name', sql.lit('')).as('display_name'),
        ])
        .where(
          'm.id',
          'in',
          claimed.map((c) => c.message_id),
        )
        .execute();
      const byId = new Map(messages.map((m) => [m.id, m]));
      return claimed.map((c) => {
        const m = byId.get(c.message_id)!;
        return {
          tenantId: tx.tenantId,
          deliveryId: c.id,
          attempt: c.attempt_count,
          createdAt: new Date(c.created_at),
          kind: m.kind as MessageKind,
          recipientUserId: m.recipient_user_id,
          listMemberId: m.list_member_id,
          subject: m.subject,
          textBody: m.text_body,
          htmlBody: m.html_body,
          email: m.email ?? '',
          displayName: m.display_name ?? '',
          messageId: `<${c.id}@${this.transport.domain}>`,
        };
      });
    });
  }

  renew(claimed: DeliveryRef[], leaseMs: number): Promise<void> {
    return this.tenantDb.transaction((tx) =>
      renewLeases(tx.db, 'message_deliveries', DeliveryStatus.QUEUED, claimed, leaseMs),
    );
  }

  /**
   * One statement for the whole group (a slot waits for it before its next send): the deliveries still at these
   * attempts, and the attempts' log rows, as two updates of one WITH.
   */
  record(done: FinishedAttempt<ClaimedEmail>[]): Promise<Set<string>> {
    const rows = done.map((d) => ({
      id: d.item.deliveryId,
      attempt: d.item.attempt,
      status: STATUS_OF[d.result],
      next_attempt_at: d.nextAttemptAt,
      to_address: d.item.email,
      provider_message_id: d.item.messageId,
      last_error: d.outcome.sent ? null : d.outcome.error.slice(0, 2000),
      finished_at: d.finishedAt,
      duration_ms: Math.max(0, Math.round(d.outcome.durationMs)),
      succeeded: d.outcome.sent,
      response: d.outcome.response?.slice(0, 2000) ?? null,
      state: finishedState(d.outcome.sent),
    }));
    return this.tenantDb.transaction(async (tx) => {
      const changed = await tx.db
        .with(
          'r',
          () => sql<
            (typeof rows)[number]
          >`(SELECT * FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS r (
            id uuid, attempt int, status text, next_attempt_at timestamptz, to_address text, provider_message_id text,
            last_error text, finished_at timestamptz, duration_ms int, succeeded boolean, response text, state text))`,
        )
        .with('changed', (db) =>
          db
            .updateTable('message_deliveries as d')
            .from('r')
            .set((eb) => ({
              status: eb.ref('r.status'),
              next_attempt_at: eb.ref('r.next_attempt_at'),
              to_address: eb.ref('r.to_address'),
              provider_message_id: eb.ref('r.provider_message_id'),
              last_error: eb.ref('r.last_error'),
              sent_at: sql<Date | null>`CASE WHEN r.status = 'SENT' THEN r.finished_at END`,
              failed_at: sql<Date | null>`CASE WHEN r.status = 'FAILED' THEN r.finished_at END`,
              updated_at: sql<Date>`now()`,
            }))
            .whereRef('d.id', '=', 'r.id')
            .whereRef('d.attempt_count', '=', 'r.attempt')
            .where('d.status', '=', DeliveryStatus.QUEUED)
            .returning('d.id'),
        )
        // The log row is this attempt's whoever holds the delivery now: its outcome is what happened.
        .with('logged', (db) =>
          db
            .updateTable('message_delivery_attempts as a')
            .from('r')
            .set((eb) => ({
              state: eb.ref('r.state'),
              finished_at: eb.ref('r.finished_at'),
              duration_ms: eb.ref('r.duration_ms'),
              succeeded: eb.ref('r.succeeded'),
              error: eb.ref('r.last_error'),
              response: eb.ref('r.response'),
            }))
            .whereRef('a.delivery_id', '=', 'r.id')
            .whereRef('a.attempt_number', '=', 'r.attempt'),
        )
        .selectFrom('changed')
        .select('changed.id')
        .execute();
      return new Set(changed.map((c) => c.id));
    });
  }
}
