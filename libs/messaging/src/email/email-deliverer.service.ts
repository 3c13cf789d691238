import { Injectable } from '@nestjs/common';
import { SystemDatabase, TenantDatabase } from '#cairn/shared/database';
import { RequestContext } from '#cairn/shared/tenancy';
import { nextAttemptAfterFailure } from '#cairn/shared/queue';
import { DeliveryStatus } from '../deliveries/delivery.enums.js';
import { MessageKind } from '../messages/message-kind.enum.js';
import { EmailOptOuts } from '../unsubscribe/email-opt-outs.js';
import { UnsubscribeLinks } from '../unsubscribe/unsubscribe-links.js';
import { BatchRecorder } from './batch-recorder.js';
import { EMAIL_ADDRESS, type EmailOutcome } from './email-provider.js';
import { EmailTransport } from './email-transport.js';

// A claimed delivery is not due again for this long, so a second job for the same attempt does nothing while the
// first is sending; if the worker dies mid-attempt, the sweep picks the delivery up after it.
const CLAIM_LEASE = '2 minutes';
const SWEEP_LIMIT = 5000;
const SWEEP_GRACE_MS = 10_000;
/** Emails per send job: one claim and a few record statements serve them all, and the provider sends them. */
export const EMAIL_BATCH = 100;
/** Outcomes are written when this many have finished, or this long after the first unwritten one. */
const RECORD_EVERY = 25;
const RECORD_AFTER_MS = 250;

/** One attempt of one email delivery: number `attempt` (1 for the first). */
export interface EmailAttemptRef {
  deliveryId: string;
  attempt: number;
}

/** A send job's data: ids only; the content is read when the attempt is claimed. */
export interface SendEmailJobData {
  tenantId: string;
  attempts: EmailAttemptRef[];
}

export type EmailAttemptOutcome = 'sent' | 'retrying' | 'failed' | 'skipped';

interface Claimed {
  delivery_id: string;
  delivery_created_at: Date;
  kind: MessageKind;
  /** Null for an invitee without an account: such emails belong to no list. */
  recipient_user_id: string | null;
  subject: string;
  text_body: string;
  html_body: string | null;
  email: string;
  display_name: string;
}

interface Outcome {
  claimed: Claimed;
  attempt: number;
  attemptedAt: Date;
  messageId: string;
  outcome: EmailOutcome;
}

/**
 * Email attempts, a tenant's batch at a time: claims the due deliveries in one statement, sends them through the
 * email provider (each send resolves when that message is accepted), and records each attempt and what comes
 * next. Outcomes are recorded in groups while the rest of the batch is still sending, so a worker killed
 * mid-batch sends again at most the group not yet written.
 */
@Injectable()
export class EmailDeliverer {
  constructor(
    private readonly tenantDb: TenantDatabase,
    private readonly systemDb: SystemDatabase,
    private readonly transport: EmailTransport,
    private readonly optOuts: EmailOptOuts,
    private readonly unsubscribeLinks: UnsubscribeLinks,
  ) {}

  /**
   * Every QUEUED email delivery due for `graceMs` already, oldest first, across tenants (the worker's sweep). The
   * grace leaves a fresh delivery to the job enqueued after its commit; the sweep is for what that job missed.
   */
  async dueDeliveries(
    limit = SWEEP_LIMIT,
    graceMs = SWEEP_GRACE_MS,
  ): Promise<Array<EmailAttemptRef & { tenantId: string }>> {
    const rows: { tenant_id: string; id: string; attempt_count: number }[] = await this.systemDb.transaction(
      (m) =>
        m.query(
          `SELECT tenant_id, id, attempt_count FROM message_deliveries
          WHERE status = 'QUEUED' AND next_attempt_at <= now() - make_interval(secs => $2::float8 / 1000)
            AND channel = 'EMAIL'
          ORDER BY next_attempt_at LIMIT $1`,
          [limit, graceMs],
        ),
    );
    return rows.map((r) => ({ tenantId: r.tenant_id, deliveryId: r.id, attempt: r.attempt_count + 1 }));
  }

  /** One attempt of one delivery (a batch of one); does nothing unless that attempt is the one due now. */
  async attempt({
    tenantId,
    deliveryId,
    attempt,
  }: EmailAttemptRef & { tenantId: string }): Promise<EmailAttemptOutcome> {
    const outcomes = await this.attemptBatch({ tenantId, attempts: [{ deliveryId, attempt }] });
    return outcomes.get(deliveryId) ?? 'skipped';
  }

  /**
   * The batch's attempts that are due now (others were made or are being made elsewhere, and are skipped), each
   * sent once and recorded. Returns each delivery's outcome.
   */
  attemptBatch({ tenantId, attempts }: SendEmailJobData): Promise<Map<string, EmailAttemptOutcome>> {
    const outcomes = new Map<string, EmailAttemptOutcome>(attempts.map((a) => [a.deliveryId, 'skipped']));
    // A worker without SMTP leaves email alone (misconfigured, not failed): it waits for one that can send.
    if (!this.transport.configured || attempts.length === 0) return Promise.resolve(outcomes);
    return RequestContext.runAs({ tenantId }, async () => {
      const claimed = await this.claim(attempts);
      const attemptOf = new Map(attempts.map((a) => [a.deliveryId, a.attempt]));
      const recorder = new BatchRecorder<Outcome>((done) => this.record(done, outcomes), RECORD_EVERY, RECORD_AFTER_MS);
      // Outcomes are added as each message is accepted, not when the batch is done.
      await Promise.all(
        claimed.map(async (row) => {
          const attemptedAt = new Date();
          const messageId = `<${row.delivery_id}@${this.transport.domain}>`;
          const outcome = await this.sendOne(row, messageId, tenantId);
          recorder.add({
            claimed: row,
            attempt: attemptOf.get(row.delivery_id) as number,
            attemptedAt,
            messageId,
            outcome,
          });
        }),
      );
      await recorder.drain();
      return outcomes;
    });
  }

  private sendOne(row: Claimed, messageId: string, tenantId: string): Promise<EmailOutcome> {
    if (!EMAIL_ADDRESS.test(row.email)) {
      return Promise.resolve({
        sent: false,
        permanent: true,
        error: `Invalid email address "${row.email}"`,
        response: null,
        durationMs: 0,
      });
    }
    // A link made at each attempt: it stays valid UNSUBSCRIBE_LINK_TTL_DAYS from the email that carries it.
    const unsubscribeUrl =
      row.recipient_user_id && this.optOuts.listOf(row.kind)
        ? this.unsubscribeLinks.urlFor({ tenantId, userId: row.recipient_user_id, kind: row.kind })
      : undefined;
    return this.transport.send(
      {
        to: { name: row.display_name, address: row.email },
        subject: row.subject,
        text: row.text_body,
        html: row.html_body,
        messageId,
        headers: { 'X-Cairn-Delivery-Id': row.delivery_id },
        unsubscribeUrl,
      },
      { idempotencyKey: row.delivery_id },
    );
  }

  /** Leases the attempts that are due now: QUEUED, at that attempt count, and not leased by someone else. */
  private claim(attempts: EmailAttemptRef[]): Promise<Claimed[]> {
    return this.tenantDb.transaction((tx) =>
      tx.manager.query(
        `WITH claimed AS (
           UPDATE message_deliveries d SET next_attempt_at = now() + interval '${CLAIM_LEASE}'
             FROM unnest($2::uuid[], $3::int[]) AS a (id, attempt_count)
            WHERE d.tenant_id = $1 AND d.id = a.id AND d.channel = 'EMAIL' AND d.status = 'QUEUED'
              AND d.attempt_count = a.attempt_count AND d.next_attempt_at <= now()
           RETURNING d.id, d.message_id, d.created_at)
         SELECT c.id AS delivery_id, c.created_at AS delivery_created_at, m.kind, m.recipient_user_id, m.subject,
                m.text_body, m.html_body, COALESCE(u.email, m.recipient_email) AS email,
                COALESCE(u.display_name, m.recipient_name, '') AS display_name
           FROM claimed c
           JOIN messages m ON m.tenant_id = $1 AND m.id = c.message_id
           -- A recipient without an account (an invitation) has the address on the message.
           LEFT JOIN users u ON u.tenant_id = $1 AND u.id = m.recipient_user_id`,
        [tx.tenantId, attempts.map((a) => a.deliveryId), attempts.map((a) => a.attempt - 1)],
      ),
    );
  }

  /**
   * Several attempts' outcomes in one statement: the deliveries still at the attempt before are updated, and
   * their attempts logged. An attempt someone else recorded meanwhile keeps theirs.
   */
  private record(done: Outcome[], outcomes: Map<string, EmailAttemptOutcome>): Promise<void> {
    return this.tenantDb.transaction(async (tx) => {
      const now = new Date();
      const rows = done.map((d) => {
        const next =
          d.outcome.sent || d.outcome.permanent
            ? null
            : nextAttemptAfterFailure(new Date(d.claimed.delivery_created_at), d.attempt, now);
        const result: Exclude<EmailAttemptOutcome, 'skipped'> = d.outcome.sent
          ? 'sent'
          : next
            ? 'retrying'
            : 'failed';
        return { ...d, next, result, error: d.outcome.sent ? null : d.outcome.error };
      });
      const statusOf = {
        sent: DeliveryStatus.SENT,
        retrying: DeliveryStatus.QUEUED,
        failed: DeliveryStatus.FAILED,
      };
      const written: { id: string }[] = await tx.manager.query(
        `WITH r AS (
           SELECT * FROM jsonb_to_recordset($3::jsonb) AS r (id uuid, attempt int, status text, next_attempt_at timestamptz,
             to_address text, provider_message_id text, last_error text, attempted_at timestamptz, duration_ms int,
             succeeded boolean, response text)),
         changed AS (
           UPDATE message_deliveries d
              SET attempt_count = r.attempt, status = r.status, next_attempt_at = r.next_attempt_at, to_address = r.to_address,
                  provider_message_id = r.provider_message_id, last_error = r.last_error,
                  sent_at = CASE WHEN r.status = 'SENT' THEN $2::timestamptz END,
                  failed_at = CASE WHEN r.status = 'FAILED' THEN $2::timestamptz END, updated_at = now()
             FROM r
            WHERE d.tenant_id = $1 AND d.id = r.id AND d.attempt_count = r.attempt - 1 AND d.status = 'QUEUED'
            RETURNING d.id),
         logged AS (
           INSERT INTO message_delivery_attempts
             (tenant_id, delivery_id, attempt_number, attempted_at, duration_ms, succeeded, error, response)
           SELECT $1, r.id, r.attempt, r.attempted_at, r.duration_ms, r.succeeded, r.last_error, r.response
             FROM r JOIN changed ON changed.id = r.id
           RETURNING delivery_id)
         SELECT delivery_id AS id FROM logged`,
        [
          tx.tenantId,
          now,
          JSON.stringify(
            rows.map((r) => ({
              id: r.claimed.delivery_id,
              attempt: r.attempt,
              status: statusOf[r.result],
              next_attempt_at: r.next,
              to_address: r.claimed.email,
              provider_message_id: r.messageId,
              last_error: r.error,
              attempted_at: r.attemptedAt,
              duration_ms: r.outcome.durationMs,
              succeeded: r.outcome.sent,
              response: r.outcome.response,
            })),
          ),
        ],
      );
      const mine = new Set(written.map((w) => w.id));
      const recorded = rows.filter((r) => mine.has(r.claimed.delivery_id));
      for (const r of recorded) outcomes.set(r.claimed.delivery_id, r.result);
    });
  }
}
