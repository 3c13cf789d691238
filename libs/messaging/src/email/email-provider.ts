/** One email as a provider sends it. */
export interface EmailMessage {
  /** MAIL_FROM: `Name <address>` or a bare address. */
  from: string;
  to: { name: string; address: string };
  subject: string;
  text: string;
  html?: string | null;
  /** Stable per delivery, so a receiver (or a human) can tell a repeat from a second message. */
  messageId: string;
  headers?: Record<string, string>;
  /** RFC 8058 one-click unsubscribe: sent as List-Unsubscribe with List-Unsubscribe-Post. */
  unsubscribeUrl?: string;
}

export interface EmailSendOptions {
  /**
   * The delivery id. A provider whose API takes an idempotency key (an HTTP API) sends it, so a call repeated
   * after a lost answer is not a second email; SMTP has none, and relies on the stable Message-ID.
   */
  idempotencyKey: string;
}

export type EmailOutcome =
  | { sent: true; response: string; durationMs: number }
  | { sent: false; permanent: boolean; error: string; response: string | null; durationMs: number };

/**
 * Where email leaves Cairn. `send` resolves once the provider has accepted (or refused) that one message, so a
 * caller can record each message's acceptance as it comes, while others are still being sent; it never rejects.
 * A new provider (an HTTP API) implements this and is chosen in EmailTransport; the deliverer does not change.
 */
export interface EmailProvider {
  send(message: EmailMessage, options: EmailSendOptions): Promise<EmailOutcome>;
  /** Lets messages being sent finish, then closes connections. */
  close(): void;
}

/** A bare address with one @, no spaces or angle brackets, and a dot in the domain. */
export const EMAIL_ADDRESS = /^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/;
