import { parseConnectionUrl } from 'nodemailer/lib/shared';
import { SmtpClient, type SmtpClientOptions, type SmtpEnvelope, type SmtpError } from './smtp-client.js';

export type { SmtpEnvelope, SmtpError } from './smtp-client.js';

export interface SmtpPoolOptions {
  /** `smtp://` or `smtps://`, with credentials and `?tls.*` / connection options as query parameters. */
  url: string;
  maxConnections: number;
  /** A connection is closed and replaced after this many messages. */
  maxMessages: number;
  /** An idle connection is closed after this long, before the server drops it under us. */
  idleMs: number;
  connection: Pick<SmtpClientOptions, 'connectionTimeout' | 'greetingTimeout' | 'socketTimeout'>;
}

interface Pending {
  envelope: SmtpEnvelope;
  message: Buffer;
  resolve: (response: string) => void;
  reject: (error: SmtpError) => void;
  /** Requeued once after a reused connection turned out to be dead before the message went out. */
  retried?: boolean;
}

interface Pooled {
  connection: SmtpClient;
  messages: number;
  idleTimer?: NodeJS.Timeout;
  dead: boolean;
}

/**
 * A pool of SMTP sessions (SmtpClient) sending ready-made MIME messages (see renderMime). nodemailer's own pool
 * composes every message through its stream pipeline even when given raw MIME, and its SMTPConnection writes
 * the body in pieces; a nudge run sends thousands of emails.
 *
 * Like nodemailer's pool: connections open as demand needs (up to maxConnections) and are reused; one that
 * failed its handshake fails the send that asked for it; a recipient or message the server refused leaves the
 * connection usable after RSET; a reused connection that died while idle is replaced and the message retried.
 */
export class SmtpPool {
  private readonly queue: Pending[] = [];
  private readonly idle: Pooled[] = [];
  private readonly all = new Set<Pooled>();
  private connecting = 0;
  private closed = false;
  private readonly connectionOptions: SmtpClientOptions;

  constructor(private readonly options: SmtpPoolOptions) {
    // nodemailer's reading of the URL, so SMTP_URL means what it meant: `?tls.*`, `name`, `requireTLS`, …
    const parsed = parseConnectionUrl(options.url) as Partial<SmtpClientOptions>;
    this.connectionOptions = {
      ...parsed,
      host: parsed.host || 'localhost',
      port: parsed.port || (parsed.secure ? 465 : 587),
      ...options.connection,
    };
  }

  /** Resolves with the server's final answer once it accepted the message. */
  send(envelope: SmtpEnvelope, message: Buffer): Promise<string> {
    if (this.closed)
      return Promise.reject(Object.assign(new Error('The SMTP pool is closed'), { code: 'ECLOSED' }));
    return new Promise((resolve, reject) => {
      this.queue.push({ envelope, message, resolve, reject });
      this.dispatch();
    });
  }

  close(): void {
    this.closed = true;
    for (const pending of this.queue.splice(0))
      pending.reject(Object.assign(new Error('The SMTP pool is closed'), { code: 'ECLOSED' }));
    // Sessions in the middle of a send finish it first (release drops them): a QUIT now would land in the message.
    for (const pooled of [...this.idle]) this.drop(pooled, true);
  }

  private dispatch(): void {
    while (this.queue.length > 0 && this.idle.length > 0)
      this.sendOn(this.idle.pop() as Pooled, this.queue.shift() as Pending);
    while (
      !this.closed &&
      this.queue.length > this.connecting &&
      this.all.size + this.connecting < this.options.maxConnections
    ) {
      this.connecting += 1;
      this.open().then(
        (pooled) => {
          this.connecting -= 1;
          this.release(pooled);
        },
        (error: SmtpError) => {
          this.connecting -= 1;
          // The send that asked for this connection fails with why (SMTP down, bad credentials…).
          this.queue.shift()?.reject(error);
          this.dispatch();
        },
      );
    }
  }

  private async open(): Promise<Pooled> {
    const connection = new SmtpClient(this.connectionOptions);
    await connection.connect();
    const pooled: Pooled = { connection, messages: 0, dead: false };
    // A connection that errors or ends while idle is not handed out again.
    connection.on('error', () => this.drop(pooled));
    connection.once('end', () => this.drop(pooled));
    this.all.add(pooled);
    return pooled;
  }

  private sendOn(pooled: Pooled, pending: Pending): void {
    clearTimeout(pooled.idleTimer);
    const reused = pooled.messages > 0;
    pooled.connection.send(pending.envelope, pending.message).then(
      (response) => {
        pooled.messages += 1;
        pending.resolve(response);
        this.release(pooled);
      },
      (error: SmtpError) => this.failed(pooled, pending, error, reused),
    );
  }

  /** A refusal keeps the session (after RSET); a broken session is replaced, and a reused one retried once. */
  private failed(pooled: Pooled, pending: Pending, error: SmtpError, reused: boolean): void {
    pooled.messages += 1;
    if (error.command === 'API' && error.code === 'EENVELOPE') {
      // Refused before anything was written (no SMTPUTF8, an invalid address): the session is as it was.
      pending.reject(error);
      return this.release(pooled);
    }
    const refused = (error.code === 'EENVELOPE' || error.code === 'EMESSAGE') && error.responseCode !== 421;
    if (refused && !pooled.dead && !this.closed) {
      pending.reject(error);
      pooled.connection.reset().then(
        () => this.release(pooled),
        () => this.drop(pooled),
      );
      return;
    }
    this.drop(pooled);
    const stale = (error.code === 'ECONNECTION' || error.code === 'ESOCKET') && !error.messageWritten;
    if (reused && stale && !pending.retried && !this.closed) {
      // Most likely the server closed the idle connection under us: one more try on a fresh one.
      pending.retried = true;
      this.queue.unshift(pending);
      return this.dispatch();
    }
    pending.reject(error);
  }

  private release(pooled: Pooled): void {
    if (pooled.dead) return this.dispatch();
    if (this.closed || pooled.messages >= this.options.maxMessages) {
      this.drop(pooled, true);
      return;
    }
    this.idle.push(pooled);
    pooled.idleTimer = setTimeout(() => this.drop(pooled, true), this.options.idleMs).unref();
    this.dispatch();
  }

  private drop(pooled: Pooled, politely = false): void {
    if (pooled.dead) return;
    pooled.dead = true;
    clearTimeout(pooled.idleTimer);
    this.all.delete(pooled);
    const i = this.idle.indexOf(pooled);
    if (i >= 0) this.idle.splice(i, 1);
    if (politely) pooled.connection.quit();
    else pooled.connection.close();
    this.dispatch();
  }
}
