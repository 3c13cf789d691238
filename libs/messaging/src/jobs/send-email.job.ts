import { Injectable } from '@nestjs/common';
import type { Job } from 'bullmq';
import { JobHandler } from '#cairn/shared/queue';
import {
  EmailAttemptOutcome,
  EmailDeliverer,
  type SendEmailJobData,
} from '../email/email-deliverer.service.js';
import { EmailEnqueuer } from '../email/email-enqueuer.js';

@Injectable()
export class SendEmailJob {
  constructor(
    private readonly deliverer: EmailDeliverer,
    private readonly enqueuer: EmailEnqueuer,
  ) {}

  /**
   * SMTP failures are recorded attempts, not job failures; only a database error fails (and retries) the job.
   * Returns how many of the batch's attempts ended each way.
   */
  @JobHandler('messages.send-email')
  async send(job: Job<SendEmailJobData>): Promise<Partial<Record<EmailAttemptOutcome, number>>> {
    const counts: Partial<Record<EmailAttemptOutcome, number>> = {};
    for (const outcome of (await this.deliverer.attemptBatch(job.data)).values())
      counts[outcome] = (counts[outcome] ?? 0) + 1;
    return counts;
  }

  /** What the fast path missed (Redis was down) or what is due again after a failure. */
  @JobHandler('messages.dispatch-due')
  async dispatchDue(): Promise<{ enqueued: number }> {
    const due = await this.deliverer.dueDeliveries();
    this.enqueuer.enqueue(due);
    return { enqueued: due.length };
  }
}
