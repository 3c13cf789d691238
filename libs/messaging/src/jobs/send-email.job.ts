import { Injectable } from '@nestjs/common';
import type { Job } from 'bullmq';
import { JobHandler } from '#cairn/shared/queue';
import { EmailAttemptOutcome, EmailDeliverer, type SendEmailJobData } from '../email/email-deliverer.service.js';
import { EmailEnqueuer } from '../email/email-enqueuer.js';

@Injectable()
export class SendEmailJob {
  constructor(
    private readonly deliverer: EmailDeliverer,
    private readonly enqueuer: EmailEnqueuer,
  ) {}

  /** SMTP failures are recorded attempts, not job failures; only a database error fails (and retries) the job. */
  @JobHandler('messages.send-email')
  async send(job: Job<SendEmailJobData>): Promise<{ outcome: EmailAttemptOutcome }> {
    return { outcome: await this.deliverer.attempt(job.data) };
  }

  /** What the fast path missed (Redis was down) or what is due again after a failure. */
  @JobHandler('messages.dispatch-due')
  async dispatchDue(): Promise<{ enqueued: number }> {
    const due = await this.deliverer.dueDeliveries();
    this.enqueuer.enqueue(due);
    return { enqueued: due.length };
  }
}
