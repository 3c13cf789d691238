import { isAscii } from 'node:buffer';
import { EventEmitter } from 'node:events';
import net from 'node:net';
import { hostname } from 'node:os';
import tls from 'node:tls';

export interface SmtpClientOptions {
  host: string;
  port: number;
  /** Implicit TLS (smtps://, usually port 465); otherwise STARTTLS is used when the server offers it. */
  secure?: boolean;
  /** Fail rather than send in the clear when the server does not offer STARTTLS. */
  requireTLS?: boolean;
  /** Never upgrade with STARTTLS (a local relay with a broken certificate). */
  ignoreTLS?: boolean;
  tls?: tls.ConnectionOptions;
  /** The name said in EHLO; the machine's host name by default. */
  name?: string;
  auth?: { user: string; pass: string };
  connectionTimeout: number;
  greetingTimeout: number;
  socketTimeout: number;
}

export interface SmtpEnvelope {
  from: string;
  to: string[];
}

/** Which command failed and how the server answered; the codes nodemailer uses, which the log already shows. */
export interface SmtpError extends Error {
  code?: string;
  responseCode?: number;
  response?: string;
  command?: string;
  /** The message had gone out when the session failed: the server may have taken it, so no quick resend. */
  messageWritten?: boolean;
}

interface Reply {
  code: number;
  text: string;
}

const smtpError = (message: string, code: string, command?: string, reply?: Reply): SmtpError =>
  Object.assign(new Error(reply ? `${message}: ${reply.text}` : message), {
    code,
    command,
    responseCode: reply?.code,
    response: reply?.text,
  });

/** `250-text`, `250 text` or (RFC 5321 allows it) a bare `250`. */
const LINE = /^(\d{3})(?:([ -])(.*))?$/;

/**
 * One SMTP session sending ready-made messages, the way a relay would. Where the server offers PIPELINING and
 * CHUNKING (RFC 2920, 3030; Postfix, Exchange, Gmail), the envelope and the message go out as one write and one
 * round trip (`BDAT <size> LAST`); with PIPELINING only, the envelope and DATA in one write and the dot-stuffed
 * message in another. nodemailer's SMTPConnection streams the body through a per-byte transform and writes it in
 * pieces, which cost the nudge benchmark a third of the worker's CPU; writes are what costs here.
 *
 * Covers what SMTP_URL can say: implicit TLS, STARTTLS (opportunistic, or required), AUTH PLAIN or LOGIN, and
 * SMTPUTF8/8BITMIME when the message needs them. A send either goes to every recipient or fails: with one
 * recipient per message (how Cairn sends) that is the same as per-recipient results.
 *
 * Emits `error` and `end` (the session is gone); after either, every call fails with ECONNECTION.
 */
export class SmtpClient extends EventEmitter {
  private socket?: net.Socket;
  private received = '';
  private lines: string[] = [];
  private readonly waiting: { resolve: (reply: Reply) => void; reject: (error: SmtpError) => void }[] = [];
  private extensions = new Map<string, string>();
  private gone?: SmtpError;
  private setupTimer?: NodeJS.Timeout;
  private busy = false;
  private messageWritten = false;
  private quitWhenDone = false;
  /** STARTTLS was sent: its 220 must be the last thing read in the clear. */
  private awaitingTls = false;

  constructor(private readonly options: SmtpClientOptions) {
    super();
  }

  /** Whether the envelope and DATA go out in one write. */
  get pipelining(): boolean {
    return this.extensions.has('PIPELINING');
  }

  get secure(): boolean {
    return this.socket instanceof tls.TLSSocket;
  }

  /** Connects, greets, upgrades to TLS and logs in; resolves when the session can send. */
  async connect(): Promise<void> {
    const { options } = this;
    const setup = new Promise<never>((_, reject) => {
      this.setupTimer = setTimeout(
        () => reject(smtpError('Connection timeout', 'ETIMEDOUT', 'CONN')),
        options.connectionTimeout,
      );
    });
    setup.catch(() => undefined);
    try {
      await Promise.race([this.establish(), setup]);
    } catch (error) {
      this.close();
      throw error;
    } finally {
      clearTimeout(this.setupTimer);
    }
  }

  private async establish(): Promise<void> {
    const { options } = this;
    await this.open(() =>
      options.secure
        ? tls.connect({
            host: options.host,
            port: options.port,
            servername: servername(options.host),
            ...options.tls,
          })
        : net.connect({ host: options.host, port: options.port }),
    );
    const greeting = await this.reply(options.greetingTimeout);
    if (greeting.code !== 220) throw smtpError('Unexpected greeting', 'EPROTOCOL', 'CONN', greeting);
    await this.hello();
    if (!this.secure && !options.ignoreTLS && this.extensions.has('STARTTLS')) {
      this.awaitingTls = true;
      const started = await this.command('STARTTLS');
      if (started.code !== 220) throw smtpError('STARTTLS failed', 'ETLS', 'STARTTLS', started);
      await this.upgrade();
      await this.hello();
    } else if (!this.secure && options.requireTLS) {
      throw smtpError('The server does not offer STARTTLS, and TLS is required', 'ETLS', 'STARTTLS');
    }
    // As nodemailer did: a relay that trusts the sender's address offers no AUTH, and gets no credentials.
    if (options.auth && this.extensions.has('AUTH')) await this.login(options.auth);
  }

  /**
   * Sends one message (CRLF line ends, or they are made so); resolves with the server's final answer. One at a
   * time: the session has one transaction.
   */
  async send(envelope: SmtpEnvelope, message: Buffer): Promise<string> {
    this.usable();
    if (this.busy) throw smtpError('This session is already sending', 'EPROTOCOL', 'API');
    this.busy = true;
    this.messageWritten = false;
    try {
      return await this.transact(envelope, message);
    } catch (error) {
      throw this.messageWritten
        ? Object.assign(new Error((error as Error).message), error, { messageWritten: true })
        : error;
    } finally {
      this.busy = false;
      if (this.quitWhenDone) this.quit();
    }
  }

  private async transact(envelope: SmtpEnvelope, message: Buffer): Promise<string> {
    if (envelope.to.length === 0) throw smtpError('No recipients', 'EENVELOPE', 'API');
    const params: string[] = [];
    if (!isAscii(Buffer.from(envelope.from + envelope.to.join('')))) {
      if (!this.extensions.has('SMTPUTF8'))
        throw smtpError(
          'The server does not accept internationalised addresses (SMTPUTF8)',
          'EENVELOPE',
          'API',
        );
      params.push('SMTPUTF8');
    }
    if (!isAscii(message) && this.extensions.has('8BITMIME')) params.push('BODY=8BITMIME');
    const mailFrom = `MAIL FROM:<${envelope.from}>${params.map((p) => ` ${p}`).join('')}`;
    for (const address of [envelope.from, ...envelope.to])
      if (/[\r\n<>]/.test(address))
        throw smtpError(`Invalid address ${JSON.stringify(address)}`, 'EENVELOPE', 'API');
    const envelopeCommands = [mailFrom, ...envelope.to.map((to) => `RCPT TO:<${to}>`)];
    if (this.pipelining && this.extensions.has('CHUNKING'))
      return this.sendChunked(envelopeCommands, message);
    const commands = [...envelopeCommands, 'DATA'];

    let replies: Reply[];
    if (this.pipelining) {
      replies = await Promise.all(this.write(commands.map((c) => `${c}\r\n`)));
    } else {
      replies = [];
      for (const command of commands) {
        const reply = await this.command(command);
        replies.push(reply);
        if (reply.code >= 400) break;
      }
    }
    const last = commands.length - 1;
    // DATA may be answered 354 or (a few servers) 250; the envelope's commands 250.
    const refusal = replies.findIndex((reply, i) => reply.code >= (i === last ? 400 : 300));
    if (refusal >= 0) {
      const reply = replies[refusal];
      const command = refusal === 0 ? 'MAIL FROM' : refusal === last ? 'DATA' : 'RCPT TO';
      // A server that took DATA after refusing part of the envelope waits for a message nobody should get;
      // one that answered 421 is closing the session anyway.
      if ((replies[last] && replies[last].code < 400) || reply.code === 421) this.close();
      throw smtpError(
        command === 'DATA' ? 'Data command failed' : `${command} refused`,
        reply.code === 421 ? 'ECONNECTION' : 'EENVELOPE',
        command,
        reply,
      );
    }
    this.messageWritten = true;
    const [accepted] = this.write([dataBlock(message)]);
    const final = await accepted;
    if (final.code !== 250) throw smtpError('Message failed', 'EMESSAGE', 'DATA', final);
    return `${final.code} ${final.text}`;
  }

  /**
   * RFC 3030 CHUNKING, offered by Postfix, Exchange and Gmail among others: the envelope and the whole message as
   * one `BDAT <size> LAST` chunk in a single write, one round trip, no dot-stuffing. A server reads the chunk
   * even after refusing the envelope, so the session stays in step.
   */
  private async sendChunked(envelopeCommands: string[], message: Buffer): Promise<string> {
    const content = withCrlf(message);
    const pending = this.write(
      [...envelopeCommands.map((c) => `${c}\r\n`), `BDAT ${content.length} LAST\r\n`, content],
      envelopeCommands.length + 1,
    );
    // Once the server answers, it is reading what followed: a failure from here on may come after it took it.
    pending[0].then(
      () => (this.messageWritten = true),
      () => undefined,
    );
    const replies = await Promise.all(pending);
    const refusal = replies.findIndex((reply, i) => i < envelopeCommands.length && reply.code >= 300);
    if (refusal >= 0) {
      const reply = replies[refusal];
      if (reply.code === 421) this.close();
      const command = refusal === 0 ? 'MAIL FROM' : 'RCPT TO';
      throw smtpError(`${command} refused`, reply.code === 421 ? 'ECONNECTION' : 'EENVELOPE', command, reply);
    }
    const final = replies[envelopeCommands.length];
    if (final.code !== 250) {
      if (final.code === 421) this.close();
      throw smtpError('Message failed', final.code === 421 ? 'ECONNECTION' : 'EMESSAGE', 'DATA', final);
    }
    return `${final.code} ${final.text}`;
  }

  /** Ends the current transaction (after a refusal) so the session can send again. */
  async reset(): Promise<void> {
    const reply = await this.command('RSET');
    if (reply.code !== 250) throw smtpError('RSET failed', 'EPROTOCOL', 'RSET', reply);
  }

  /** Says goodbye and closes, after the send in progress if there is one. */
  quit(): void {
    if (this.busy) {
      this.quitWhenDone = true;
      return;
    }
    if (this.gone || !this.socket) return this.close();
    this.write(['QUIT\r\n'])[0].then(
      () => this.close(),
      () => this.close(),
    );
  }

  close(): void {
    this.fail(smtpError('Connection closed', 'ECONNECTION', 'CONN'), false);
    this.socket?.destroy();
  }

  private async hello(): Promise<void> {
    const name = this.options.name || hostname() || 'localhost';
    let reply = await this.command(`EHLO ${name}`);
    if (reply.code !== 250) {
      reply = await this.command(`HELO ${name}`);
      if (reply.code !== 250) throw smtpError('HELO failed', 'EPROTOCOL', 'EHLO', reply);
    }
    this.extensions = new Map(
      reply.text
        .split('\n')
        .slice(1)
        .map((line) => {
          const [keyword, ...rest] = line.trim().split(/[\s=]+/);
          return [keyword.toUpperCase(), rest.join(' ').toUpperCase()] as const;
        }),
    );
  }

  private async login(auth: { user: string; pass: string }): Promise<void> {
    const methods = (this.extensions.get('AUTH') ?? '').split(' ');
    const b64 = (value: string) => Buffer.from(value, 'utf8').toString('base64');
    let reply: Reply;
    if (methods.includes('PLAIN') || !methods.includes('LOGIN')) {
      reply = await this.command(`AUTH PLAIN ${b64(`\0${auth.user}\0${auth.pass}`)}`);
    } else {
      reply = await this.command('AUTH LOGIN');
      if (reply.code === 334) reply = await this.command(b64(auth.user));
      if (reply.code === 334) reply = await this.command(b64(auth.pass));
    }
    if (reply.code !== 235) throw smtpError('Invalid login', 'EAUTH', 'AUTH', reply);
  }

  private open(connect: () => net.Socket): Promise<void> {
    return new Promise((resolve, reject) => {
      const socket = connect();
      this.attach(socket);
      const ready = () => {
        socket.off('error', refused);
        resolve();
      };
      const refused = (error: Error) => reject(smtpError(error.message, 'ESOCKET', 'CONN'));
      socket.once(socket instanceof tls.TLSSocket ? 'secureConnect' : 'connect', ready);
      socket.once('error', refused);
    });
  }

  private upgrade(): Promise<void> {
    if (this.gone) throw this.gone;
    const plain = this.socket as net.Socket;
    plain.removeAllListeners('data');
    plain.removeAllListeners('timeout');
    plain.removeAllListeners('close');
    plain.removeAllListeners('error');
    return this.open(() =>
      tls.connect({
        socket: plain,
        // host: what the certificate is checked against (an IP address too); servername: SNI, names only.
        host: this.options.host,
        servername: servername(this.options.host),
        ...this.options.tls,
      }),
    );
  }

  private attach(socket: net.Socket): void {
    this.socket = socket;
    socket.setNoDelay(true);
    socket.setEncoding('latin1');
    socket.setTimeout(this.options.socketTimeout);
    socket.on('data', (chunk: string) => this.onData(chunk));
    socket.on('timeout', () => {
      this.fail(smtpError('Timeout', 'ETIMEDOUT', 'CONN'), true);
      socket.destroy();
    });
    socket.on('error', (error: Error) => this.fail(smtpError(error.message, 'ESOCKET', 'CONN'), true));
    socket.on('close', () =>
      this.fail(smtpError('Connection closed unexpectedly', 'ECONNECTION', 'CONN'), false),
    );
  }

  private onData(chunk: string): void {
    this.received += chunk;
    for (let eol = this.received.indexOf('\n'); eol >= 0; eol = this.received.indexOf('\n')) {
      const line = this.received.slice(0, eol).replace(/\r$/, '');
      this.received = this.received.slice(eol + 1);
      if (line === '') continue;
      const match = LINE.exec(line);
      if (!match) {
        this.fail(
          smtpError(`Invalid response ${JSON.stringify(line.slice(0, 200))}`, 'EPROTOCOL', 'CONN'),
          true,
        );
        this.socket?.destroy();
        return;
      }
      this.lines.push(match[3] ?? '');
      if (match[2] === '-') continue;
      const reply = { code: Number(match[1]), text: this.lines.join('\n') };
      this.lines = [];
      const waiter = this.waiting.shift();
      if (waiter) {
        waiter.resolve(reply);
        if (this.awaitingTls) {
          this.awaitingTls = false;
          // RFC 3207: nothing the server sent in the clear after its 220 may be read as its answer inside TLS
          // (an attacker could inject a fake EHLO reply that way).
          if (reply.code === 220 && (this.received !== '' || this.lines.length > 0)) {
            this.fail(smtpError('The server sent data after accepting STARTTLS', 'ETLS', 'STARTTLS'), true);
            this.socket?.destroy();
          }
          return;
        }
      } else {
        // 421: the server is closing an idle session (shutting down, idle timeout). Anything else unasked for
        // means the session is out of step, and no later reply could be trusted.
        this.fail(
          reply.code === 421
            ? smtpError('Server closed the connection', 'ECONNECTION', 'CONN', reply)
            : smtpError('Unexpected response', 'EPROTOCOL', 'CONN', reply),
          reply.code !== 421,
        );
        this.socket?.destroy();
        return;
      }
    }
  }

  /** The session ended: everything waiting fails with why, and the pool hears of it once. */
  private fail(error: SmtpError, asError: boolean): void {
    if (this.gone) return;
    this.gone = error;
    for (const waiter of this.waiting.splice(0)) waiter.reject(error);
    if (asError && this.listenerCount('error') > 0) this.emit('error', error);
    this.emit('end');
  }

  private usable(): void {
    if (this.gone) throw smtpError('The connection is closed', 'ECONNECTION', 'API');
  }

  private command(line: string): Promise<Reply> {
    return this.write([`${line}\r\n`])[0];
  }

  /** Writes the chunks in one go; a promise for each of the `expected` replies (one per chunk by default). */
  private write(chunks: (string | Buffer)[], expected = chunks.length): Promise<Reply>[] {
    if (this.gone) return Array.from({ length: expected }, () => Promise.reject(this.gone as SmtpError));
    const socket = this.socket as net.Socket;
    const replies = Array.from({ length: expected }, () => this.reply());
    socket.cork();
    for (const chunk of chunks) socket.write(chunk);
    process.nextTick(() => socket.uncork());
    return replies;
  }

  private reply(timeoutMs?: number): Promise<Reply> {
    if (this.gone) return Promise.reject(this.gone);
    return new Promise((resolve, reject) => {
      if (timeoutMs === undefined) return this.waiting.push({ resolve, reject });
      const timer = setTimeout(() => {
        this.fail(smtpError('Greeting never received', 'ETIMEDOUT', 'CONN'), true);
        this.socket?.destroy();
      }, timeoutMs);
      this.waiting.push({
        resolve: (reply) => (clearTimeout(timer), resolve(reply)),
        reject: (error) => (clearTimeout(timer), reject(error)),
      });
    });
  }
}

/** TLS SNI takes host names only. */
const servername = (host: string) => (net.isIP(host) ? undefined : host);

/**
 * The message as DATA sends it: CRLF line ends (bare CR or LF made CRLF, so "\r.\r" cannot end it early: SMTP
 * smuggling), a dot at the start of a line doubled, and the terminator. latin1 keeps every byte as it is.
 */
export function dataBlock(message: Buffer): Buffer {
  let text = crlf(message.toString('latin1'));
  if (text.startsWith('.') || text.includes('\r\n.')) text = text.replace(/(^|\r\n)\./g, '$1..');
  return Buffer.from(`${text}${text.endsWith('\r\n') || text === '' ? '' : '\r\n'}.\r\n`, 'latin1');
}

/** Bare CR or LF made CRLF. */
const crlf = (text: string) => (/\r(?!\n)|(?<!\r)\n/.test(text) ? text.replace(/\r\n|\r|\n/g, '\r\n') : text);

/** The message as a BDAT chunk sends it: as it is, but with CRLF line ends. */
export function withCrlf(message: Buffer): Buffer {
  const text = message.toString('latin1');
  const fixed = crlf(text);
  return fixed === text ? message : Buffer.from(fixed, 'latin1');
}
