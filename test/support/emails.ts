import type { EmailAttemptOutcome, EmailDeliverer } from '#cairn/messaging';

/** Every email attempt due now for one firm, each made once: what the worker's sweep and send jobs do. */
export async function sendDueEmails(deliverer: EmailDeliverer, tenantId: string): Promise<EmailAttemptOutcome[]> {
  const due = (await deliverer.dueDeliveries(100_000, 0)).filter((d) => d.tenantId === tenantId);
  return Promise.all(due.map((d) => deliverer.attempt(d)));
}
