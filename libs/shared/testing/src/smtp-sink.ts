import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface SmtpSink {
  /** `smtp://127.0.0.1:<port>`, stable across stop() and start(). */
  url: string;
  /** Every message accepted, parsed, in arrival order. */
  received: ParsedMail[];
  /** Recipients answered `550 No such user` at RCPT TO. */
  rejected: Set<string>;
  /** How long each message takes to be accepted (a slow server), so a test can land a kill mid-send. */
  acceptDelayMs: number;
  /** Stops listening (SMTP "down"); start() listens again on the same port. */
  stop(): Promise<void>;
  start(): Promise<void>;
}

/** A local SMTP server that accepts and parses what arrives, for tests and the benchmark. */
export async function startSmtpSink(): Promise<SmtpSink> {
  const received: ParsedMail[] = [];
  const rejected = new Set<string>();
  let port = 0;
  let server: SMTPServer | undefined;

  const listen = async () => {
    server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      // Pooled clients keep connections open; stop() must not wait out the default 30 s for them.
      closeTimeout: 100,
      onRcptTo(address, _session, callback) {
        if (!rejected.has(address.address.toLowerCase())) return callback();
        callback(Object.assign(new Error('No such user'), { responseCode: 550 }));
      },
      onData(stream, _session, callback) {
        simpleParser(stream).then(
          async (mail) => {
            if (sink.acceptDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, sink.acceptDelayMs));
            received.push(mail);
            callback();
          },
          (error: Error) => callback(error),
        );
      },
    });
    // A client that vanishes mid-session (a worker killed on purpose) is not the sink's failure.
    server.on('error', () => undefined);
    await new Promise<void>((resolve, reject) => {
      server!.server.once('error', reject);
      server!.listen(port, '127.0.0.1', () => resolve());
    });
    port = (server.server.address() as AddressInfo).port;
  };

  await listen();
  const sink: SmtpSink = {
    url: `smtp://127.0.0.1:${port}`,
    received,
    rejected,
    acceptDelayMs: 0,
    stop: () =>
      new Promise<void>((resolve) => {
        if (!server) return resolve();
        const closing = server;
        server = undefined;
        closing.close(() => resolve());
      }),
    start: listen,
  };
  return sink;
}
