import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '#cairn/shared/config';
import type { EmailMessage, EmailOutcome, EmailProvider, EmailSendOptions } from './email-provider.js';
import { ResendEmailProvider } from './resend-email-provider.js';
import { SmtpEmailProvider, smtpConnections } from './smtp-email-provider.js';

export type OutgoingEmail = Omit<EmailMessage, 'from'>;

/**
 * The process's email provider, chosen from the configuration (EMAIL_PROVIDER: SMTP_URL through nodemailer, or
 * Resend's HTTP API), made on the first send, and every email's From (MAIL_FROM).
 */
@Injectable()
export class EmailTransport implements OnApplicationShutdown {
  private provider?: EmailProvider;

  constructor(private readonly config: AppConfig) {}

  get configured(): boolean {
    return this.config.emailProvider !== undefined;
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
    this.provider ??= makeProvider(this.config);
    return this.provider;
  }
}

/** The configured provider; loadConfig has checked that its settings are there. */
export function makeProvider(config: AppConfig): EmailProvider {
  switch (config.emailProvider) {
    case 'smtp':
      return new SmtpEmailProvider({
        url: config.SMTP_URL!,
        allowSelfSigned: config.SMTP_TLS_ALLOW_SELF_SIGNED,
        dkim: config.dkim,
      });
    case 'resend':
      return new ResendEmailProvider({ apiKey: config.RESEND_API_KEY!, apiUrl: config.RESEND_API_URL });
    default:
      throw new Error('Email is not configured (EMAIL_PROVIDER, or SMTP_URL)');
  }
}
