import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '#cairn/shared/config';
import type { EmailMessage, EmailOutcome, EmailProvider, EmailSendOptions } from './email-provider.js';
import { SmtpEmailProvider, smtpConnections } from './smtp-email-provider.js';

export type OutgoingEmail = Omit<EmailMessage, 'from'>;

/**
 * The process's email provider, chosen from the configuration (SMTP_URL: SMTP through nodemailer), made on the
 * first send, and every email's From (MAIL_FROM).
 */
@Injectable()
export class EmailTransport implements OnApplicationShutdown {
  private provider?: EmailProvider;

  constructor(private readonly config: AppConfig) {}

  get configured(): boolean {
    return Boolean(this.config.SMTP_URL);
  }

  /**
   * SMTP connections the pool opens (SMTP_URL's maxConnections, else 10): the deliverer sends on that many
   * slots, one message in flight on each.
   */
  get connections(): number {
    return smtpConnections(this.config.SMTP_URL);
  }

  /** The From address's domain, for Message-IDs. */
  get domain(): string {
    return /@([^\s>]+)/.exec(this.config.MAIL_FROM)?.[1] ?? 'cairn.localhost';
  }

  /** Resolves when the provider accepted or refused this one email; never rejects. */
  send(email: OutgoingEmail, options: EmailSendOptions): Promise<EmailOutcome> {
    return this.providerOf().send({ ...email, from: this.config.MAIL_FROM }, options);
  }

  onApplicationShutdown(): void {
    this.provider?.close();
  }

  private providerOf(): EmailProvider {
    if (!this.config.SMTP_URL) throw new Error('SMTP_URL is not set');
    this.provider ??= new SmtpEmailProvider({
      url: this.config.SMTP_URL,
      allowSelfSigned: this.config.SMTP_TLS_ALLOW_SELF_SIGNED,
      dkim: this.config.dkim,
    });
    return this.provider;
  }
}
