import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import nodemailer from 'nodemailer';
import { AppConfig } from '#cairn/shared/config';

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

interface SmtpError extends Error {
  code?: string;
  responseCode?: number;
  response?: string;
  command?: string;
}

/** A bare address with one @, no spaces or angle brackets, and a dot in the domain. */
export const EMAIL_ADDRESS = /^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/;

/**
 * SMTP through one pooled nodemailer transport per process (SMTP_URL). A recipient the server refuses with a
 * 5xx at RCPT is a permanent failure; anything else (connection refused, timeouts, 4xx) is worth retrying.
 */
@Injectable()
export class EmailTransport implements OnApplicationShutdown {
  private readonly logger = new Logger('Email');
  private transport?: ReturnType<typeof nodemailer.createTransport>;

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
      const info = await this.mailer().sendMail({
        from: this.config.MAIL_FROM,
        to: email.to,
        subject: email.subject,
        text: email.text,
        html: email.html ?? undefined,
        messageId: email.messageId,
        headers: email.headers,
      });
      return { sent: true, response: String(info.response ?? ''), durationMs: Date.now() - started };
    } catch (error) {
      const smtp = error as SmtpError;
      const permanent = smtp.command === 'RCPT TO' && (smtp.responseCode ?? 0) >= 500;
      return {
        sent: false,
        permanent,
        error: `${smtp.code ? `${smtp.code}: ` : ''}${smtp.message}`.slice(0, 2000),
        response: smtp.response?.slice(0, 2000) ?? null,
        durationMs: Date.now() - started,
      };
    }
  }

  onApplicationShutdown(): void {
    this.transport?.close();
  }

  private mailer() {
    if (!this.config.SMTP_URL) throw new Error('SMTP_URL is not set');
    if (!this.transport) {
      this.transport = nodemailer.createTransport({
        url: this.config.SMTP_URL,
        pool: true,
        maxConnections: 10,
        maxMessages: 1000,
        connectionTimeout: 10_000,
        greetingTimeout: 10_000,
        socketTimeout: 30_000,
      });
      this.transport.on('error', (error: Error) => this.logger.warn(`SMTP transport: ${error.message}`));
    }
    return this.transport;
  }
}
