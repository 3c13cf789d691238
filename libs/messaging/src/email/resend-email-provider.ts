import type { EmailMessage, EmailOutcome, EmailProvider, EmailSendOptions } from './email-provider.js';

export interface ResendProviderOptions {
  /** RESEND_API_KEY, sent as `Authorization: Bearer …`. */
  apiKey: string;
  /** RESEND_API_URL: `https://api.resend.com` unless a test (or a proxy) says otherwise. */
  apiUrl: string;
  /** How long one request may take before it counts as a network failure (retried). */
  timeoutMs?: number;
}

/** Resend's error body: `{ statusCode, name, message }`. */
interface ResendError {
  name?: string;
  message?: string;
}

/**
 * Email through Resend's HTTP API (`POST /emails`), one request per message over fetch's keep-alive pool. The
 * delivery id goes as the `Idempotency-Key`: Resend sends a key's email once and answers a repeat within 24 hours
 * with the first answer, so a send repeated after a lost answer or a crash between the POST and its record is not
 * a second email. That makes this channel exactly-once end to end (within that window), where SMTP can only repeat
 * the Message-ID.
 *
 * Outcomes: 2xx sent. 409 `concurrent_idempotent_requests` (the key's first request is still in flight, e.g. on a
 * worker presumed dead) is retried: the retry gets the first request's answer. Any other 409 (the key was used with
 * another body) means the key's email went out: sent. 429, 5xx, timeouts and network errors are retried; any
 * other 4xx (a bad address, an unverified From domain, a revoked key) is permanent, with Resend's message.
 */
export class ResendEmailProvider implements EmailProvider {
  private readonly endpoint: string;

  constructor(private readonly options: ResendProviderOptions) {
    this.endpoint = `${options.apiUrl.replace(/\/+$/, '')}/emails`;
  }

  async send(message: EmailMessage, { idempotencyKey }: EmailSendOptions): Promise<EmailOutcome> {
    const started = Date.now();
    const failed = (permanent: boolean, error: string, response: string | null = null): EmailOutcome => ({
      sent: false,
      permanent,
      error: error.slice(0, 2000),
      response: response?.slice(0, 2000) ?? null,
      durationMs: Date.now() - started,
    });
    let status: number;
    let body: string;
    try {
      const response = await fetch(this.endpoint, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${this.options.apiKey}`,
          'Content-Type': 'application/json',
          'Idempotency-Key': idempotencyKey,
        },
        body: JSON.stringify(requestBody(message)),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
      });
      status = response.status;
      body = await response.text();
    } catch (error) {
      const cause = (error as Error & { cause?: { code?: string } }).cause?.code;
      return failed(
        false,
        `${(error as Error).name}: ${(error as Error).message}${cause ? ` (${cause})` : ''}`,
      );
    }
    if (status >= 200 && status < 300)
      return { sent: true, response: `${status} ${body}`.slice(0, 2000), durationMs: Date.now() - started };
    const error = parseError(body);
    const described = `${status}${error.name ? ` ${error.name}` : ''}: ${error.message ?? body}`;
    if (status === 409 && error.name !== 'concurrent_idempotent_requests')
      return {
        sent: true,
        response: `already sent under this idempotency key (${described})`.slice(0, 2000),
        durationMs: Date.now() - started,
      };
    const retried = status === 409 || status === 429 || status >= 500;
    return failed(!retried, described, body);
  }

  /** Nothing to close: a request in flight finishes on its own, and fetch's idle connections do not hold the process. */
  close(): void {}
}

/** Resend's `POST /emails` body. Message-ID and the RFC 8058 pair travel as custom headers. */
function requestBody(message: EmailMessage) {
  return {
    from: message.from,
    to: [message.to.name ? `${quoteName(message.to.name)} <${message.to.address}>` : message.to.address],
    subject: message.subject,
    text: message.text,
    ...(message.html ? { html: message.html } : {}),
    headers: {
      ...message.headers,
      'Message-ID': message.messageId,
      ...(message.unsubscribeUrl
        ? {
            'List-Unsubscribe': `<${message.unsubscribeUrl}>`,
            'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
          }
        : {}),
    },
  };
}

/** A display name as an RFC 5322 quoted string when it has specials (a comma would otherwise split the address). */
function quoteName(name: string): string {
  return /^[\w !#$%&'*+\-/=?^`{|}~]*$/.test(name) ? name : `"${name.replace(/["\\]/g, '\\$&')}"`;
}

function parseError(body: string): ResendError {
  try {
    const parsed: unknown = JSON.parse(body);
    return parsed && typeof parsed === 'object' ? (parsed as ResendError) : {};
  } catch {
    return {};
  }
}
