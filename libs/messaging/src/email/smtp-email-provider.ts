import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import nodemailer, { type NodemailerError } from 'nodemailer';
import type { EmailMessage, EmailOutcome, EmailProvider, EmailSendOptions } from './email-provider.js';

export interface SmtpProviderOptions {
  /** SMTP_URL; its query options (maxConnections, rateLimit, authMethod…) override the defaults below. */
  url: string;
  /** SMTP_TLS_ALLOW_SELF_SIGNED: accept a certificate that does not verify. */
  allowSelfSigned: boolean;
  /** DKIM signing of every message, when configured. */
  dkim?: { domainName: string; keySelector: string; privateKey: string };
}

const MAX_CONNECTIONS = 10;

/** The pool's size for this SMTP_URL: its `maxConnections` query option, else 10. */
export function smtpConnections(url: string | undefined): number {
  const option = url ? Number(URL.parse(url)?.searchParams.get('maxConnections') ?? NaN) : NaN;
  return Number.isInteger(option) && option > 0 ? option : MAX_CONNECTIONS;
}

/**
 * SMTP through nodemailer's pooled transport: up to 10 connections per process, each reused for up to 1,000
 * messages and closed after 5 s idle. A message whose connection closed under it is requeued once (a reused
 * connection the server had dropped); then it fails and the deliverer's retry schedule takes over. A recipient
 * the server refuses with a 5xx at RCPT, or an envelope Cairn cannot send at all (an internationalised address
 * without SMTPUTF8), is a permanent failure; anything else (connection refused, TLS, AUTH, timeouts, 4xx) is
 * worth retrying. Each composed message reaches its connection as one buffer (see the constructor).
 */
export class SmtpEmailProvider implements EmailProvider {
  private readonly transporter: ReturnType<typeof nodemailer.createTransport>;

  constructor(options: SmtpProviderOptions) {
    this.transporter = nodemailer.createTransport({
      pool: true,
      url: options.url,
      maxConnections: MAX_CONNECTIONS,
      maxMessages: 1000,
      idleTimeout: 5_000,
      maxRequeues: 1,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
      tls: { rejectUnauthorized: !options.allowSelfSigned },
      dkim: options.dkim,
      // Bodies are rendered from people's data: never let them name a file or URL for nodemailer to read.
      disableFileAccess: true,
      disableUrlAccess: true,
    });
    // nodemailer streams a message to the socket in the pieces its composer makes (headers, each part, each
    // boundary: six writes for a text+HTML email), and with Nagle off each is a syscall and a wake-up of the
    // server. Collected first, the message leaves in one write; Cairn's emails have no attachments to hold in
    // memory. A DKIM signer (added after this stage) reads the same bytes.
    this.transporter.use('stream', (mail, done) => {
      mail.message.processFunc((input) => Readable.from(oneBuffer(input)));
      done();
    });
  }

  /** SMTP has no idempotency key: a repeat carries the same Message-ID instead. */
  async send(message: EmailMessage, _options?: EmailSendOptions): Promise<EmailOutcome> {
    const started = Date.now();
    try {
      const info = await this.transporter.sendMail({
        from: message.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        html: message.html ?? undefined,
        messageId: message.messageId,
        // Base64 parts, as Cairn's MIME always had: Buffer's native encoder costs less per message than QP.
        textEncoding: 'base64',
        headers: {
          ...message.headers,
          ...(message.unsubscribeUrl ? { 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' } : {}),
        },
        list: message.unsubscribeUrl ? { unsubscribe: message.unsubscribeUrl } : undefined,
      });
      return { sent: true, response: String(info.response), durationMs: Date.now() - started };
    } catch (error) {
      const smtp = error as NodemailerError & { command?: string; response?: string; responseCode?: number };
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

  close(): void {
    this.transporter.close();
  }
}

/** The stream's bytes as one chunk; a failed stream fails it. */
async function* oneBuffer(input: NodeJS.ReadableStream): AsyncGenerator<Buffer> {
  yield await buffer(input);
}
