import { Injectable } from '@nestjs/common';
import {
  type AttemptResult,
  type DeliveryChannel,
  DeliveryEngine,
  type DeliveryOutcome,
  type DeliveryRef,
} from '#cairn/shared/delivery';
import { RequestContext } from '#cairn/shared/tenancy';
import { EmailOptOuts } from '../unsubscribe/email-opt-outs.js';
import { UnsubscribeLinks } from '../unsubscribe/unsubscribe-links.js';
import { type ClaimedEmail, EmailDeliveryStore } from './email-delivery-store.js';
import { EMAIL_ADDRESS } from './email-provider.js';
import { EmailTransport } from './email-transport.js';

const SWEEP_LIMIT = 5000;
/** A fresh delivery is left this long to the job enqueued after its commit before the sweep sends it. */
const SWEEP_GRACE_MS = 5_000;
/** Emails per send job: the engine claims them a group of free SMTP slots at a time. */
export const EMAIL_BATCH = 100;

/** One attempt of one email delivery: number `attempt` (1 for the first). */
export type EmailAttemptRef = DeliveryRef;

/** A send job's data: ids only; the content is read when the attempt is claimed. */
export interface SendEmailJobData {
  tenantId: string;
  attempts: EmailAttemptRef[];
}

export type EmailAttemptOutcome = AttemptResult;

/**
 * The email channel of the delivery engine (libs/shared/delivery): its store is message_deliveries, its sender
 * the email provider, with one slot per SMTP connection. A worker without SMTP leaves email alone
 * (misconfigured, not failed) and waits for one that can send.
 */
@Injectable()
export class EmailDeliverer implements DeliveryChannel<ClaimedEmail> {
  readonly name = 'email';
  private engine?: DeliveryEngine<ClaimedEmail>;

  constructor(
    readonly store: EmailDeliveryStore,
    private readonly transport: EmailTransport,
    private readonly optOuts: EmailOptOuts,
    private readonly unsubscribeLinks: UnsubscribeLinks,
  ) {}

  get slots(): number {
    return this.transport.connections;
  }

  /** Every QUEUED email delivery due for `graceMs` already (retries and expired leases at once), oldest first. */
  dueDeliveries(
    limit = SWEEP_LIMIT,
    graceMs = SWEEP_GRACE_MS,
  ): Promise<Array<EmailAttemptRef & { tenantId: string }>> {
    return this.store.due(limit, graceMs);
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

  /** The batch's attempts that are due now, each sent once and recorded; the others are skipped. */
  attemptBatch({ tenantId, attempts }: SendEmailJobData): Promise<Map<string, EmailAttemptOutcome>> {
    if (!this.transport.configured || attempts.length === 0) {
      return Promise.resolve(new Map(attempts.map((a) => [a.deliveryId, 'skipped'])));
    }
    this.engine ??= new DeliveryEngine(this);
    const engine = this.engine;
    return RequestContext.runAs({ tenantId }, () => engine.run(attempts));
  }

  send(item: ClaimedEmail): Promise<DeliveryOutcome> {
    if (!EMAIL_ADDRESS.test(item.email)) {
      return Promise.resolve({
        sent: false,
        permanent: true,
        error: `Invalid email address "${item.email}"`,
        response: null,
        durationMs: 0,
      });
    }
    // A link made at each attempt: it stays valid UNSUBSCRIBE_LINK_TTL_DAYS from the email that carries it.
    const member = item.recipientUserId ?? item.listMemberId;
    const unsubscribeUrl =
      member && this.optOuts.listOf(item.kind)
        ? this.unsubscribeLinks.urlFor({ tenantId: item.tenantId, userId: member, kind: item.kind })
        : undefined;
    return this.transport.send(
      {
        to: { name: item.displayName, address: item.email },
        subject: item.subject,
        text: item.textBody,
        html: item.htmlBody,
        messageId: item.messageId,
        headers: { 'X-Cairn-Delivery-Id': item.deliveryId },
        unsubscribeUrl,
      },
      // An HTTP provider sends it as its idempotency key: a repeat after a lost answer is not a second email.
      { idempotencyKey: item.deliveryId },
    );
  }
}
