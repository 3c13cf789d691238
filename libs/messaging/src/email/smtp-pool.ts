import SMTPConnection, { type SMTPConnectionOptions } from 'nodemailer/lib/smtp-connection';
import { parseConnectionUrl } from 'nodemailer/lib/shared';

export interface SmtpPoolOptions {
  /** `smtp://` or `smtps://`, with credentials and `?tls.*` / connection options as query parameters. */
  url: string;
  maxConnections: number;
  /** A connection is closed and replaced after this many messages. */
  maxMessages: number;
  /** An idle connection is closed after this long, before the server drops it under us. */
  idleMs: number;
  connection: Pick<SMTPConnectionOptions, 'connectionTimeout' | 'greetingTimeout' | 'socketTimeout'>;
}

export interface SmtpEnvelope {
  from: string;
  to: string[];
}

/** What SMTPConnection puts on its errors: which command failed and how the server answered. */
export interface SmtpError extends Error {
  code?: string;
  responseCode?: number;
  response?: string;
  command?: string;
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
  connection: SMTPConnection;
  messages: number;
  idleTimer?: NodeJS.Timeout;
  dead: boolean;
}

/**
 * A pool of SMTP connections sending ready-made MIME messages (see renderMime) with nodemailer's
 * SMTPConnection. nodemailer's own pool composes every message through its stream pipeline even when given raw
 * MIME, which costs about as much as the SMTP exchange itself; a nudge run sends thousands of emails.
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
  private readonly connectionOptions: SMTPConnectionOptions & { auth?: { user: string; pass: string } };

  constructor(private readonly options: SmtpPoolOptions) {
    const { auth, ...parsed } = parseConnectionUrl(options.url);
    this.connectionOptions = { ...(parsed as SMTPConnectionOptions), ...options.connection, auth };
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
    for (const pooled of this.all) this.drop(pooled, true);
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

  private open(): Promise<Pooled> {
    const { auth, ...options } = this.connectionOptions;
    const connection = new SMTPConnection(options);
    return new Promise<Pooled>((resolve, reject) => {
      let settled = false;
      const fail = (error: SmtpError) => {
        if (settled) return;
        settled = true;
        connection.close();
        reject(error);
      };
      connection.once('error', fail);
      connection.connect((error?: SmtpError) => {
        if (error) return fail(error);
        const ready = () => {
          if (settled) return;
          settled = true;
          connection.removeListener('error', fail);
          const pooled: Pooled = { connection, messages: 0, dead: false };
          // A connection that errors or ends while idle is not handed out again.
          connection.on('error', () => this.drop(pooled));
          connection.once('end', () => this.drop(pooled));
          this.all.add(pooled);
          resolve(pooled);
        };
        if (!auth) return ready();
        connection.login(auth, (loginError) => (loginError ? fail(loginError) : ready()));
      });
    });
  }

  private sendOn(pooled: Pooled, pending: Pending): void {
    clearTimeout(pooled.idleTimer);
    const reused = pooled.messages > 0;
    pooled.connection.send(pending.envelope, pending.message, (error: SmtpError | null, info) => {
      pooled.messages += 1;
      if (!error) {
        pending.resolve(String(info?.response ?? ''));
        return this.release(pooled);
      }
      const refused = (error.code === 'EENVELOPE' || error.code === 'EMESSAGE') && error.responseCode !== 421;
      if (refused && !pooled.dead) {
        pending.reject(error);
        pooled.connection.reset((resetError) => (resetError ? this.drop(pooled) : this.release(pooled)));
        return;
      }
      this.drop(pooled);
      if (reused && !pending.retried && (error.code === 'ECONNECTION' || error.code === 'ESOCKET')) {
        // Most likely the server closed the idle connection under us: one more try on a fresh one.
        pending.retried = true;
        this.queue.unshift(pending);
        return this.dispatch();
      }
      pending.reject(error);
    });
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
