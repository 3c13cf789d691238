import type { TenantTransaction } from '#cairn/shared/database';

/** An invitation email, rendered: it goes to an address, not to a user (the invitee has no account yet). */
export interface InvitationEmail {
  invitationId: string;
  to: { email: string; name: string };
  subject: string;
  text: string;
  html: string;
}

/**
 * Sends an invitation email in the caller's transaction: nothing goes out unless the invitation commits, and
 * an invitation is emailed once. Bound by the messaging domain (InvitationEmailModule), which identity sits below.
 */
export abstract class InvitationMailer {
  abstract send(tx: TenantTransaction, email: InvitationEmail): Promise<void>;
}
