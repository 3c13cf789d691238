import { Injectable } from '@nestjs/common';
import { SystemDatabase, TenantDatabase } from '#cairn/shared/database';
import { RequestContext } from '#cairn/shared/tenancy';
import { nextAttemptAfterFailure } from '#cairn/webhooks';
import { DeliveryStatus } from '../deliveries/delivery.enums.js';
import { EMAIL_ADDRESS, EmailOutcome, EmailTransport } from './email-transport.js';

// A claimed delivery is not due again for this long, so a second job for the same attempt does nothing while the
// first is sending; if the worker dies mid-attempt, the sweep picks the delivery up after it.
const CLAIM_LEASE = '2 minutes';
const SWEEP_BATCH = 1000;
const SWEEP_GRACE_MS = 10_000;

export interface SendEmailJobData {
  tenantId: string;
  deliveryId: string;
  /** The attempt this job makes (1 for the first): part of the job id, so each attempt is enqueued once. */
  attempt: number;
}

export type EmailAttemptOutcome = 'sent' | 'retrying' | 'failed' | 'skipped';

interface Claimed {
  delivery_created_at: Date;
  subject: string;
  text_body: string;
  html_body: string | null;
  email: string;
  display_name: string;
}

/** Email attempts: claims a due delivery, sends it, and records the attempt and what comes next. */
@Injectable()
export class EmailDeliverer {
  constructor(
    private readonly tenantDb: TenantDatabase,
    private readonly systemDb: SystemDatabase,
    private readonly transport: EmailTransport,
  ) {}

  /**
   * Every QUEUED email delivery due for `graceMs` already, oldest first, across tenants (the worker's sweep). The
   * grace leaves a fresh delivery to the job enqueued after its commit; the sweep is for what that job missed.
   */
  async dueDeliveries(limit = SWEEP_BATCH, graceMs = SWEEP_GRACE_MS): Promise<SendEmailJobData[]> {
    const rows: { tenant_id: string; id: string; attempt_count: number }[] = await this.systemDb.transaction((m) =>
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

  /** Attempt number `attempt` of one delivery; does nothing unless that attempt is the one due now. */
  attempt({ tenantId, deliveryId, attempt }: SendEmailJobData): Promise<EmailAttemptOutcome> {
    // A worker without SMTP leaves email alone (misconfigured, not failed): it waits for one that can send.
    if (!this.transport.configured) return Promise.resolve('skipped');
    return RequestContext.runAs({ tenantId }, async () => {
      const claimed = await this.claim(deliveryId, attempt);
      if (!claimed) return 'skipped';
      const attemptedAt = new Date();
      const messageId = `<${deliveryId}@${this.transport.domain}>`;
      const outcome: EmailOutcome = !EMAIL_ADDRESS.test(claimed.email)
        ? { sent: false, permanent: true, error: `Invalid email address "${claimed.email}"`, response: null, durationMs: 0 }
        : await this.transport.send({
            to: { name: claimed.display_name, address: claimed.email },
            subject: claimed.subject,
            text: claimed.text_body,
            html: claimed.html_body,
            messageId,
            headers: { 'X-Cairn-Delivery-Id': deliveryId },
          });
      return this.record(deliveryId, attempt, claimed, attemptedAt, messageId, outcome);
    });
  }

  private claim(deliveryId: string, attempt: number): Promise<Claimed | null> {
    return this.tenantDb.transaction(async (tx) => {
      const [row] = await tx.manager.query(
        `WITH claimed AS (
           UPDATE message_deliveries SET next_attempt_at = now() + interval '${CLAIM_LEASE}'
            WHERE tenant_id = $1 AND id = $2 AND channel = 'EMAIL' AND status = 'QUEUED'
              AND attempt_count = $3 AND next_attempt_at <= now()
           RETURNING message_id, created_at)
         SELECT c.created_at AS delivery_created_at, m.subject, m.text_body, m.html_body, u.email, u.display_name
           FROM claimed c
           JOIN messages m ON m.tenant_id = $1 AND m.id = c.message_id
           JOIN users u ON u.tenant_id = $1 AND u.id = m.recipient_user_id`,
        [tx.tenantId, deliveryId, attempt - 1],
      );
      return (row as Claimed | undefined) ?? null;
    });
  }

  private record(
    deliveryId: string,
    attempt: number,
    claimed: Claimed,
    attemptedAt: Date,
    messageId: string,
    outcome: EmailOutcome,
  ): Promise<EmailAttemptOutcome> {
    return this.tenantDb.transaction(async (tx) => {
      const now = new Date();
      const next = outcome.sent || outcome.permanent ? null : nextAttemptAfterFailure(new Date(claimed.delivery_created_at), attempt, now);
      const result: EmailAttemptOutcome = outcome.sent ? 'sent' : next ? 'retrying' : 'failed';
      const status = { sent: DeliveryStatus.SENT, retrying: DeliveryStatus.QUEUED, failed: DeliveryStatus.FAILED }[
        result as 'sent' | 'retrying' | 'failed'
      ];
      const changed = await tx.manager.query(
        `UPDATE message_deliveries
            SET attempt_count = $3, status = $4, next_attempt_at = $5, to_address = $6, provider_message_id = $7,
                last_error = $8, sent_at = $9, failed_at = $10, updated_at = now()
          WHERE tenant_id = $1 AND id = $2 AND attempt_count = $3 - 1 AND status = 'QUEUED'
          RETURNING id`,
        [
          tx.tenantId,
          deliveryId,
          attempt,
          status,
          next,
          claimed.email,
          messageId,
          outcome.sent ? null : outcome.error,
          outcome.sent ? now : null,
          result === 'failed' ? now : null,
        ],
      );
      // Someone else recorded this attempt meanwhile: keep theirs.
      if (changed.length === 0) return 'skipped';
      await tx.manager.query(
        `INSERT INTO message_delivery_attempts
           (tenant_id, delivery_id, attempt_number, attempted_at, duration_ms, succeeded, error, response)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [
          tx.tenantId,
          deliveryId,
          attempt,
          attemptedAt,
          outcome.durationMs,
          outcome.sent,
          outcome.sent ? null : outcome.error,
          outcome.response,
        ],
      );
      return result;
    });
  }
}
