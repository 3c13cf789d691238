import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import addressparser from 'nodemailer/lib/addressparser';
import MailComposer from 'nodemailer/lib/mail-composer';
import { AppConfig } from '#cairn/shared/config';
import { canRenderMime, type MimeAddress, type MimeInput, renderMime } from './mime-message.js';
import { type SmtpEnvelope, type SmtpError, SmtpPool } from './smtp-pool.js';

export interface OutgoingEmail {
  to: { name: string; address: string };
  subject: string;
  text: string;
  html?: string | null;
  /** Stable per delivery, so a receiver (or a human) can tell a repeat from a second message. */
  messageId: string;
  headers?: Record<string, string>;
}

export type EmailOutcome =
  | { sent: true; response: string; durationMs: number }
  | { sent: false; permanent: boolean; error: string; response: string | null; durationMs: number };

/** A bare address with one @, no spaces or angle brackets, and a dot in the domain. */
export const EMAIL_ADDRESS = /^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/;

/**
 * SMTP through one connection pool per process (SMTP_URL), Cairn's SmtpClient underneath. A recipient
 * the server refuses with a 5xx at RCPT, or an envelope the server cannot take at all (an internationalised
 * address without SMTPUTF8), is a permanent failure; anything else (connection refused, timeouts, 4xx) is worth
 * retrying.
 */
@Injectable()
export class EmailTransport implements OnApplicationShutdown {
  private smtp?: SmtpPool;
  private sender?: MimeAddress;

  constructor(private readonly config: AppConfig) {}

  get configured(): boolean {
    return Boolean(this.config.SMTP_URL);
  }

  /** The From address's domain, for Message-IDs. */
  get domain(): string {
    return /@([^\s>]+)/.exec(this.config.MAIL_FROM)?.[1] ?? 'cairn.localhost';
  }

  async send(email: OutgoingEmail): Promise<EmailOutcome> {
    const started = Date.now();
    try {
      const { envelope, message } = await this.compose(email);
      const response = await this.pool().send(envelope, message);
      return { sent: true, response, durationMs: Date.now() - started };
    } catch (error) {
      const smtp = error as SmtpError;
      // Refused for good: the server's 5xx for the recipient, or an envelope Cairn cannot send at all (no SMTPUTF8).
      const permanent =
        (smtp.command === 'RCPT TO' && (smtp.responseCode ?? 0) >= 500) ||
        (smtp.command === 'API' && smtp.code === 'EENVELOPE');
      return {
        sent: false,
        permanent,
        error: `${smtp.code ? `${smtp.code}: ` : ''}${smtp.message}`.slice(0, 2000),
        response: smtp.response?.slice(0, 2000) ?? null,
        durationMs: Date.now() - started,
      };
    }
  }

  /** The common case is rendered here in one buffer; anything unusual (an internationalised address) by nodemailer. */
  private async compose(email: OutgoingEmail): Promise<{ envelope: SmtpEnvelope; message: Buffer }> {
    const mime: MimeInput = { ...email, from: this.from() };
    if (canRenderMime(mime))
      return { envelope: { from: mime.from.address, to: [email.to.address] }, message: renderMime(mime) };
    const compiled = new MailComposer({
      from: this.config.MAIL_FROM,
      to: email.to,
      subject: email.subject,
      text: email.text,
      html: email.html ?? undefined,
      messageId: email.messageId,
      headers: email.headers,
    }).compile();
    const { from, to } = compiled.getEnvelope();
    return { envelope: { from: from || mime.from.address, to }, message: await compiled.build() };
  }

  /** MAIL_FROM parsed once (the config validated it as `address` or `Name <address>`). */
  private from(): MimeAddress {
    if (!this.sender) {
      const [parsed] = addressparser(this.config.MAIL_FROM, { flatten: true });
      this.sender = { name: parsed?.name ?? '', address: parsed?.address ?? this.config.MAIL_FROM };
    }
    return this.sender;
  }

  onApplicationShutdown(): void {
    this.smtp?.close();
  }

  private pool(): SmtpPool {
    if (!this.config.SMTP_URL) throw new Error('SMTP_URL is not set');
    this.smtp ??= new SmtpPool({
      url: this.config.SMTP_URL,
      maxConnections: 10,
      maxMessages: 1000,
      idleMs: 5_000,
      connection: { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 },
    });
    return this.smtp;
  }
}
